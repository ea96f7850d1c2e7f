"""The archive as a graph: who cites whom, series order, where each source is used.

Computed from the archive model alone (front matter, notes, .bib); the hooks only
display it and site/graph.json exports it for other tools.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .archive import Archive
from .article import Article
from .notes import CITATION, Note
from .project import Series
from .sources import Source
from .text import normalise_url, slugify, sort_key

SNIPPET_LENGTH = 180
UNKNOWN_MEDIUM = "Ohne Angabe des Mediums"


@dataclass(frozen=True)
class NoteRef:
    """One note of one article."""

    article: Article
    note: Note

    @property
    def url(self) -> str:
        return f"{self.article.url}#{self.note.anchor}"


@dataclass(frozen=True)
class InternalCitation:
    """A note that cites another article of the archive (through a source with its URL)."""

    citing: NoteRef
    cited: Article
    key: str
    snippet: str


@dataclass(frozen=True)
class SeriesPosition:
    series: Series
    index: int  # 1-based position in reading order
    parts: tuple[Article, ...]

    @property
    def previous(self) -> Article | None:
        return self.parts[self.index - 2] if self.index > 1 else None

    @property
    def next(self) -> Article | None:
        return self.parts[self.index] if self.index < len(self.parts) else None


@dataclass
class SourceUse:
    source: Source
    notes: list[NoteRef] = field(default_factory=list)
    article: Article | None = None  # the archive article this source is, if any

    @property
    def articles(self) -> list[Article]:
        return list(dict.fromkeys(ref.article for ref in self.notes))


@dataclass(frozen=True)
class SourceGroup:
    title: str
    slug: str
    uses: tuple[SourceUse, ...]


@dataclass
class Graph:
    citations: list[InternalCitation]
    cited_by: dict[str, list[InternalCitation]]  # article path -> notes citing it
    cites: dict[str, list[InternalCitation]]  # article path -> its notes citing others
    positions: dict[str, SeriesPosition]  # article path -> place in its series
    uses: dict[str, SourceUse]  # source key -> where it is cited
    groups: list[SourceGroup]  # the source index, grouped by medium or domain
    not_yet_archived: dict[str, list[SourceUse]]  # series id -> cited series articles missing here


def note_snippet(note: Note, sources: dict[str, Source], length: int = SNIPPET_LENGTH) -> str:
    """A note as short plain text: each @key becomes the cited title, Markdown marks dropped."""

    def title_of(match: re.Match) -> str:
        source = sources.get(match.group("key").lower())
        if source is None:
            return match.group(0)
        return f"„{source.title}“" if source.title else source.note or source.creator

    text = CITATION.sub(title_of, note.text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links -> their text
    text = re.sub(r"[*_`]+", "", " ".join(text.split()))
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def archive_urls(archive: Archive, site_url: str | None) -> dict[str, Article]:
    """Normalised URLs under which an article is known: where it first appeared, and here."""
    known: dict[str, Article] = {}
    for article in archive.articles:
        if article.original_url:
            known[normalise_url(article.original_url)] = article
        if site_url:
            known[normalise_url(site_url.rstrip("/") + "/" + article.url)] = article
    return known


def medium_of(source: Source) -> str:
    """The heading a source is listed under in the source index."""
    if source.medium:
        return source.medium
    if not source.authors and source.creator:
        return source.creator
    if source.url:
        return source.host
    return UNKNOWN_MEDIUM


def build_graph(archive: Archive, site_url: str | None = None) -> Graph:
    sources = archive.bibliography.sources
    known = archive_urls(archive, site_url)
    uses: dict[str, SourceUse] = {}
    for key, source in sources.items():
        uses[key] = SourceUse(source, article=known.get(source.normalised_url) if source.url else None)

    citations: list[InternalCitation] = []
    for article in sorted(archive.articles, key=lambda a: (a.date, a.path)):
        for note in archive.notes[article.path].notes:
            for key in dict.fromkeys(note.keys):
                use = uses.get(key) or uses.get(key.lower())
                if use is None:
                    continue
                ref = NoteRef(article, note)
                use.notes.append(ref)
                if use.article is not None and use.article is not article:
                    citations.append(InternalCitation(ref, use.article, key, note_snippet(note, sources)))

    cited_by: dict[str, list[InternalCitation]] = {}
    cites: dict[str, list[InternalCitation]] = {}
    for citation in citations:
        cited_by.setdefault(citation.cited.path, []).append(citation)
        cites.setdefault(citation.citing.article.path, []).append(citation)

    positions: dict[str, SeriesPosition] = {}
    for series in archive.series.values():
        parts = tuple(archive.series_parts(series.id))
        for index, article in enumerate(parts, 1):
            positions[article.path] = SeriesPosition(series, index, parts)

    domains = {domain: series for series in archive.series.values() for domain in series.domains}
    not_yet: dict[str, list[SourceUse]] = {}
    for use in uses.values():
        if use.article is None and use.notes and use.source.url:
            series = domains.get(use.source.host)
            if series is not None:
                not_yet.setdefault(series.id, []).append(use)
    for missing in not_yet.values():
        missing.sort(key=lambda use: (use.source.date, use.source.sort_key))

    return Graph(citations, cited_by, cites, positions, uses, group_sources(uses.values()), not_yet)


def group_sources(uses) -> list[SourceGroup]:
    """The source index: sources by medium (or domain), groups and entries in German order."""
    grouped: dict[str, list[SourceUse]] = {}
    for use in uses:
        if use.notes:
            grouped.setdefault(medium_of(use.source), []).append(use)
    groups = []
    slugs: set[str] = set()
    for title in sorted(grouped, key=sort_key):
        slug = slugify(title, max_words=10) or "quelle"
        while slug in slugs:
            slug += "-x"
        slugs.add(slug)
        entries = sorted(grouped[title], key=lambda use: use.source.sort_key)
        groups.append(SourceGroup(title, slug, tuple(entries)))
    return groups


def graph_export(archive: Archive, graph: Graph, related: dict[str, list]) -> dict:
    """The graph as plain JSON data (site/graph.json); ids are article URLs and source keys.

    ``related`` maps article paths to their commentary.related.Relation lists.
    """
    articles = sorted(archive.articles, key=lambda a: (a.date, a.path))
    return {
        "articles": [
            {"id": a.url, "title": a.title, "date": a.date.isoformat(), "authors": list(a.authors),
             "series": a.series, "part": a.part, "tags": list(a.tags), "categories": list(a.categories),
             "original_url": a.original_url, "notes": len(archive.notes[a.path].notes)}
            for a in articles
        ],
        "series": [
            {"id": s.id, "title": s.title, "description": s.description, "domains": list(s.domains),
             "parts": [a.url for a in archive.series_parts(s.id)]}
            for s in archive.series.values()
        ],
        "sources": [
            {"key": use.source.key, "type": use.source.type, "title": use.source.title, "creator": use.source.creator,
             "medium": medium_of(use.source), "date": use.source.date, "url": use.source.url or None,
             "article": use.article.url if use.article else None}
            for use in sorted(graph.uses.values(), key=lambda u: u.source.key)
        ],
        "citations": [  # every note -> source edge
            {"article": ref.article.url, "note": ref.note.number, "source": use.source.key}
            for use in sorted(graph.uses.values(), key=lambda u: u.source.key) for ref in use.notes
        ],
        "internal_citations": [
            {"from": c.citing.article.url, "note": c.citing.note.number, "to": c.cited.url, "source": c.key}
            for c in graph.citations
        ],
        "related": [
            {"from": archive.by_path[path].url, "to": archive.by_path[r.target].url, "score": r.score,
             "components": r.components, "reason": r.reason}
            for path in sorted(related) for r in related[path]
        ],
    }


_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:.*(?:\n(?: {4}|\t).*)*", re.M)
_MARKUP = re.compile(r"\[\^[^\]]+\]|!?\[([^\]]*)\]\([^)]*\)|<[^>]+>")  # note marks, links, tags
_MARKUP_CHARACTERS = "#*_`>|"


CHARACTERS_PER_WORD = 15  # generous: German words average 6-7 letters, plus spaces and marks


@functools.lru_cache(maxsize=20_000)
def article_text(article: Article, max_words: int | None = None) -> str:
    """An article's running text for text similarity: no notes, no Markdown syntax.

    With ``max_words`` only the beginning is prepared (text similarity reads no further).
    Remembered per article (articles hash by value): a preview rebuild reads only edited ones.
    """
    text = article.body if max_words is None else article.body[: max_words * CHARACTERS_PER_WORD]
    if "\n[^" in text:
        text = _NOTE_DEFINITION.sub(" ", text)
    text = _MARKUP.sub(lambda m: m.group(1) or " ", text)
    for mark in _MARKUP_CHARACTERS:  # str.replace runs in C; translate() with a table does not
        text = text.replace(mark, " ")
    return text


def related_inputs(archive: Archive, graph: Graph, max_words: int | None = None) -> list:
    """What commentary.related ranks: text (its first ``max_words`` words suffice), tags, series,
    cited sources, cited archive articles, date."""
    from .related import RelatedInput

    cites: dict[str, set[str]] = {}
    for citation in graph.citations:
        cites.setdefault(citation.citing.article.path, set()).add(citation.cited.path)
    return [
        RelatedInput(id=a.path, text=article_text(a, max_words), tags=a.tags, series=a.series,
                     sources=frozenset(k.lower() for k in archive.cited_keys(a)),
                     cites=frozenset(cites.get(a.path, ())), date=a.date)
        for a in archive.articles
    ]
