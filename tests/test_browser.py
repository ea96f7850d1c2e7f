"""The built demo in real Chromium: tooltips, note links, series, backlinks, search, privacy."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from conftest import read_html


@pytest.fixture(scope="module")
def graph(demo_site) -> dict:
    return json.loads((demo_site / "graph.json").read_text(encoding="utf-8"))


def first_article_with_sources(demo_site, graph) -> str:
    for article in graph["articles"]:
        page = read_html(demo_site, article["id"])
        if page.select("div.footnote li a[href^='http']"):
            return article["id"]
    raise AssertionError("no article cites a web source")


def test_hovering_a_note_shows_the_formatted_source(page, demo_url, demo_site, graph):
    url = first_article_with_sources(demo_site, graph)
    soup = read_html(demo_site, url)
    note = next(li for li in soup.select("div.footnote > ol > li") if li.select("a[href^='http']"))
    number = note["id"].removeprefix("fn:")
    page.goto(demo_url + url)
    page.locator(f"a.footnote-ref[href='#fn:{number}']").first.hover()
    tooltip = page.locator(".md-tooltip2").first
    tooltip.wait_for(state="visible", timeout=5000)
    shown = " ".join(tooltip.inner_text().split())
    expected = " ".join(note.get_text().replace("↩", "").split())
    assert expected[:80] in shown
    assert "„" in shown and "online unter" in shown


def test_a_note_link_goes_to_the_note_and_back(page, demo_url, graph):
    url = graph["articles"][0]["id"]
    page.goto(demo_url + url)
    page.locator("a.footnote-ref[href='#fn:2']").first.click()
    page.wait_for_function("location.hash === '#fn:2'")
    assert page.locator("li[id='fn:2']").is_visible()
    page.locator("li[id='fn:2'] a.footnote-backref").click()
    page.wait_for_function("location.hash === '#fnref:2'")
    in_view = page.evaluate("""() => { const r = document.getElementById('fnref:2').getBoundingClientRect();
                                      return r.top >= 0 && r.bottom <= window.innerHeight; }""")
    assert in_view


PAGE_TYPES = {
    "start": "",
    "archive": "archiv/",
    "year": None,  # filled from the build
    "series overview": "serien/",
    "source index": "quellen/",
    "tags": "schlagwoerter/",
    "404": "404.html",
}


def test_no_page_type_contacts_a_third_party_host(browser, demo_url, demo_site, graph):
    urls = {name: path for name, path in PAGE_TYPES.items() if path is not None}
    urls["article"] = graph["articles"][0]["id"]
    urls["series"] = f"serien/{graph['series'][0]['id']}/"
    urls["year"] = f"archiv/{graph['articles'][0]['date'][:4]}/"
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for name, path in urls.items():
        page.goto(demo_url + path)
        page.wait_for_load_state("networkidle")
        if name == "article":
            page.click("[data-ka-search-open]")
            page.locator(".pagefind-ui__search-input").press_sequentially("Energie", delay=20)
            page.wait_for_selector(".pagefind-ui__result", timeout=10000)
            page.keyboard.press("Escape")
    context.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert len(requests) > 20
    assert hosts == {"127.0.0.1"}, sorted(u for u in requests if urlsplit(u).hostname != "127.0.0.1")


def search(page, demo_url, query: str) -> list[str]:
    page.goto(demo_url)
    page.click("[data-ka-search-open]")
    page.locator(".pagefind-ui__search-input").press_sequentially(query, delay=20)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    page.wait_for_timeout(300)  # let the result list settle after the last keystroke
    return [urlsplit(a.get_attribute("href")).path for a in page.query_selector_all(".pagefind-ui__result-link")]


@pytest.mark.parametrize("written,query", [("Wärmepumpe", "Wärmepumpen"), ("Sanktionen", "Sanktion"),
                                           ("Netzentgelte", "Netzentgelten")])
def test_search_finds_inflected_forms(page, demo_url, demo_site, written, query):
    """Articles that contain only another form of the word are found: Pagefind stems German."""
    import re

    def words(url: str) -> set[str]:
        return set(re.findall(r"\w+", read_html(demo_site, url).select_one("[data-pagefind-body]").get_text()))

    urls = [f"artikel/{p.name}/" for p in (demo_site / "artikel").iterdir()]
    only_other_form = {f"/{url}" for url in urls if written in words(url) and query not in words(url)}
    assert only_other_form, f"the demo should have an article with {written!r} but not {query!r}"
    found = set(search(page, demo_url, query))
    assert only_other_form <= found, only_other_form - found


def test_search_results_are_articles_only(page, demo_url):
    results = search(page, demo_url, "Archiv")
    assert results and all(path.startswith("/artikel/") for path in results)


def test_click_through_a_series_and_back(page, demo_url, graph):
    series = max(graph["series"], key=lambda s: len(s["parts"]))
    parts = series["parts"]
    page.goto(demo_url + f"serien/{series['id']}/")
    page.locator(".ka-card__title a").first.click()
    visited = [urlsplit(page.url).path]
    for _ in parts[1:]:
        page.locator("nav.ka-series a[rel=next]").click()
        page.wait_for_load_state()
        visited.append(urlsplit(page.url).path)
    assert visited == [f"/{p}" for p in parts]
    assert page.locator("nav.ka-series a[rel=next]").count() == 0
    for _ in parts[1:]:
        page.locator("nav.ka-series a[rel=prev]").click()
        page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/{parts[0]}"
    assert page.locator("nav.ka-series a[rel=prev]").count() == 0


def test_a_zitiert_in_link_leads_to_the_citing_note(page, demo_url, graph):
    citation = graph["internal_citations"][0]
    page.goto(demo_url + citation["to"])
    link = page.locator("section.ka-citedby li > a").first
    link.click()
    page.wait_for_load_state()
    note_id = urlsplit(page.url).fragment
    assert note_id.startswith("fn:")
    note = page.locator(f"li[id='{note_id}']")
    assert note.is_visible() and note.locator("a[title='Im Archiv lesen']").count() >= 1
    target = note.locator("a[title='Im Archiv lesen']").first.get_attribute("href")
    assert target.rstrip("/").endswith(citation["to"].rstrip("/"))


def test_the_bibtex_entry_can_be_copied(browser, demo_url, graph):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_url.rstrip("/"))
    page = context.new_page()
    page.goto(demo_url + graph["articles"][0]["id"])
    page.locator(".ka-citation__bibtex summary").click()
    page.locator("[data-ka-copy]").click()
    page.wait_for_function("document.querySelector('[data-ka-copy]').textContent === 'Kopiert'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(".ka-citation__bibtex code").inner_text()
    assert copied.startswith("@online{")
    context.close()
