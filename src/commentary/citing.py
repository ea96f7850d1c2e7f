"""How readers cite an archive article: a suggestion in house style, a BibTeX entry, Highwire tags."""

from __future__ import annotations

import re

from pybtex.database import Entry, Person

from .archive import Archive
from .article import Article
from .style import HouseStyle, as_sentence, format_source
from .text import ascii_fold, slugify
from .writing import format_entry


def article_key(article: Article, archive: Archive) -> str:
    """A BibTeX key in our key form: first author's last name, year, first title word."""
    author = archive.authors.get(article.authors[0]).name if article.authors and article.authors[0] in archive.authors else "archiv"
    last = re.sub(r"[^a-z]", "", ascii_fold(author.split()[-1]).lower()) or "archiv"
    word = next((w for w in slugify(article.title).split("-") if len(w) > 3), "artikel")
    return f"{last}{article.year}{word}"


def author_names(article: Article, archive: Archive) -> list[str]:
    return [archive.authors[a].name if a in archive.authors else a for a in article.authors]


def article_fields(article: Article, site_name: str, site_url: str) -> dict[str, str]:
    """The article as a biblatex @online entry pointing at its archive page (without authors)."""
    fields = {
        "title": article.title,
        "date": article.date.isoformat(),
        "url": site_url.rstrip("/") + "/" + article.url,
        "organization": site_name,
        "langid": "german",
    }
    if article.original_url:
        fields["note"] = f"Erstveröffentlichung: {article.original_url}"
    return fields


def article_entry(article: Article, archive: Archive, site_name: str, site_url: str) -> Entry:
    persons = {"author": [Person(name) for name in author_names(article, archive)]}
    entry = Entry("online", fields=article_fields(article, site_name, site_url), persons=persons)
    entry.key = article_key(article, archive)
    return entry


def bibtex(article: Article, archive: Archive, site_name: str, site_url: str) -> str:
    """The article's own BibTeX entry, written like every .bib of the archive."""
    authors = " and ".join(_last_first(name) for name in author_names(article, archive))
    fields = [("author", authors), *article_fields(article, site_name, site_url).items()]
    return format_entry("online", article_key(article, archive), fields)


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def suggestion(entry: Entry, style: HouseStyle) -> str:
    """The "Zitiervorschlag": the article in our own house style, as safe inline HTML.

    ``style`` must not know the archive's internal links: the suggestion points at
    the archive page itself.
    """
    return as_sentence(format_source(style, entry))


def highwire_tags(article: Article, archive: Archive, site_name: str, site_url: str) -> list[tuple[str, str]]:
    """Google Scholar's citation_* meta tags (name, content), one citation_author per author."""
    tags = [("citation_title", article.title)]
    tags += [("citation_author", name) for name in author_names(article, archive)]
    tags += [
        ("citation_publication_date", article.date.strftime("%Y/%m/%d")),
        ("citation_public_url", site_url.rstrip("/") + "/" + article.url),
        ("citation_language", "de"),
        ("citation_publisher", site_name),
    ]
    return tags
