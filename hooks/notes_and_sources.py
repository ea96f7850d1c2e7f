"""Numbered notes and their sources: mkdocs-bibtex resolves each @key, in our German house style.

mkdocs-bibtex (archived upstream) replaces every bare ``@key`` in a page's Markdown
by the formatted source. We keep it as the resolver and guard its sharp edges:
- it formats with pybtex's English style: we plug in commentary.style.HouseStyle;
- it would crash on a duplicate key, drop unknown keys silently and read any @word,
  even in code, as a citation: problems are reported first with file and line.
"""

from __future__ import annotations

import re

import pybtex.errors
from mkdocs.plugins import CombinedEvent, event_priority

from _site import build_for, report
from commentary.archive import article_bibliography
from commentary.notes import CITATION
from commentary.style import InlineBackend, bibliography_markdown

# A private-use character stands in for '@' where mkdocs-bibtex must not look.
PROTECTED_AT = "\ue040"
_FENCED = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
FOOTNOTES_MARKER = "///Footnotes Go Here///"  # Python-Markdown's default PLACE_MARKER


@event_priority(100)
def _report_problems(config):
    """Before mkdocs-bibtex reads bib/: every content problem, named by file and line.

    pybtex would raise on a key repeated within one file and crash the build with a
    traceback; with the problem reported here, it may skip the repeat instead.
    """
    report(build_for(config).archive.problems)
    pybtex.errors.set_strict_mode(False)
    return config


@event_priority(-100)
def _plug_in_house_style(config):
    """After mkdocs-bibtex built its registry: format with our style, once per entry per build."""
    pybtex.errors.set_strict_mode(True)
    registry = config.plugins["bibtex"].registry
    registry.style = build_for(config).style
    registry.backend = InlineBackend()
    return config


on_config = CombinedEvent(_report_problems, _plug_in_house_style)


def _protect(pattern: re.Pattern, markdown: str) -> str:
    return pattern.sub(lambda m: m.group(0).replace("@", PROTECTED_AT), markdown)


@event_priority(100)
def _prepare_markdown(markdown, page, config, files):
    """Before mkdocs-bibtex: hide @ in code and unknown keys; add "Anmerkungen" and "Quellen"."""
    markdown = _protect(_CODE_SPAN, _protect(_FENCED, markdown))
    build = build_for(config)
    archive = build.archive
    article = archive.by_path.get(page.file.src_uri)
    known = archive.bibliography.sources
    # Unknown keys and @words outside notes were reported in on_config; they stay visible as text.
    markdown = CITATION.sub(lambda m: m.group(0) if m.group("key").lower() in known else PROTECTED_AT + m.group("key"), markdown)
    if article is None:
        return markdown
    if article.path in archive.notes and archive.notes[article.path].notes:
        markdown = markdown.rstrip() + f"\n\n## Anmerkungen {{#anmerkungen}}\n\n{FOOTNOTES_MARKER}\n"
    section = bibliography_markdown(article_bibliography(archive, article), build.format, build.index_locations)
    return markdown + ("\n" + section if section else "")


@event_priority(-100)
def _restore_protected(markdown, page, config, files):
    """After mkdocs-bibtex: the hidden @ become visible again."""
    return markdown.replace(PROTECTED_AT, "@")


on_page_markdown = CombinedEvent(_prepare_markdown, _restore_protected)
