"""The German house style for sources, as a pybtex style that mkdocs-bibtex can use.

A formatted source reads like the notes of the original articles:

    Gretchen Small: „Putin Briefs Six Heads of State“, Executive Intelligence Review,
    8. August 2025, online unter eir.news/2025/08/… (abgerufen am 20. August 2025).

Each template below reads like the citation it produces. Rendering goes through
``InlineBackend``: the result is inline Markdown that is also plain HTML (every
character that Markdown or mkdocs-bibtex could act on is written as an entity),
so a title can never turn into markup, a link or another citation.
"""

from __future__ import annotations

from collections.abc import Mapping

from pybtex.backends import BaseBackend
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, join, node, optional

from .sources import Source, source_from_entry
from .text import escape_attribute, escape_inline, german_date, is_web_url, normalise_url, readable_url

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


def _missing(name: str, context) -> FieldIsMissing:
    return FieldIsMissing(name, context.get("entry"))


@node
def value(children, context, name):
    """A field of the Source, as plain text (no LaTeX decoding, case untouched)."""
    text = getattr(context["source"], name)
    if not text:
        raise _missing(name, context)
    return String(text)


@node
def date(children, context, name="date"):
    """An ISO (partial) date written in German: '8. August 2025'."""
    text = getattr(context["source"], name)
    if not text:
        raise _missing(name, context)
    return String(german_date(text))


@node
def quoted_title(children, context):
    """„Title“, in its own language, followed by a translation in brackets if given."""
    source: Source = context["source"]
    if not source.title:
        raise _missing("title", context)
    title = String(source.title)
    lang = LANGUAGE_CODES.get(source.langid.lower())
    if lang and lang != HOUSE_LANGUAGE:
        title = Tag(f"lang:{lang}", title)
    quoted = Text("„", title, "“")
    if source.titleaddon:
        quoted = Text(quoted, " [", source.titleaddon, "]")
    return quoted


@node
def creator(children, context):
    """Persons joined German-style ('A, B und C'); an organisation when there is no person."""
    who = context["source"].creator
    if not who:
        raise _missing("author", context)
    return String(who)


@node
def medium(children, context, prefix=""):
    where = context["source"].medium
    if not where:
        raise _missing("journaltitle", context)
    return Text(prefix, where)


@node
def place_and_publisher(children, context):
    """Books: 'Ort: Verlag', or whichever of the two is known."""
    source: Source = context["source"]
    parts = [p for p in (source.address, source.publisher or source.medium) if p]
    if not parts:
        raise _missing("publisher", context)
    return String(": ".join(parts))


@node
def link(children, context):
    """'online unter <readable URL>': only http(s) becomes a link; an archive article links inside."""
    source: Source = context["source"]
    if not source.url:
        raise _missing("url", context)
    shown = readable_url(source.url)
    if not is_web_url(source.url):
        return String(source.url)  # shown, never linked (and reported by the checks)
    target = context["internal_links"].get(normalise_url(source.url))
    return HRef(target or source.url, String(shown))


accessed = join["(abgerufen am ", date("urldate"), ")"]
online = join(sep=" ")["online unter", link, optional[accessed]]
head = join(sep=": ")[optional[creator], quoted_title]
pages = join["S. ", value("pages")]
report_series = join(sep=" ")[value("series"), optional[join["Nr. ", value("number")]]]

# One template per entry type: the comma-separated parts of the citation, in order.
TEMPLATES = {
    "online": [head, optional[medium], optional[date], optional[online]],
    "article": [head, optional[medium(prefix="in: ")], optional[date], optional[pages], optional[online]],
    "book": [head, optional[place_and_publisher], optional[date], optional[pages], optional[online]],
    "report": [head, optional[medium], optional[report_series], optional[date], optional[online]],
    "misc": [head, optional[medium], optional[date], optional[online]],
}


def citation_template(entry_type: str):
    """Without a final full stop: inside a note the note's own punctuation follows."""
    parts = TEMPLATES.get(entry_type, TEMPLATES["misc"])
    return join(sep=". ")[
        optional[join(sep=", ")[parts]],
        optional[value("note")],
    ]


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
    docs-relative Markdown path ('/artikel/slug.md'), so citing an earlier article
    links to its archive page while still showing where it first appeared.
    """

    default_sorting_style = "author_year_title"

    def __init__(self, internal_links: Mapping[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.internal_links = dict(internal_links or {})
        self._cache: dict[str, FormattedEntry] = {}
        self.formatted = 0  # how many entries were actually formatted (not served from the cache)

    def format_entry(self, label, entry, bib_data=None):
        cached = self._cache.get(entry.key)
        if cached is None:
            source = source_from_entry(entry)
            context = {"entry": entry, "source": source, "style": self, "internal_links": self.internal_links}
            text = citation_template(source.type).format_data(context)
            cached = FormattedEntry(entry.key, CachedText(text), label)
            self._cache[entry.key] = cached
            self.formatted += 1
        return cached


class InlineBackend(BaseBackend):
    """Inline Markdown that is at the same time safe HTML.

    Text is entity-escaped (see commentary.text.escape_inline); links to the web are
    raw <a> elements, links into the archive are Markdown links to the page's source
    file so that MkDocs resolves them relative to whichever page shows the note.
    """

    name = "commentary-inline"
    symbols = {"ndash": "–", "newblock": " ", "nbsp": "&nbsp;"}

    def format_str(self, text: str) -> str:
        return escape_inline(text)

    def format_tag(self, tag_name: str, text: str) -> str:
        if tag_name.startswith("lang:"):
            return f'<span lang="{escape_attribute(tag_name[5:])}">{text}</span>'
        return f"<{tag_name}>{text}</{tag_name}>"

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        if url.startswith("/"):
            return f'[{text}]({url} "{INTERNAL_LINK_TITLE}")'
        return f'<a href="{escape_attribute(url)}">{text}</a>'

    def format_protected(self, text: str) -> str:
        return text

    def write_entry(self, key, label, text):  # pragma: no cover - bibliographies are built by the hooks
        raise NotImplementedError


def format_source(style: HouseStyle, entry, backend: BaseBackend | None = None) -> str:
    """The house-style text of one entry, as inline Markdown/HTML."""
    return style.format_entry("", entry).text.render(backend or InlineBackend())


def bibliography_markdown(items, format_key, index_locations=None, heading: str = "Quellen") -> str:
    """The "Quellen" section: each source once, in house style, linked to the notes citing it.

    ``items`` are commentary.archive.CitedSource; ``format_key(key)`` returns the
    formatted inline text; ``index_locations`` maps keys to their entry in the source
    index. Emitted as Markdown-in-HTML so every entry carries an anchor
    ('#quelle-<key>') that "zitiert in" lists can point to.
    """
    index_locations = index_locations or {}
    if not items:
        return ""
    lines = [f"## {heading} {{#quellen}}", "", '<ul class="ka-bibliography" markdown="1">']
    for item in items:
        notes = ", ".join(f"[{note.number}](#{note.anchor})" for note in item.notes)
        where = index_locations.get(item.source.key)
        if where:
            notes += f' · [Quellenverzeichnis]({where} "Alle Zitate dieser Quelle im Archiv")'
        lines.append(
            f'<li id="quelle-{item.source.key}" markdown="span">{as_sentence(format_key(item.source.key))} '
            f'<span class="ka-cited-in">Anm. {notes}</span></li>'
        )
    lines.append("</ul>")
    return "\n".join(lines) + "\n"
