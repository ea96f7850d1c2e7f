"""The whole archive read from disk: articles, their notes, the bibliography, series, authors.

Everything derived (listings, cross-links, checks) is computed from this one model.
Files are re-read only when they change, so `mkdocs serve` rebuilds and repeated
calls within one build cost a stat per file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article, parse_article
from .bib import Bibliography, load_bibliography
from .notes import NoteParse, parse_notes
from .problems import ContentError, Problem
from .project import Author, Series, load_authors, load_series
from .text import normalise_url

ARTICLES_FOLDER = "artikel"


@dataclass
class Archive:
    articles: list[Article]  # newest first
    notes: dict[str, NoteParse]  # article path -> its notes
    bibliography: Bibliography
    series: dict[str, Series]
    authors: dict[str, Author]
    problems: list[Problem] = field(default_factory=list)
    docs_label: str = "docs"  # how messages name docs_dir (relative to the project root)

    def label(self, article: Article) -> str:
        """How messages name an article's file: 'docs/artikel/slug.md'."""
        return f"{self.docs_label}/{article.path}"

    def __post_init__(self) -> None:
        self.by_path = {a.path: a for a in self.articles}
        self._series_parts: dict[str, list[Article]] | None = None

    def series_parts(self, series_id: str) -> list[Article]:
        """A series' articles in reading order: by part number, then date."""
        if self._series_parts is None:
            grouped: dict[str, list[Article]] = {}
            for article in self.articles:
                if article.series:
                    grouped.setdefault(article.series, []).append(article)
            for parts in grouped.values():
                parts.sort(key=lambda a: (a.part if a.part is not None else 10**6, a.date, a.path))
            self._series_parts = grouped
        return self._series_parts.get(series_id, [])

    def internal_links(self) -> dict[str, str]:
        """Normalised original URL of each article -> its site path ('/artikel/slug/')."""
        return {normalise_url(a.original_url): f"/{a.url}" for a in self.articles if a.original_url}

    def cited_keys(self, article: Article) -> list[str]:
        """The article's source keys in order of first citation, without repeats."""
        keys: dict[str, None] = {}
        for note in self.notes[article.path].notes:
            keys.update(dict.fromkeys(note.keys))
        return list(keys)


_article_cache: dict[str, tuple[tuple[int, int], tuple[Article | None, list[Problem], NoteParse | None]]] = {}


def _read_article(file: Path, docs_dir: Path, label: str):
    stat = file.stat()
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _article_cache.get(str(file))
    if cached and cached[0] == signature:
        return cached[1]
    path = file.relative_to(docs_dir).as_posix()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        result = (None, [Problem(label, line, f"not UTF-8 ({error.reason} at byte {error.start})")], None)
    else:
        article, problems = parse_article(text, path, label)
        notes = parse_notes(article.body, article.body_line, label) if article else None
        result = (article, problems, notes)
    _article_cache[str(file)] = (signature, result)
    return result


def article_files(docs_dir: Path) -> list[Path]:
    folder = docs_dir / ARTICLES_FOLDER
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []


_last: tuple[tuple, Archive] | None = None


def archive_signature(docs_dir: Path, bib_dir: Path) -> tuple:
    """Changes whenever any content file is added, removed or modified."""
    files = [*article_files(docs_dir), docs_dir / ".series.yml", docs_dir / ".authors.yml", *sorted(bib_dir.rglob("*.bib"))]
    signature = []
    for file in files:
        try:
            stat = file.stat()
        except FileNotFoundError:
            continue
        signature.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


def load_archive(docs_dir: str | Path, bib_dir: str | Path, root: str | Path | None = None) -> Archive:
    """Read the archive below docs_dir and bib_dir; problems name files relative to root.

    Returns the same object again while no content file has changed.
    """
    global _last
    docs_dir, bib_dir = Path(docs_dir), Path(bib_dir)
    root = Path(root) if root else docs_dir.parent
    signature = (str(root), archive_signature(docs_dir, bib_dir))
    if _last and _last[0] == signature:
        return _last[1]
    problems: list[Problem] = []
    try:
        series = load_series(docs_dir)
        authors = load_authors(docs_dir)
    except ContentError as error:
        problems.append(error.problem)
        series, authors = {}, {}
    articles: list[Article] = []
    notes: dict[str, NoteParse] = {}
    for file in article_files(docs_dir):
        label = os.path.relpath(file, root).replace(os.sep, "/")
        article, found, note_parse = _read_article(file, docs_dir, label)
        problems.extend(found)
        if article is None:
            continue
        if note_parse is not None:
            problems.extend(note_parse.problems)
        articles.append(article)
        notes[article.path] = note_parse
    bibliography = load_bibliography(bib_dir, root)
    problems.extend(bibliography.problems)
    articles.sort(key=lambda a: (a.date, a.path), reverse=True)
    docs_label = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    archive = Archive(articles, notes, bibliography, series, authors, problems, docs_label)
    problems.extend(cross_problems(archive))
    _last = (signature, archive)
    return archive


def cross_problems(archive: Archive) -> list[Problem]:
    """Problems that need more than one file: unknown keys, authors, series, parts, uncited entries."""
    problems: list[Problem] = []
    cited: set[str] = set()
    parts: dict[tuple[str, int], Article] = {}
    for article in sorted(archive.articles, key=lambda a: a.path):
        label = archive.label(article)
        for citation in archive.notes[article.path].citations:
            if citation.in_note is None:
                problems.append(Problem(label, citation.line,
                                        f"'@{citation.key}' in the running text would be taken as a citation: "
                                        "cite sources inside a note, or write &#64; for a literal @"))
            elif citation.key.lower() not in archive.bibliography.sources:
                problems.append(Problem(label, citation.line, f"unknown source key '@{citation.key}' (no entry in bib/)"))
            cited.add(citation.key.lower())
        for author in article.authors:
            if archive.authors and author not in archive.authors:
                problems.append(Problem(label, article.line_of("authors"), f"unknown author '{author}' (not in docs/.authors.yml)"))
        if article.series:
            if article.series not in archive.series:
                problems.append(Problem(label, article.line_of("series"), f"unknown series '{article.series}' (not in docs/.series.yml)"))
            if article.part is not None:
                other = parts.setdefault((article.series, article.part), article)
                if other is not article:
                    problems.append(Problem(label, article.line_of("part"),
                                            f"part {article.part} of series '{article.series}' is also {archive.label(other)}"))
    for source in archive.bibliography.sources.values():
        if source.key.lower() not in cited:
            problems.append(Problem(source.file, source.line, f"{source.key}: entry is never cited", "notice"))
    return problems


@dataclass(frozen=True)
class CitedSource:
    source: object  # commentary.sources.Source
    notes: tuple  # the article's notes (commentary.notes.Note) citing it, in order


def article_bibliography(archive: Archive, article: Article) -> list[CitedSource]:
    """The article's sources for its "Quellen" section: sorted by author/title, with citing notes."""
    citing: dict[str, list] = {}
    for note in archive.notes[article.path].notes:
        for key in dict.fromkeys(k.lower() for k in note.keys):
            if key in archive.bibliography.sources:
                citing.setdefault(key, []).append(note)
    items = [CitedSource(archive.bibliography.sources[key], tuple(notes)) for key, notes in citing.items()]
    return sorted(items, key=lambda item: item.source.sort_key)
