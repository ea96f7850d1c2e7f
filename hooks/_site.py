"""What every hook shares: one Build per MkDocs build, and problems reported MkDocs' way.

MkDocs puts this folder on sys.path while it loads a hook, so hooks import this
module by name; it is loaded once and outlives rebuilds under `mkdocs serve`.
Nothing here formats output: it connects MkDocs to the library and makes sure each
derived thing (graph, listings, formatted sources) is computed once per build.
"""

from __future__ import annotations

import logging
from functools import cached_property

from mkdocs.exceptions import PluginError
from pathlib import Path

from commentary.archive import Archive, load_archive
from commentary.graph import Graph, build_graph, related_inputs
from commentary.listings import Card, Listing, build_listings, card
from commentary.project import load_project
from commentary.related import GermanAnalyzer, RelatedConfig, related
from commentary.source_index import IndexPage, locations, paginate_index
from commentary.style import HouseStyle, format_source

log = logging.getLogger("mkdocs.hooks.kommentar")

# Kept for the whole process: under `mkdocs serve` every rebuild reuses the stems
# already computed (stemming is most of the text analysis).
ANALYZER_BY_LENGTH: dict[int, GermanAnalyzer] = {}
# Whatever else a hook must keep across the rebuilds of one `mkdocs serve` process.
KEPT: dict = {}


class Build:
    """Everything derived from the content for one build, computed on first use."""

    def __init__(self, config):
        self.config = config
        self.root = Path(config.config_file_path).parent
        self.settings = (config.extra or {}).get("archive") or {}
        project = load_project(self.root)
        self.archive: Archive = load_archive(config.docs_dir, project.bib_dir, self.root)
        self._cards: dict[str, Card] = {}

    @cached_property
    def style(self) -> HouseStyle:
        """A fresh style per build: each source is formatted once per build."""
        return HouseStyle(internal_links=self.archive.internal_links())

    def format(self, key: str) -> str:
        """House-style HTML of a source (formatted once per build by the style's cache)."""
        return format_source(self.style, self.archive.bibliography.entries[key])

    def card(self, article) -> Card:
        """What listings show of an article; an article appears in several listings."""
        if article.path not in self._cards:
            self._cards[article.path] = card(self.archive, article)
        return self._cards[article.path]

    @cached_property
    def listings(self) -> dict[str, Listing]:
        listings = build_listings(self.archive, per_page=int(self.settings.get("per_page", 10)))
        return {listing.src_path: listing for listing in listings}

    @cached_property
    def related_config(self) -> RelatedConfig:
        try:
            return RelatedConfig.from_mapping(self.settings.get("related") or {})
        except ValueError as error:
            raise PluginError(f"mkdocs.yml extra.archive.related: {error}") from None

    @cached_property
    def graph(self) -> Graph:
        """Citations, series, source uses and related articles, computed once per build."""
        graph = build_graph(self.archive, self.config.site_url)
        config = self.related_config
        analyzer = ANALYZER_BY_LENGTH.setdefault(config.min_term_length, GermanAnalyzer(config.min_term_length))
        graph.related = related(related_inputs(self.archive, graph), config, analyzer)
        return graph

    @cached_property
    def index_pages(self) -> list[IndexPage]:
        return paginate_index(self.graph, per_page=int(self.settings.get("sources_per_page", 400)))

    def index_page(self, src_path: str) -> IndexPage | None:
        return next((page for page in self.index_pages if page.src_path == src_path), None)

    @cached_property
    def index_locations(self) -> dict[str, str]:
        return locations(self.index_pages)


_current: Build | None = None


def build_for(config) -> Build:
    """The Build of this config (MkDocs loads a new config object for every build)."""
    global _current
    if _current is None or _current.config is not config:
        _current = Build(config)
    return _current


def report(problems) -> None:
    """Errors become warnings (a --strict build fails); notices stay informational."""
    for problem in sorted(problems):
        if problem.level == "error":
            log.warning(str(problem))
        else:
            log.info(str(problem))
