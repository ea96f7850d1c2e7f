"""Numbered notes and their sources: mkdocs-bibtex resolves each @key, in our German house style.

mkdocs-bibtex (archived upstream) replaces every bare ``@key`` in a page's Markdown.
We keep it as the resolver and guard its sharp edges:
- it would parse every .bib again and format with pybtex's English style: it gets a
  registry over the archive's already-parsed bibliography and our HouseStyle;
- it would crash on a duplicate key, drop unknown keys silently and read any @word,
  even in code, as a citation: problems are reported first, with file and line;
- formatted sources reach the page as tokens and are put in place after Markdown
  (commentary.style.substitute_sources): Markdown never re-parses them.
"""

from __future__ import annotations

import re
import time

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs_bibtex.registry import SimpleRegistry
from pybtex.database import BibliographyData

from _site import build_for, report
from commentary.archive import article_bibliography
from commentary.notes import CITATION
from commentary.style import HtmlBackend, bibliography_html, source_token, substitute_sources

# A private-use character stands in for '@' where mkdocs-bibtex must not look.
PROTECTED_AT = "\ue040"
_FENCED = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
FOOTNOTES_MARKER = "///Footnotes Go Here///"  # Python-Markdown's default PLACE_MARKER


class ArchiveRegistry(SimpleRegistry):
    """mkdocs-bibtex's registry over the bibliography this build already read.

    The plugin looks keys up in ``bib_data`` and asks ``reference_text`` for the
    text of each citation: that is a token for the house-style HTML of the source.
    """

    def __init__(self, build):  # no super().__init__(): it would parse every .bib again
        self.bib_data = BibliographyData(entries=build.archive.bibliography.entries)
        self.footnote_format = "{key}"
        self.style = build.style
        self.backend = HtmlBackend()

    def reference_text(self, citation) -> str:
        return source_token(citation.key.lower())


@event_priority(100)
def _report_problems_and_share_bibliography(config):
    """Before mkdocs-bibtex: report every content problem (file:line) and hand it our registry.

    With a registry set and every .bib older than ``last_configured``, the plugin's
    own on_config keeps it instead of parsing all files again.
    """
    build = build_for(config)
    report(build.archive.problems)
    plugin = config.plugins["bibtex"]
    plugin.registry = ArchiveRegistry(build)
    plugin.last_configured = time.time() + 1
    return config


on_config = _report_problems_and_share_bibliography


def _protect(pattern: re.Pattern, markdown: str) -> str:
    return pattern.sub(lambda m: m.group(0).replace("@", PROTECTED_AT), markdown)


@event_priority(100)
def _prepare_markdown(markdown, page, config, files):
    """Before mkdocs-bibtex: hide @ in code and unknown keys; add "Anmerkungen" and "Quellen"."""
    markdown = _protect(_CODE_SPAN, _protect(_FENCED, markdown))
    build = build_for(config)
    archive = build.archive
    known = archive.bibliography.sources
    # Unknown keys and @words outside notes were reported in on_config; they stay visible as text.
    markdown = CITATION.sub(lambda m: m.group(0) if m.group("key").lower() in known else PROTECTED_AT + m.group("key"), markdown)
    article = archive.by_path.get(page.file.src_uri)
    if article is None:
        return markdown
    if archive.notes[article.path].notes:
        markdown = markdown.rstrip() + f"\n\n## Anmerkungen {{#anmerkungen}}\n\n{FOOTNOTES_MARKER}\n"
    section = bibliography_html(article_bibliography(archive, article), build.index_locations)
    return markdown + ("\n" + section if section else "")


@event_priority(-100)
def _restore_protected(markdown, page, config, files):
    """After mkdocs-bibtex: the hidden @ become visible again."""
    return markdown.replace(PROTECTED_AT, "@")


on_page_markdown = CombinedEvent(_prepare_markdown, _restore_protected)


@event_priority(100)
def on_page_content(html, page, config, files):
    """Formatted sources in place of their tokens, before anything else reads the page."""
    return substitute_sources(html, build_for(config).format, "../" * page.url.count("/"))
