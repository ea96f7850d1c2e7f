"""Shared fixtures: the demo archive built once per session, served on 127.0.0.1, and Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "bib", "hooks", "overrides")
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def copy_project(target: Path) -> Path:
    """A working copy of the project's content and site configuration (not .venv, not site/)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def mkdocs_build(project: Path, site: Path, strict: bool = True) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=project, env=BUILD_ENV, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The repository's demo archive, built with --strict into a temporary folder."""
    site = tmp_path_factory.mktemp("demo") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def demo_build_log(demo_site) -> str:
    return (demo_site.parent / "build.log").read_text() if (demo_site.parent / "build.log").exists() else ""


def read_html(site: Path, url: str) -> BeautifulSoup:
    """Parse a built page by its site-relative URL ('artikel/x/')."""
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def demo_url(demo_site):
    """Base URL of the built demo, served over HTTP on loopback."""
    server = serve(demo_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: the system's build where it exists, else Playwright's own."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("KA_CHROMIUM") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    opened = context.new_page()
    yield opened
    context.close()
