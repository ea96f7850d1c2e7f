"""The cross-link graph on small hand-made archives: internal citations, backlinks, series, gaps, the source index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commentary.archive import load_archive
from commentary.graph import build_graph, graph_export, note_snippet
from commentary.source_index import locations, paginate_index

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path) -> Path:
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    return project


def graph_of(project: Path, site_url: str | None = None):
    archive = load_archive(project / "docs", project / "bib", project)
    assert not [p for p in archive.problems if p.level == "error"], archive.problems
    return archive, build_graph(archive, site_url)


def add_source(project: Path, bib: str, entry: str) -> None:
    path = project / "bib" / bib
    path.write_text(path.read_text(encoding="utf-8") + "\n" + entry + "\n", encoding="utf-8")


def cite(project: Path, article: str, key: str) -> None:
    path = project / "docs" / "artikel" / article
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[^1]: Siehe", f"[^1]: Siehe @{key} und", 1), encoding="utf-8")


def test_a_note_citing_an_earlier_article_by_its_original_url_is_an_internal_citation(mini):
    archive, graph = graph_of(mini)
    [citation] = graph.citations
    assert (citation.citing.article.slug, citation.citing.note.number, citation.cited.slug) == ("netze-teil-zwei", 1, "netze-teil-eins")
    assert graph.cited_by["artikel/netze-teil-eins.md"] == [citation]
    assert citation.snippet == "Siehe „Netze, Teil eins“ und erneut „Monitoringbericht 2024“."


def test_order_of_publication_does_not_matter_and_a_later_article_can_be_cited(mini):
    """Part one cites part two (say, an update added to an old article): still an internal link."""
    add_source(mini, "netze-teil-eins.bib",
               "@online{keller2024zwei, author = {Keller, Anna}, title = {Netze, Teil zwei}, "
               "url = {http://www.strom.example/2024/05/netze-zwei}}")
    cite(mini, "netze-teil-eins.md", "keller2024zwei")
    archive, graph = graph_of(mini)
    assert {(c.citing.article.slug, c.cited.slug) for c in graph.citations} == {
        ("netze-teil-zwei", "netze-teil-eins"), ("netze-teil-eins", "netze-teil-zwei")}


def test_a_citation_of_the_archive_page_itself_counts_too(mini):
    add_source(mini, "netze-teil-zwei.bib",
               "@online{archiv2024eins, title = {Netze, Teil eins (Archiv)}, organization = {Archiv}, "
               "url = {https://archiv.example/kommentare/artikel/netze-teil-eins/}}")
    cite(mini, "netze-teil-zwei.md", "archiv2024eins")
    _, without_site = graph_of(mini)
    assert len(without_site.citations) == 1
    _, graph = graph_of(mini, site_url="https://archiv.example/kommentare/")
    assert sorted(c.key for c in graph.citations) == ["archiv2024eins", "keller2024netze"]


def test_a_self_citation_is_not_a_backlink(mini):
    add_source(mini, "netze-teil-eins.bib",
               "@online{keller2024selbst, author = {Keller, Anna}, title = {Netze, Teil eins}, "
               "url = {https://strom.example/2024/03/netze-eins/}}")
    cite(mini, "netze-teil-eins.md", "keller2024selbst")
    archive = load_archive(mini / "docs", mini / "bib", mini)
    # two keys with the same URL are reported, and the graph still links nothing to itself
    assert any("same URL" in p.message for p in archive.problems)
    graph = build_graph(archive)
    assert all(c.citing.article is not c.cited for c in graph.citations)


def test_a_series_article_not_yet_in_the_archive_is_listed_as_a_gap(mini):
    add_source(mini, "netze-teil-zwei.bib",
               "@online{keller2023null, author = {Keller, Anna}, title = {Netze, Teil null}, date = {2023-11-01}, "
               "url = {https://strom.example/2023/11/netze-null/}}")
    cite(mini, "netze-teil-zwei.md", "keller2023null")
    _, graph = graph_of(mini)
    [gap] = graph.not_yet_archived["strom"]
    assert gap.source.key == "keller2023null" and gap.article is None
    assert [(ref.article.slug, ref.note.number) for ref in gap.notes] == [("netze-teil-zwei", 1)]
    assert "keller2023null" not in {c.key for c in graph.citations}


def test_series_positions_follow_the_part_numbers(mini):
    _, graph = graph_of(mini)
    one, two = graph.positions["artikel/netze-teil-eins.md"], graph.positions["artikel/netze-teil-zwei.md"]
    assert (one.index, one.previous, one.next.slug) == (1, None, "netze-teil-zwei")
    assert (two.index, two.previous.slug, two.next) == (2, "netze-teil-eins", None)


def test_the_source_index_groups_every_cited_source_once_and_paginates_whole_groups(mini):
    archive, graph = graph_of(mini)
    assert [(g.title, [u.source.key for u in g.uses]) for g in graph.groups] == [
        ("Amt für Netze", ["amt2024bericht"]), ("Stromblick", ["keller2024netze"])]
    assert [len(u.notes) for g in graph.groups for u in g.uses] == [2, 1]
    pages = paginate_index(graph, per_page=1)
    assert [p.src_path for p in pages] == ["quellen/index.md", "quellen/seite/2/index.md"]
    assert locations(pages)["keller2024netze"] == "quellen/seite/2/#quelle-keller2024netze"


def test_snippets_are_short_plain_text():
    from commentary.notes import Note
    from commentary.sources import Source

    note = Note("1", 1, "Siehe @a. " + "Ein *langer* [Kommentar](https://x.example) " * 20, 3, ("a",))
    snippet = note_snippet(note, {"a": Source("a", "online", title="Titel")}, length=60)
    assert snippet.startswith("Siehe „Titel“. Ein langer Kommentar") and snippet.endswith(" …")
    assert len(snippet) <= 62 and "*" not in snippet and "](" not in snippet


def test_graph_export_lists_every_edge(mini):
    archive, graph = graph_of(mini)
    export = graph_export(archive, graph, related={})
    assert [a["id"] for a in export["articles"]] == ["artikel/netze-teil-eins/", "artikel/netze-teil-zwei/"]
    assert export["internal_citations"] == [
        {"from": "artikel/netze-teil-zwei/", "note": 1, "to": "artikel/netze-teil-eins/", "source": "keller2024netze"}]
    assert sorted((c["article"], c["note"], c["source"]) for c in export["citations"]) == [
        ("artikel/netze-teil-eins/", 1, "amt2024bericht"), ("artikel/netze-teil-zwei/", 1, "amt2024bericht"),
        ("artikel/netze-teil-zwei/", 1, "keller2024netze")]
