"""`make serve` (mkdocs serve --dirty): an edit shows up, and so do the pages that show the edited article."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, copy_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> BeautifulSoup | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    except OSError:
        return None


def wait_for(url: str, condition, timeout: float = 90) -> BeautifulSoup:
    deadline = time.monotonic() + timeout
    page = None
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and condition(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url} did not change as expected within {timeout} s")


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "project")
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=project, env=BUILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, lambda page: page.find("h1") is not None, timeout=120)
        yield project, base
    finally:
        process.terminate()
        process.wait(timeout=30)


def front_matter_title(path) -> str:
    return re.search(r'^title: "?(.*?)"?$', path.read_text(encoding="utf-8"), re.M).group(1)


def test_an_edit_updates_the_article_and_every_page_that_shows_it(served):
    project, base = served
    graph = json.loads(fetch(base + "graph.json").get_text()) if fetch(base + "graph.json") else None
    # an article that is part 2+ of a series and cited by another article
    cited = {c["to"]: c["from"] for c in graph["internal_citations"]}
    target = next(a for a in graph["articles"] if a["id"] in cited and (a["part"] or 0) > 1)
    source = project / "docs" / (target["id"].rstrip("/") + ".md")
    old_title = front_matter_title(source)
    new_title = old_title + " (überarbeitet)"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(f"title: \"{old_title}\"", f"title: \"{new_title}\"", 1)
                          .replace("\n\n", "\n\nEin neuer erster Satz.\n\n", 1), encoding="utf-8")

    page = wait_for(base + target["id"], lambda p: new_title in p.find("h1").get_text())
    assert "Ein neuer erster Satz." in page.get_text()
    assert page.select_one(".ka-series") and page.select_one(".ka-related") and page.select_one(".ka-citedby")

    series = next(s for s in graph["series"] if target["id"] in s["parts"])
    previous_part = series["parts"][series["parts"].index(target["id"]) - 1]
    neighbour = fetch(base + previous_part)
    assert new_title in neighbour.select_one("nav.ka-series a[rel=next]").get_text()
    listing = fetch(base + f"serien/{series['id']}/")
    assert new_title in listing.get_text()

    # the citing article's own page did not change, but "Zitiert in" on the target names it,
    # and editing the citing article's title updates that list too
    citing = project / "docs" / (cited[target["id"]].rstrip("/") + ".md")
    citing_title = front_matter_title(citing)
    citing.write_text(citing.read_text(encoding="utf-8").replace(f"title: \"{citing_title}\"", f"title: \"{citing_title} II\"", 1),
                      encoding="utf-8")
    wait_for(base + target["id"], lambda p: f"{citing_title} II" in p.select_one(".ka-citedby").get_text())
