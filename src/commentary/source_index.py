"""The "Quellenverzeichnis": every source of the archive, grouped by medium, with the notes citing it.

Large archives have tens of thousands of sources, so the index is split into pages
of whole groups; each source's place (page and anchor) is known to every article's
bibliography, which links there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import Graph, SourceGroup
from .style import as_sentence

INDEX_FOLDER = "quellen"
TITLE = "Quellenverzeichnis"


@dataclass(frozen=True)
class IndexPage:
    src_path: str  # 'quellen/index.md', 'quellen/seite/2/index.md'
    number: int
    groups: tuple[SourceGroup, ...]

    @property
    def url(self) -> str:
        return self.src_path.removesuffix("index.md")

    @property
    def title(self) -> str:
        return TITLE if self.number == 1 else f"{TITLE} – Seite {self.number}"


def paginate_index(graph: Graph, per_page: int = 400) -> list[IndexPage]:
    """Whole groups per page, about ``per_page`` sources each; always at least one page."""
    chunks: list[list[SourceGroup]] = [[]]
    size = 0
    for group in graph.groups:
        if chunks[-1] and size + len(group.uses) > per_page:
            chunks.append([])
            size = 0
        chunks[-1].append(group)
        size += len(group.uses)
    return [
        IndexPage(f"{INDEX_FOLDER}/index.md" if n == 1 else f"{INDEX_FOLDER}/seite/{n}/index.md", n, tuple(groups))
        for n, groups in enumerate(chunks, 1)
    ]


def locations(pages: list[IndexPage]) -> dict[str, str]:
    """Source key -> site path of its index entry ('quellen/seite/2/#quelle-key')."""
    return {
        use.source.key: f"{page.url}#quelle-{use.source.key}"
        for page in pages for group in page.groups for use in group.uses
    }


def index_page_markdown(page: IndexPage) -> str:
    """The generated page itself only names its title and template; the hook hands it the groups."""
    return f'---\ntitle: "{page.title}"\ntemplate: ka-source-index.html\n---\n'


@dataclass(frozen=True)
class IndexEntry:
    key: str
    html: str  # the formatted source as a sentence (archive links still relative to ROOT)
    notes: tuple  # commentary.graph.NoteRef citing it


def index_entries(group: SourceGroup, format_key) -> list[IndexEntry]:
    return [IndexEntry(use.source.key, as_sentence(format_key(use.source.key)), tuple(use.notes)) for use in group.uses]
