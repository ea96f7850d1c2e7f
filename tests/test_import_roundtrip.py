"""Round trip: import -> `mkdocs build --strict` -> every note and every URL is on the built page."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from commentary.article import split_front_matter
from commentary.cli import main
from commentary.importer.command import read_document
from commentary.importer.fidelity import words
from commentary.importer.urls import find_urls
from commentary.text import normalise_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
IMPORTED = ["de_klammern.txt", "de_hochgestellt.txt", "en_angeklebt.txt", "de_zwei_listen.txt", "de_nbsp_striche.txt",
            "en_markdown.md", "de_webseite.html"]


class _Page(HTMLParser):
    """The notes (li id='fn:…') as text, and every link target of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.notes: dict[str, list[str]] = {}
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._stack: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        note = attrs.get("id") if tag == "li" and (attrs.get("id") or "").startswith("fn:") else None
        self._stack.append(note)
        if note:
            self.notes[note] = []

    def handle_endtag(self, tag):
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        for note in self._stack:
            if note:
                self.notes[note].append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("roundtrip") / "projekt"
    project.mkdir()
    for part in ("mkdocs.yml", "docs", "bib", "hooks", "overrides"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.exists():
            shutil.copy2(source, project / part)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        for name in IMPORTED:
            assert main(["import", str(FIXTURES / name), "--date", "2025-01-15"]) == 0, name
    finally:
        os.chdir(cwd)
    site = project / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=project,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project, site


@pytest.mark.parametrize("name", IMPORTED)
def test_every_note_and_url_is_on_the_built_page(built, name):
    project, site = built
    document = read_document(FIXTURES / name, name, None)
    slug_page = next(p for p in (project / "docs" / "artikel").glob("*.md")
                     if split_front_matter(p.read_text(encoding="utf-8"))[0].values.get("title") == document.title)
    parser = _Page()
    parser.feed((site / "artikel" / slug_page.stem / "index.html").read_text(encoding="utf-8"))
    hrefs = {normalise_url(html.unescape(h)) for h in parser.hrefs if h.startswith("http")}
    raw_notes = [n for note_list in document.lists for n in note_list.notes]
    assert len(parser.notes) == len(raw_notes)
    from commentary.importer.citations import CONNECTIVE_WORDS
    for (note_id, shown), raw in zip(parser.notes.items(), raw_notes):
        shown_words = {w.casefold() for w in words(" ".join(shown))}
        for word in words(raw.text):
            # a note's words are in the note as rendered (its sources in house style); connectives may differ
            assert word.casefold() in shown_words or word.casefold() in CONNECTIVE_WORDS or word.isdigit(), (
                f"{name} {note_id}: '{word}' not shown")
        for found in find_urls(raw.text):
            assert normalise_url(found.url) in hrefs, f"{name} {note_id}: {found.url} is not a link on the page"
    for block in document.blocks:
        for found in find_urls(block.text):
            assert normalise_url(found.url) in hrefs
        for _, url in document.links:
            assert normalise_url(re.sub(r"[?&]utm_[^&#]*", "", url)) in hrefs
