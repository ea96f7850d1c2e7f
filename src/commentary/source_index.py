"""The "Quellenverzeichnis": every source of the archive, grouped by medium, with the notes citing it.

Large archives have tens of thousands of sources, so the index is split into pages
of whole groups; each source's place (page and anchor) is known to every article's
bibliography, which links there.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .graph import Graph, SourceGroup
from .style import ROOT, source_token
from .text import escape_inline

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


def index_markdown(page: IndexPage, pages: list[IndexPage], graph: Graph) -> str:
    """One page of the index: Markdown headings per medium, raw HTML lists with source tokens."""
    esc = html.escape
    total_sources = sum(len(g.uses) for g in graph.groups)
    lines = [f'---\ntitle: "{page.title}"\n---\n']
    if page.number == 1:
        lines.append(f"Alle {total_sources} Quellen des Archivs aus {len(graph.groups)} Medien, "
                     "jeweils mit den Anmerkungen, die sie zitieren.\n")
    if len(pages) > 1:
        links = " · ".join(
            f"<strong>Seite {p.number}</strong>" if p is page else
            f'<a href="{ROOT}{p.url}">Seite {p.number}: {esc(p.groups[0].title)} – {esc(p.groups[-1].title)}</a>'
            for p in pages if p.groups
        )
        lines.append(f'<nav class="ka-index-pages">{links}</nav>\n')
    for group in page.groups:
        count = len(group.uses)
        lines.append(f"## {escape_inline(group.title)} {{#medium-{group.slug}}}\n")
        lines.append(f'<p class="ka-meta">{count} {"Quelle" if count == 1 else "Quellen"}</p>\n')
        lines.append('<ul class="ka-bibliography ka-source-index">')
        for use in group.uses:
            cited = ", ".join(
                f'<a href="{ROOT}{ref.article.url}#{ref.note.anchor}">{esc(ref.article.title)}, Anm. {ref.note.number}</a>'
                for ref in use.notes
            )
            lines.append(f'<li id="quelle-{use.source.key}">{source_token(use.source.key, sentence=True)} '
                         f'<span class="ka-cited-in">zitiert in {cited}</span></li>')
        lines.append("</ul>\n")
    return "\n".join(lines)
