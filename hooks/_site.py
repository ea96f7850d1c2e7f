"""What every hook shares: one Build per MkDocs build, and problems reported MkDocs' way.

MkDocs puts this folder on sys.path while it loads a hook, so hooks import this
module by name; it is loaded once and outlives rebuilds under `mkdocs serve`.
Nothing here formats output: it connects MkDocs to the library and makes sure each
derived thing (graph, listings, formatted sources) is computed once per build —
and, for a preview rebuild, only where the content it comes from has changed.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from commentary.archive import Archive, load_archive
from commentary.graph import Graph, build_graph, related_inputs
from commentary.listings import Card, Listing, build_listings, card
from commentary.project import load_project
from commentary.related import GermanAnalyzer, RelatedConfig, RelatedIndex
from commentary.source_index import IndexPage, locations, paginate_index
from commentary.style import HouseStyle, format_source

log = logging.getLogger("mkdocs.hooks.kommentar")

# Kept for the whole process: under `mkdocs serve` every rebuild reuses the stems
# and text analyses already computed (stemming is most of the text analysis).
ANALYZER_BY_LENGTH: dict[int, GermanAnalyzer] = {}
# Whatever else a hook must keep across the rebuilds of one `mkdocs serve` process.
KEPT: dict = {}


def preview() -> bool:
    """A `mkdocs serve --dirty` rebuild: only pages whose content changed are written."""
    return bool(KEPT.get("dirty"))


class DerivedFile(File):
    """A generated file MkDocs writes only when what it shows has changed (in a preview).

    ``fingerprint`` is a hash of everything the page shows; MkDocs asks
    ``is_modified`` before rendering a page in a dirty build.
    """

    fingerprint: int = 0
    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


def structure(archive: Archive) -> tuple:
    """What the graph is computed from, leaving out the running text of articles."""
    return (
        tuple((a.path, a.title, a.date, a.authors, a.tags, a.series, a.part, a.original_url,
               tuple((n.label, n.text, n.keys) for n in archive.notes[a.path].notes)) for a in archive.articles),
        tuple(archive.series.items()), tuple(archive.bibliography.sources.items()),
    )


class Build:
    """Everything derived from the content for one build, computed on first use.

    A preview rebuild starts from the previous Build: whatever was computed from
    unchanged content objects (the library re-reads only changed files) is reused.
    """

    def __init__(self, config, previous: Build | None = None):
        self.config = config
        self.root = Path(config.config_file_path).parent
        self.settings = (config.extra or {}).get("archive") or {}
        project = load_project(self.root)
        self.archive: Archive = load_archive(config.docs_dir, project.bib_dir, self.root)
        usable = previous is not None and previous.root == self.root and previous.config.site_url == config.site_url
        self.previous = previous if usable else None
        if previous is not None:
            previous.previous = None  # keep one generation only
        self._cards: dict[str, Card] = {}
        self._related: dict[str, list] = {}
        self.fingerprints: dict[str, int] = {}  # src path -> what that page shows (preview)
        # The archive is a few million long-lived objects: the collector would walk them again
        # and again during the build (and each preview rebuild) for nothing.
        gc.freeze()

    @cached_property
    def style(self) -> HouseStyle:
        """One style per build (each source formatted once), the previous one while still valid."""
        links = self.archive.internal_links()
        if self.previous is not None and self.previous.style.internal_links == links:
            return self.previous.style
        return HouseStyle(internal_links=links)

    def format(self, key: str) -> str:
        """House-style HTML of a source (formatted once per build by the style's cache)."""
        return format_source(self.style, self.archive.bibliography.entries[key])

    def card(self, article) -> Card:
        """What listings show of an article; an article appears in several listings."""
        found = self._cards.get(article.path)
        if found is None:
            old = self.previous
            if (old is not None and old.archive.by_path.get(article.path) is article and article.path in old._cards
                    and old.archive.authors == self.archive.authors and old.archive.series == self.archive.series):
                found = old._cards[article.path]
            else:
                found = card(self.archive, article)
            self._cards[article.path] = found
        return found

    @cached_property
    def listings(self) -> dict[str, Listing]:
        listings = build_listings(self.archive, per_page=int(self.settings.get("per_page", 20)))
        return {listing.src_path: listing for listing in listings}

    @cached_property
    def related_config(self) -> RelatedConfig:
        try:
            return RelatedConfig.from_mapping(self.settings.get("related") or {})
        except ValueError as error:
            raise PluginError(f"mkdocs.yml extra.archive.related: {error}") from None

    @cached_property
    def structure(self) -> tuple:
        return structure(self.archive)

    @cached_property
    def graph(self) -> Graph:
        """Citations, series and source uses; the previous graph while the structure is unchanged."""
        old = self.previous
        if old is not None and "graph" in old.__dict__ and old.structure == self.structure:
            return old.graph
        return build_graph(self.archive, self.config.site_url)

    @cached_property
    def related_index(self) -> RelatedIndex:
        """The index for ranking related articles; a preview edit of article texts only updates it."""
        config = self.related_config
        inputs = related_inputs(self.archive, self.graph, config.max_words)
        old = self.previous
        if old is not None and "related_index" in old.__dict__ and old.related_config == config:
            index = old.related_index
            before = {doc.id: doc for doc in index.docs}
            if before.keys() == {i.id for i in inputs} and all(replace(before[i.id], text=i.text) == i for i in inputs):
                for changed in (i for i in inputs if before[i.id].text != i.text):
                    index.replace_text(changed.id, changed.text)
                return index
        analyzer = ANALYZER_BY_LENGTH.setdefault(config.min_term_length, GermanAnalyzer(config.min_term_length))
        return RelatedIndex(inputs, config, analyzer)

    @cached_property
    def all_related(self) -> dict[str, list]:
        """Every article's related articles, ranked in one pass (full builds, graph.json)."""
        return self.related_index.related()

    def related(self, path: str) -> list:
        """An article's related articles; a preview ranks only the articles it renders."""
        if not preview():
            return self.all_related.get(path, [])
        if path not in self._related:
            self._related.update(self.related_index.related(only=[path]))
        return self._related.get(path, [])

    @cached_property
    def index_pages(self) -> list[IndexPage]:
        old = self.previous
        if old is not None and "index_pages" in old.__dict__ and old.graph is self.graph:
            return old.index_pages
        return paginate_index(self.graph, per_page=int(self.settings.get("sources_per_page", 400)))

    def index_page(self, src_path: str) -> IndexPage | None:
        return self._index_pages_by_path.get(src_path)

    @cached_property
    def _index_pages_by_path(self) -> dict[str, IndexPage]:
        return {page.src_path: page for page in self.index_pages}

    @cached_property
    def index_locations(self) -> dict[str, str]:
        old = self.previous
        if old is not None and "index_locations" in old.__dict__ and old.index_pages is self.index_pages:
            return old.index_locations
        return locations(self.index_pages)

    def generated(self, src_uri: str, content: str, shows: object = None, fingerprint: int | None = None) -> DerivedFile:
        """A generated file; ``shows`` is what its page displays beyond its content (for previews),
        or ``fingerprint`` the one a previous build computed for the very same page."""
        file = DerivedFile.generated(self.config, src_uri, content=content)
        if preview():
            self.fingerprints[src_uri] = fingerprint if fingerprint is not None else hash((content, shows))
        return file


_current: Build | None = None


def build_for(config) -> Build:
    """The Build of this config (MkDocs loads a new config object for every build)."""
    global _current
    if _current is None or _current.config is not config:
        _current = Build(config, previous=_current if preview() else None)
    return _current


def report(problems) -> None:
    """Errors become warnings (a --strict build fails); notices stay informational."""
    for problem in sorted(problems):
        if problem.level == "error":
            log.warning(str(problem))
        else:
            log.info(str(problem))
