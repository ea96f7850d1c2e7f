"""The German house style for sources, as a pybtex style that mkdocs-bibtex can use.

A formatted source reads like the notes of the original articles:

    Gretchen Small: „Putin Briefs Six Heads of State“, Executive Intelligence Review,
    8. August 2025, online unter eir.news/…/putin-briefs-six-heads-of-state (abgerufen am 20. August 2025)

It is the comma-separated sequence of the parts in ``DETAILS`` for the entry's
type, preceded by creator and title, followed by where it is online; a ``note``
follows as a sentence of its own. There is no final full stop: inside a note the
note's own punctuation follows, and ``as_sentence`` adds one for bibliographies.

Output is HTML (``HtmlBackend``): every field is escaped, only http(s) URLs become
links, and a link into the archive is written relative to a marker (``ROOT``) that
the page it is shown on replaces with its way to the site root.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from pybtex.backends import BaseBackend
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from .sources import Source, source_from_entry
from .text import german_date, is_web_url, normalise_url, readable_url

# biblatex langid -> BCP 47 code for the lang attribute (screen readers, hyphenation)
LANGUAGE_CODES = {
    "german": "de", "ngerman": "de", "austrian": "de", "naustrian": "de", "swissgerman": "de", "nswissgerman": "de",
    "english": "en", "american": "en", "british": "en", "usenglish": "en", "ukenglish": "en",
    "russian": "ru", "ukrainian": "uk", "belarusian": "be", "french": "fr", "italian": "it", "spanish": "es",
    "polish": "pl", "czech": "cs", "dutch": "nl", "portuguese": "pt", "serbian": "sr", "bulgarian": "bg",
    "chinese": "zh", "arabic": "ar", "turkish": "tr", "latvian": "lv", "lithuanian": "lt", "estonian": "et",
}
HOUSE_LANGUAGE = "de"
INTERNAL_LINK_TITLE = "Im Archiv lesen"
ROOT = "\ue002"  # stands for the way from the current page to the site root


# ---- the parts of a citation, each None when the source does not state it ----

def creator(s: Source) -> Text | None:
    """Persons joined German-style ('A, B und C'); an organisation when there is no person."""
    return Text(s.creator) if s.creator else None


def quoted_title(s: Source) -> Text | None:
    """„Title“ exactly as written, in its own language, with a translation in brackets."""
    if not s.title:
        return None
    title: Text | String = String(s.title)
    lang = LANGUAGE_CODES.get(s.langid.lower())
    if lang and lang != HOUSE_LANGUAGE:
        title = Tag(f"lang:{lang}", title)
    quoted = Text("„", title, "“")
    return Text(quoted, " [", s.titleaddon, "]") if s.titleaddon else quoted


def medium(s: Source) -> Text | None:
    return Text(s.medium) if s.medium else None


def in_medium(s: Source) -> Text | None:
    return Text("in: ", s.medium) if s.medium else None


def place_and_publisher(s: Source) -> Text | None:
    """Books: 'Ort: Verlag', or whichever of the two is known."""
    known = [p for p in (s.address, s.publisher or s.medium) if p]
    return Text(": ".join(known)) if known else None


def report_series(s: Source) -> Text | None:
    if not s.series:
        return None
    return Text(s.series, " Nr. ", s.number) if s.number else Text(s.series)


def date(s: Source) -> Text | None:
    return Text(german_date(s.date)) if s.date else None


def pages(s: Source) -> Text | None:
    return Text("S. ", s.pages.replace("--", "–")) if s.pages else None


# What follows creator and title, per entry type: the comma-separated parts in order.
DETAILS: dict[str, tuple[Callable[[Source], Text | None], ...]] = {
    "online": (medium, date),
    "article": (in_medium, date, pages),
    "book": (place_and_publisher, date, pages),
    "report": (medium, report_series, date),
    "misc": (medium, date),
}


def online(s: Source, internal_links: Mapping[str, str]) -> Text | None:
    """'online unter <readable URL> (abgerufen am …)'; only http(s) becomes a link.

    A URL of an article of this archive links to its archive page, still showing
    the address where it first appeared.
    """
    if not s.url:
        return None
    shown = String(readable_url(s.url))
    if not is_web_url(s.url):
        where: Text | HRef = Text(s.url)  # shown, never linked (and reported by the checks)
    else:
        where = HRef(internal_links.get(normalise_url(s.url)) or s.url, shown)
    accessed = Text(" (abgerufen am ", german_date(s.urldate), ")") if s.urldate else Text()
    return Text("online unter ", where, accessed)


def _join(parts, separator: str) -> Text:
    present = [p for p in parts if p]
    joined = Text()
    for i, part in enumerate(present):
        joined = Text(joined, separator, part) if i else Text(part)
    return joined


def citation(s: Source, internal_links: Mapping[str, str] | None = None) -> Text:
    """The whole citation of one source, without a final full stop."""
    head = _join([creator(s), quoted_title(s)], ": ") if s.title else None
    body = [head, *(part(s) for part in DETAILS.get(s.type, DETAILS["misc"])), online(s, internal_links or {})]
    return _join([_join(body, ", "), Text(s.note) if s.note else None], ". ")


def as_sentence(text: str) -> str:
    """A formatted source standing alone (a bibliography entry) ends with a full stop."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


