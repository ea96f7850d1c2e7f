"""Cross-links on the built demo: series order and navigation, internal citations, "Zitiert in", source index."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
import yaml
from pybtex.database import parse_file

from conftest import ROOT, read_html

ARTICLES = sorted((ROOT / "docs" / "artikel").glob("*.md"))
KEY = re.compile(r"(?<![\w\[])@([a-z][a-z0-9]*)")


def front_matter(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


FRONT = {f"artikel/{p.stem}/": front_matter(p) for p in ARTICLES}
SERIES = yaml.safe_load((ROOT / "docs" / ".series.yml").read_text(encoding="utf-8"))
ENTRIES = {}
ENTRY_FILE = {}
for bib in sorted((ROOT / "bib").glob("*.bib")):
    for key, entry in parse_file(str(bib)).entries.items():
        ENTRIES[key.lower()] = entry
        ENTRY_FILE[key.lower()] = bib.name


def norm(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


ORIGINAL = {norm(fm["original_url"]): url for url, fm in FRONT.items() if fm.get("original_url")}


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """A relative href on page_url -> (site-relative page URL, fragment)."""
    absolute = urljoin("http://site/" + page_url, href)
    path, _, fragment = absolute.removeprefix("http://site/").partition("#")
    return path, fragment


def parts_in_order(series_id: str) -> list[str]:
    parts = [(fm.get("part"), fm["date"], url) for url, fm in FRONT.items() if fm.get("series") == series_id]
    return [url for _, _, url in sorted(parts, key=lambda t: (t[0] or 999, str(t[1])))]


@pytest.mark.parametrize("series_id", sorted(SERIES))
def test_series_page_lists_parts_in_order_and_each_part_links_its_neighbours(demo_site, series_id):
    expected = parts_in_order(series_id)
    assert len(expected) >= 3
    listing = read_html(demo_site, f"serien/{series_id}/")
    shown = [resolve(f"serien/{series_id}/", a["href"])[0] for a in listing.select(".ka-card__title a")]
    assert shown == expected
    for index, url in enumerate(expected):
        page = read_html(demo_site, url)
        assert f"Teil {index + 1} von {len(expected)} der Serie" in page.select_one(".ka-series-position").get_text(" ")
        nav = page.select_one("nav.ka-series")
        prev, next_ = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        assert (resolve(url, prev["href"])[0] if prev else None) == (expected[index - 1] if index else None)
        assert (resolve(url, next_["href"])[0] if next_ else None) == (expected[index + 1] if index + 1 < len(expected) else None)


def internal_citations():
    """(citing page, note number, cited page) for every note citing an archive article's original URL."""
    found = []
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        for label, note in re.findall(r"^\[\^(\d+)\]:(.*)$", text, re.M):
            for key in KEY.findall(note):
                url = ENTRIES[key].fields.get("url")
                if url and norm(url) in ORIGINAL:
                    found.append((f"artikel/{path.stem}/", label, ORIGINAL[norm(url)], key))
    return found


def test_the_demo_has_internal_citations():
    assert len(internal_citations()) >= 4


def test_internal_citations_link_to_the_archive_page_showing_the_original_url(demo_site):
    for citing, label, cited, key in internal_citations():
        page = read_html(demo_site, citing)
        note = page.find("li", id=f"fn:{label}")
        links = [a for a in note.find_all("a") if a.get("title") == "Im Archiv lesen"]
        assert [resolve(citing, a["href"])[0] for a in links].count(cited) >= 1, (citing, label)
        shown = next(a for a in links if resolve(citing, a["href"])[0] == cited).get_text()
        original = norm(ENTRIES[key].fields["url"])
        # the original URL is shown, whole or as host/…/last-segment
        head, _, tail = shown.partition("…")
        assert original.startswith(head.rstrip("/")) and original.endswith(tail.lstrip("/")), (shown, original)


