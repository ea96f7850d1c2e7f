"""Kommentar-Archiv: turn commentaries with numbered end-notes into a cross-linked archive.

The package is a plain library (no MkDocs import anywhere): the pipeline reads
text -> article -> notes -> sources -> bib -> style -> graph -> checks -> cli.
"""

__version__ = "0.1.0"
