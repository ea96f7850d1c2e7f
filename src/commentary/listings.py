"""The archive's listing pages: everything, by year, category, tag, author and series.

Listings show what the front matter states (title, date, authors, series,
description) and never render article bodies again: that keeps a build of
thousands of articles linear (the Material blog plugin re-renders every post for
each listing it appears on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .archive import Archive
from .article import Article
from .text import german_date, slugify, sort_key

SECTIONS = {  # kind -> (folder, title of the overview page)
    "archive": ("archiv", "Archiv"),
    "category": ("kategorien", "Kategorien"),
    "tag": ("schlagwoerter", "Schlagwörter"),
    "author": ("autoren", "Autorinnen und Autoren"),
    "series": ("serien", "Serien"),
}
WORDS_PER_MINUTE = 200
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:.*$", re.M)
_WORD = re.compile(r"\w+")


def term_path(kind: str, name: str) -> str:
    """Site-relative folder of one category, tag, author, series or year ('schlagwoerter/osze/')."""
    folder = SECTIONS[kind][0]
    slug = name if kind in ("author", "series") else slugify(name, max_words=12)
    return f"{folder}/{slug}/"


def reading_minutes(article: Article) -> int:
    words = len(_WORD.findall(_NOTE_DEFINITION.sub("", article.body)))
    return max(1, round(words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # site-relative, e.g. 'kategorien/europa/'
    count: int = 0
    description: str = ""


@dataclass(frozen=True)
class Card:
    """What a listing shows of one article."""

    title: str
    url: str
    date: str  # ISO, for <time datetime>
    date_text: str  # '12. März 2024'
    authors: tuple[Link, ...]
    categories: tuple[Link, ...]
    tags: tuple[Link, ...]
    series: Link | None
    part: int | None
    description: str
    minutes: int
    original_url: str | None


def card(archive: Archive, article: Article) -> Card:
    authors = tuple(
        Link(archive.authors[a].name if a in archive.authors else a, term_path("author", a)) for a in article.authors
    )
    series = None
    if article.series:
        known = archive.series.get(article.series)
        series = Link(known.title if known else article.series, term_path("series", article.series))
    return Card(
        title=article.title,
        url=article.url,
        date=article.date.isoformat(),
        date_text=german_date(article.date.isoformat()),
        authors=authors,
        categories=tuple(Link(c, term_path("category", c)) for c in article.categories),
        tags=tuple(Link(t, term_path("tag", t)) for t in article.tags),
        series=series,
        part=article.part,
        description=article.description,
        minutes=reading_minutes(article),
        original_url=article.original_url,
    )


@dataclass(frozen=True)
class Listing:
    """One generated page: a (paginated) list of articles, or an overview of terms."""

    src_path: str  # virtual Markdown file, e.g. 'archiv/seite/2/index.md'
    title: str
    kind: str
    term: str = ""  # the category, tag, author id, series id or year listed
    articles: tuple[Article, ...] = ()
    terms: tuple[Link, ...] = ()  # for overview pages
    intro: str = ""
    page: int = 1
    pages: tuple[str, ...] = ()  # site-relative URLs of all pages of this listing
    years: tuple[Link, ...] = field(default=(), compare=False)

    @property
    def url(self) -> str:
        return self.src_path.removesuffix("index.md")


def _page_urls(base: str, count: int) -> tuple[str, ...]:
    return tuple(base if n == 1 else f"{base}seite/{n}/" for n in range(1, count + 1))


def _paginate(base: str, title: str, kind: str, term: str, articles: list[Article], per_page: int, intro: str = "", **extra) -> list[Listing]:
    chunks = [articles[i:i + per_page] for i in range(0, len(articles), per_page)] or [[]]
    urls = _page_urls(base, len(chunks))
    return [
        Listing(f"{url}index.md", title if n == 1 else f"{title} – Seite {n}", kind, term, tuple(chunk),
                intro=intro, page=n, pages=urls, **extra)
        for n, (url, chunk) in enumerate(zip(urls, chunks), 1)
    ]


def _group(articles: list[Article], names) -> dict[str, list[Article]]:
    groups: dict[str, list[Article]] = {}
    for article in articles:
        for name in names(article):
            groups.setdefault(name, []).append(article)
    return groups


def build_listings(archive: Archive, per_page: int = 10) -> list[Listing]:
    """Every listing page of the archive (articles in archive.articles are newest first)."""
    articles = archive.articles
    listings: list[Listing] = []
    by_year = _group(articles, lambda a: [str(a.year)])
    years = tuple(Link(year, f"archiv/{year}/", len(items)) for year, items in sorted(by_year.items(), reverse=True))
    listings += _paginate("archiv/", "Archiv", "archive", "", articles, per_page, years=years)
    for year, items in by_year.items():
        listings += _paginate(f"archiv/{year}/", f"Archiv {year}", "year", year, items, per_page, years=years)

    for kind, names in (("category", lambda a: a.categories), ("tag", lambda a: a.tags)):
        groups = _group(articles, names)
        merged: dict[str, tuple[str, list[Article]]] = {}
        for name, items in groups.items():  # names that share a slug share a page
            url = term_path(kind, name)
            shown, existing = merged.get(url, (name, []))
            merged[url] = (shown, existing + [a for a in items if a not in existing])
        terms = []
        for url, (name, items) in sorted(merged.items(), key=lambda kv: sort_key(kv[1][0])):
            items.sort(key=lambda a: (a.date, a.path), reverse=True)
            listings += _paginate(url, name, kind, name, items, per_page)
            terms.append(Link(name, url, len(items)))
        folder, title = SECTIONS[kind]
        listings.append(Listing(f"{folder}/index.md", title, f"{kind}-index", terms=tuple(terms)))

    authors = _group(articles, lambda a: a.authors)
    terms = []
    for author_id, items in sorted(authors.items(), key=lambda kv: sort_key(_author_name(archive, kv[0]))):
        name = _author_name(archive, author_id)
        intro = archive.authors[author_id].description if author_id in archive.authors else ""
        listings += _paginate(term_path("author", author_id), name, "author", author_id, items, per_page, intro=intro)
        terms.append(Link(name, term_path("author", author_id), len(items)))
    listings.append(Listing("autoren/index.md", SECTIONS["author"][1], "author-index", terms=tuple(terms)))

    terms = []
    for series in archive.series.values():
        parts = archive.series_parts(series.id)
        url = term_path("series", series.id)
        listings.append(Listing(f"{url}index.md", series.title, "series", series.id, tuple(parts), intro=series.description))
        terms.append(Link(series.title, url, len(parts), series.description))
    listings.append(Listing("serien/index.md", SECTIONS["series"][1], "series-index", terms=tuple(terms)))
    return listings


def _author_name(archive: Archive, author_id: str) -> str:
    return archive.authors[author_id].name if author_id in archive.authors else author_id
