"""What readers take away from the built demo: feeds, citation suggestions, BibTeX, Highwire tags."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from urllib.parse import unquote
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from conftest import ROOT, read_html

ARTICLES = sorted((ROOT / "docs" / "artikel").glob("*.md"))
FRONT = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in ARTICLES}
AUTHORS = yaml.safe_load((ROOT / "docs" / ".authors.yml").read_text(encoding="utf-8"))["authors"]
SERIES = yaml.safe_load((ROOT / "docs" / ".series.yml").read_text(encoding="utf-8"))
NS = {"content": "http://purl.org/rss/1.0/modules/content/", "dc": "http://purl.org/dc/elements/1.1/"}


def newest_first() -> list[str]:
    return [slug for slug, _ in sorted(FRONT.items(), key=lambda kv: (str(kv[1]["date"]), kv[0]), reverse=True)]


def test_rss_feed_is_valid_and_lists_the_newest_articles_with_rendered_notes(demo_site):
    channel = ET.parse(demo_site / "feed.xml").getroot().find("channel")
    items = channel.findall("item")
    assert [i.findtext("link").rstrip("/").rsplit("/", 1)[-1] for i in items] == newest_first()[:20]
    for item in items:
        slug = item.findtext("link").rstrip("/").rsplit("/", 1)[-1]
        assert item.findtext("title") == FRONT[slug]["title"]
        assert item.findtext("description") == FRONT[slug]["description"]
        assert {c.text for c in item.findall("dc:creator", NS)} == {AUTHORS[a]["name"] for a in FRONT[slug]["authors"]}
        content = BeautifulSoup(item.findtext("content:encoded", namespaces=NS), "html.parser")
        assert "[^" not in content.get_text() and "\ue000" not in str(content)
        notes = content.select("div.footnote li[id^='fn:']")
        assert len(notes) == len(re.findall(r"^\[\^\d+\]:", (ROOT / "docs" / "artikel" / f"{slug}.md").read_text(), re.M))
        assert all(a["href"].startswith(("http://", "https://")) for a in content.find_all("a", href=True))


def test_json_feed_matches_the_rss_feed(demo_site):
    feed = json.loads((demo_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    rss_links = [i.findtext("link") for i in ET.parse(demo_site / "feed.xml").getroot().iter("item")]
    assert [item["url"] for item in feed["items"]] == rss_links
    assert all("<li id=\"fn:1\">" in item["content_html"] for item in feed["items"])


@pytest.mark.parametrize("series_id", sorted(SERIES))
def test_each_series_has_its_own_feed(demo_site, series_id):
    items = ET.parse(demo_site / "serien" / series_id / "feed.xml").getroot().iter("item")
    slugs = [i.findtext("link").rstrip("/").rsplit("/", 1)[-1] for i in items]
    assert slugs == [s for s in newest_first() if FRONT[s].get("series") == series_id]
    page = read_html(demo_site, f"serien/{series_id}/")
    assert page.find("link", rel="alternate", href=re.compile(r"feed\.xml$"), title=re.compile(SERIES[series_id]["title"]))


@pytest.mark.parametrize("slug", sorted(FRONT))
def test_articles_are_citable(demo_site, slug):
    page = read_html(demo_site, f"artikel/{slug}/")
    front = FRONT[slug]
    meta = [(m["name"], m["content"]) for m in page.find_all("meta", attrs={"name": re.compile("^citation_")})]
    assert ("citation_title", front["title"]) in meta
    assert [c for n, c in meta if n == "citation_author"] == [AUTHORS[a]["name"] for a in front["authors"]]
    assert ("citation_publication_date", str(front["date"]).replace("-", "/")) in meta
    public = dict(meta)["citation_public_url"]
    assert public.endswith(f"/artikel/{slug}/") and public.startswith("http")

    suggestion = page.select_one(".ka-citation__text").get_text()
    assert f"„{front['title']}“" in suggestion and public.split("://", 1)[1].rstrip("/")[:30] in suggestion
    bibtex = page.select_one(".ka-citation__bibtex code").get_text()
    entry = next(iter(parse_string(bibtex, "bibtex").entries.values()))
    assert entry.fields["title"] == front["title"] and entry.fields["url"] == public
    assert entry.fields["date"] == str(front["date"])
    download = page.select_one(".ka-citation__bibtex a[download]")
    assert download["href"].startswith("data:application/x-bibtex;charset=utf-8,")
    assert unquote(download["href"].split(",", 1)[1]) == bibtex
    assert download["download"] == f"{entry.key}.bib"