class CachedText:
    """A formatted entry that renders once per backend type (mkdocs-bibtex renders per citation)."""

    def __init__(self, text: Text):
        self.text = text
        self._rendered: dict[type, str] = {}

    def render(self, backend) -> str:
        kind = type(backend)
        if kind not in self._rendered:
            self._rendered[kind] = self.text.render(backend)
        return self._rendered[kind]

    def __str__(self) -> str:
        return str(self.text)


class HouseStyle(BaseStyle):
    """pybtex style for the German house style; formats each entry once per instance.

    ``internal_links`` maps normalised URLs of the archive's own articles to their
    site path ('/artikel/slug/'). The cache holds each entry object with its result:
    an entry read again from a changed .bib is a new object and is formatted anew.
    """

    default_sorting_style = "author_year_title"

    def __init__(self, internal_links: Mapping[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.internal_links = dict(internal_links or {})
        self._cache: dict[str, tuple[object, FormattedEntry]] = {}
        self.formatted = 0  # entries actually formatted (not served from the cache)

    def format_entry(self, label, entry, bib_data=None):
        cached = self._cache.get(entry.key)
        if cached is None or cached[0] is not entry:
            text = citation(source_from_entry(entry), self.internal_links)
            cached = (entry, FormattedEntry(entry.key, CachedText(text), label))
            self._cache[entry.key] = cached
            self.formatted += 1
        return cached[1]


class HtmlBackend(BaseBackend):
    """Escaped HTML; links into the archive are relative to ``ROOT``."""

    name = "commentary-html"
    symbols = {"ndash": "–", "newblock": " ", "nbsp": "&nbsp;"}

    def format_str(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_tag(self, tag_name: str, text: str) -> str:
        if tag_name.startswith("lang:"):
            return f'<span lang="{html.escape(tag_name[5:])}">{text}</span>'
        return f"<{tag_name}>{text}</{tag_name}>"

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        if url.startswith("/"):
            return f'<a href="{ROOT}{html.escape(url[1:])}" title="{INTERNAL_LINK_TITLE}">{text}</a>'
        return f'<a href="{html.escape(url)}">{text}</a>'

    def format_protected(self, text: str) -> str:
        return text

    def write_entry(self, key, label, text):  # pragma: no cover - bibliographies are built by the hooks
        raise NotImplementedError


def format_source(style: HouseStyle, entry) -> str:
    """The house-style HTML of one entry (links into the archive still relative to ROOT)."""
    return style.format_entry("", entry).text.render(HtmlBackend())


def resolve_root(html_text: str, to_root: str) -> str:
    """Make archive links relative to the page that shows them ('../../' from 'artikel/x/')."""
    return html_text.replace(ROOT, to_root)


# ---- formatted sources inside pages ----
# Pages carry a token per cited source; the formatted HTML replaces it after the
# Markdown conversion, so Markdown never re-parses thousands of formatted sources
# (the same way Python-Markdown itself stashes raw HTML).

INLINE_TOKEN = "\ue000"  # inline, as in a note: no final full stop
SENTENCE_TOKEN = "\ue003"  # standing alone, as in a bibliography: with a full stop
TOKEN_END = "\ue001"
_TOKEN = re.compile(f"([{INLINE_TOKEN}{SENTENCE_TOKEN}])([^{TOKEN_END}]+){TOKEN_END}")


def source_token(key: str, sentence: bool = False) -> str:
    return f"{SENTENCE_TOKEN if sentence else INLINE_TOKEN}{key}{TOKEN_END}"


def substitute_sources(page_html: str, format_key: Callable[[str], str], to_root: str) -> str:
    """Put each source's house-style HTML in place of its token; archive links relative to the page."""
    def formatted(match: re.Match) -> str:
        text = format_key(match.group(2))
        return as_sentence(text) if match.group(1) == SENTENCE_TOKEN else text

    return resolve_root(_TOKEN.sub(formatted, page_html), to_root)


def bibliography_html(items, index_locations: Mapping[str, str] | None = None, heading: str = "Quellen") -> str:
    """The "Quellen" section: each source once, sorted, linked to the notes citing it.

    ``items`` are commentary.archive.CitedSource; ``index_locations`` maps keys to
    their entry in the source index (site paths). Markdown heading (for the table of
    contents) followed by a raw HTML list whose entries carry '#quelle-<key>' anchors.
    """
    if not items:
        return ""
    index_locations = index_locations or {}
    lines = [f"## {heading} {{#quellen}}", "", '<ul class="ka-bibliography">']
    for item in items:
        key = item.source.key
        notes = ", ".join(f'<a href="#{note.anchor}">{note.number}</a>' for note in item.notes)
        where = index_locations.get(key)
        if where:
            notes += f' · <a href="{ROOT}{where}" title="Alle Zitate dieser Quelle im Archiv">Quellenverzeichnis</a>'
        lines.append(f'<li id="quelle-{key}">{source_token(key, sentence=True)} <span class="ka-cited-in">Anm. {notes}</span></li>')
    lines.append("</ul>")
    return "\n".join(lines) + "\n"