def test_cited_articles_list_their_citing_notes_with_working_anchors(demo_site):
    expected: dict[str, set] = {}
    for citing, label, cited, _ in internal_citations():
        if citing != cited:
            expected.setdefault(cited, set()).add((citing, f"fn:{label}"))
    for cited, notes in expected.items():
        page = read_html(demo_site, cited)
        section = page.select_one("section.ka-citedby")
        assert section is not None, cited
        shown = {resolve(cited, a["href"]) for a in section.select("li > a")}
        assert shown == notes
        for target, fragment in shown:
            assert read_html(demo_site, target).find(id=fragment) is not None
        assert all(li.select_one(".ka-snippet").get_text().strip() for li in section.select("li"))


def test_the_source_index_lists_every_entry_once_with_its_citing_notes(demo_site):
    cited_by: dict[str, set] = {}
    for path in ARTICLES:
        for label, note in re.findall(r"^\[\^(\d+)\]:(.*)$", path.read_text(encoding="utf-8"), re.M):
            for key in KEY.findall(note):
                cited_by.setdefault(key, set()).add((f"artikel/{path.stem}/", f"fn:{label}"))
    page = read_html(demo_site, "quellen/")
    items = page.select("ul.ka-source-index > li")
    keys = [li["id"].removeprefix("quelle-") for li in items]
    assert sorted(keys) == sorted(ENTRIES) and len(keys) == len(set(keys))
    for li in items:
        key = li["id"].removeprefix("quelle-")
        links = {resolve("quellen/", a["href"]) for a in li.select(".ka-cited-in a")}
        assert links == cited_by[key], key


def test_each_bibliography_entry_links_to_its_place_in_the_source_index(demo_site):
    for path in ARTICLES[:5]:
        url = f"artikel/{path.stem}/"
        page = read_html(demo_site, url)
        for li in page.select("ul.ka-bibliography > li"):
            link = li.find("a", string="Quellenverzeichnis")
            target, fragment = resolve(url, link["href"])
            assert fragment == li["id"]
            assert read_html(demo_site, target).find("li", id=fragment) is not None


def test_graph_json_exports_articles_sources_and_edges(demo_site):
    graph = json.loads((demo_site / "graph.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in graph["articles"]} == set(FRONT)
    assert {s["key"] for s in graph["sources"]} == set(ENTRIES)
    assert {(c["from"], f"fn:{c['note']}", c["to"]) for c in graph["internal_citations"]} == {
        (citing, f"fn:{label}", cited) for citing, label, cited, _ in internal_citations() if citing != cited}
    assert len(graph["citations"]) >= len(ENTRIES)


def cited_keys(url: str) -> set[str]:
    path = ROOT / "docs" / (url.rstrip("/") + ".md")
    return set(KEY.findall(path.read_text(encoding="utf-8").split("\n[^1]:", 1)[-1]))


@pytest.mark.parametrize("url", sorted(FRONT))
def test_related_articles_come_with_reasons_that_are_true(demo_site, url):
    page = read_html(demo_site, url)
    items = page.select("section.ka-related li")
    assert 1 <= len(items) <= 5
    internal = {(citing, cited) for citing, _, cited, _ in internal_citations()}
    for li in items:
        target = resolve(url, li.a["href"])[0]
        assert target in FRONT and target != url
        reason = li.select_one(".ka-reason").get_text()
        assert reason.strip()
        parts = reason.split(" · ")
        if "gleiche Serie" in parts:
            assert FRONT[url].get("series") and FRONT[url].get("series") == FRONT[target].get("series")
        if "zitiert diesen Artikel" in parts:
            assert (target, url) in internal
        if "wird hier zitiert" in parts:
            assert (url, target) in internal
        shared = [p for p in parts if "gemeinsame Quelle" in p]
        if shared:
            assert int(shared[0].split()[0]) == len(cited_keys(url) & cited_keys(target))
        tags = [p for p in parts if p.startswith("Schlagwörter: ")]
        if tags:
            named = set(tags[0].removeprefix("Schlagwörter: ").split(", "))
            assert named <= set(FRONT[url]["tags"]) & set(FRONT[target]["tags"])


def test_an_article_citing_another_lists_it_first_among_its_relatives(demo_site):
    for citing, _, cited, _ in internal_citations():
        page = read_html(demo_site, citing)
        targets = [resolve(citing, li.a["href"])[0] for li in page.select("section.ka-related li")]
        assert cited in targets[:3], (citing, cited, targets)
