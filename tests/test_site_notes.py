"""The demo archive as readers get it: numbered notes, German source formatting, "Quellen"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from conftest import ROOT, read_html

ARTICLES = sorted((ROOT / "docs" / "artikel").glob("*.md"))
NOTE_DEFINITION = re.compile(r"^\[\^(\w+)\]:[ \t]*(.*)$", re.M)
KEY = re.compile(r"(?<![\w\[])@([a-z][a-z0-9]*)")
ENGLISH_MONTHS = ("January", "February", "March", "May", "June", "July", "October", "December")


def all_entries() -> dict:
    entries = {}
    for bib in sorted((ROOT / "bib").glob("*.bib")):
        entries.update({key.lower(): entry for key, entry in parse_file(str(bib)).entries.items()})
    return entries


ENTRIES = all_entries()


def url_of(article: Path) -> str:
    return f"artikel/{article.stem}/"


def notes_in_markdown(article: Path) -> list[tuple[str, str]]:
    return NOTE_DEFINITION.findall(article.read_text(encoding="utf-8"))


def plain(text: str) -> str:
    return " ".join(text.split())


def test_the_demo_is_the_archive_the_issue_asks_for():
    assert len(ARTICLES) >= 12
    counts = [len(notes_in_markdown(a)) for a in ARTICLES]
    assert all(6 <= c <= 15 for c in counts), counts


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_notes_are_numbered_in_order_and_keep_their_commentary(demo_site, article):
    page = read_html(demo_site, url_of(article))
    rendered = page.select("div.footnote > ol > li")
    written = notes_in_markdown(article)
    assert [li["id"] for li in rendered] == [f"fn:{n}" for n in range(1, len(written) + 1)]
    assert [label for label, _ in written] == [str(n) for n in range(1, len(written) + 1)]
    for li, (label, text) in zip(rendered, written):
        # every piece of the note's own words survives, in order, around the formatted sources
        shown = plain(li.get_text())
        position = 0
        for piece in KEY.split(text)[::2]:
            piece = plain(piece).strip(" .,;:")
            if piece:
                found = shown.find(piece, position)
                assert found >= 0, f"note {label}: {piece!r} missing from {shown!r}"
                position = found + len(piece)
    refs = page.select("a.footnote-ref")
    assert [a.get_text() for a in refs][: len(written)] == [str(n) for n in range(1, len(written) + 1)]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_sources_read_in_the_german_house_style(demo_site, article):
    page = read_html(demo_site, url_of(article))
    text = " ".join(e.get_text() for e in page.select("div.footnote, ul.ka-bibliography"))
    assert " and " not in text
    for english in ("visited on", "URL:", "Available", "Accessed", "In:", *ENGLISH_MONTHS):
        assert english not in text, english
    assert "[^" not in page.get_text() and "\\bibliography" not in page.get_text()
    for key in dict.fromkeys(KEY.findall(article.read_text(encoding="utf-8"))):
        title = " ".join(ENTRIES[key].fields.get("title", "").replace("{", "").replace("}", "").split())
        if title:
            assert f"„{title}“" in plain(text), f"title of {key} not shown exactly"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_quellen_lists_each_source_once_with_links_to_its_notes(demo_site, article):
    page = read_html(demo_site, url_of(article))
    assert page.find("h2", id="anmerkungen") is not None
    assert page.find("h2", id="quellen") is not None
    items = page.select("ul.ka-bibliography > li")
    cited = list(dict.fromkeys(KEY.findall(article.read_text(encoding="utf-8"))))
    assert sorted(li["id"] for li in items) == sorted(f"quelle-{key}" for key in cited)
    for li in items:
        key = li["id"].removeprefix("quelle-")
        note_links = [a["href"] for a in li.select(".ka-cited-in a") if a["href"].startswith("#fn:")]
        assert note_links
        for href in note_links:
            note = page.find("li", id=href[1:])
            assert note is not None, href
            title = ENTRIES[key].fields.get("title", "").replace("{", "").replace("}", "")
            assert plain(title) in plain(note.get_text()) or not title


def test_quellen_are_sorted_by_author_then_title(demo_site):
    from commentary.text import sort_key

    for article in ARTICLES:
        page = read_html(demo_site, url_of(article))
        names = [plain(li.get_text()) for li in page.select("ul.ka-bibliography > li")]
        assert len(names) >= 2
        keys = []
        for li in page.select("ul.ka-bibliography > li"):
            entry = ENTRIES[li["id"].removeprefix("quelle-")]
            person = (entry.persons.get("author") or [None])[0]
            first = " ".join(person.last_names + person.first_names) if person else (
                entry.fields.get("organization") or entry.fields.get("title") or entry.fields.get("note", ""))
            keys.append(sort_key(first.replace("{", "").replace("}", "")))
        assert keys == sorted(keys), article.stem


def test_footnote_tooltips_are_switched_on(demo_site):
    page = read_html(demo_site, url_of(ARTICLES[0]))
    config = page.find("script", id="__config")
    assert config is not None and "content.footnote.tooltips" in config.get_text()
    assert page.select("sup > a.footnote-ref[href^='#fn:']")


def test_a_cyrillic_title_is_marked_as_russian(demo_site):
    russian = [key for key, entry in ENTRIES.items() if entry.fields.get("langid") == "russian"]
    assert russian, "the demo needs a Cyrillic source"
    found = 0
    for article in ARTICLES:
        if any(f"@{key}" in article.read_text(encoding="utf-8") for key in russian):
            page = read_html(demo_site, url_of(article))
            spans = page.select("div.footnote span[lang=ru]")
            assert spans and all(re.search("[а-яА-Я]", s.get_text()) for s in spans)
            found += 1
    assert found
