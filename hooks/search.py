"""German full-text search with Pagefind (site/pagefind/), built while MkDocs is still rendering.

Pagefind stems German (it reads the documents' lang="de") and readers download only
the index chunks their query needs. It indexes a search copy of every article: title
and content as rendered (notes with their formatted sources included; the "Quellen"
list, which repeats them, and all page chrome left out).

MkDocs converts all Markdown before it renders any template, so the search copies
are complete long before the build ends: Pagefind starts then, in a process of its
own, and indexes on the second core while MkDocs renders and writes the pages. A
build waits for it at the end. Under `mkdocs serve` the index is rebuilt in the
background once the editor has paused (PREVIEW_PAUSE), at low priority, so that it
never slows down the preview of the next edit.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

import _site
from _site import build_for, log, preview
from commentary.text import german_date

PREVIEW_PAUSE = 10.0  # seconds without a rebuild before a preview re-indexes
EXCLUDED = ".headerlink, .footnote-ref, .footnote-backref, #quellen, .ka-bibliography"
SEARCH_COPY = ('<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>'
               '<body><main data-pagefind-body data-pagefind-meta="datum:{date}"><h1>{title}</h1>\n{content}\n'
               '</main></body></html>\n')


@dataclass
class SearchIndex:
    """Lives as long as the process: `mkdocs serve` rebuilds keep the search copies."""

    staging: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ka-search-")))
    waiting_for: set[str] = field(default_factory=set)  # article URLs not yet copied in this build
    process: subprocess.Popen | None = None
    pending: threading.Timer | None = None  # a preview's re-indexing, waiting for a pause

    def stop(self) -> None:
        """A newer build supersedes whatever indexing is planned or running."""
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def start(self, site_dir: str, background: bool = False) -> None:
        self.stop()
        command = [sys.executable, "-m", "pagefind", "--site", str(self.staging),
                   "--output-path", str(Path(site_dir) / "pagefind"), "--exclude-selectors", EXCLUDED, "--quiet"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        preexec_fn=(lambda: os.nice(10)) if background else None)

    def start_after_pause(self, site_dir: str) -> None:
        def index_now() -> None:
            self.start(site_dir, background=True)
            self.finish()

        self.stop()
        self.pending = threading.Timer(PREVIEW_PAUSE, index_now)
        self.pending.daemon = True
        self.pending.start()

    def finish(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        output, _ = process.communicate()
        if process.returncode not in (0, -9):
            log.warning("Pagefind could not build the search index: %s", output.strip())


def _index(config) -> SearchIndex:
    return _site.KEPT.setdefault(("search", config.site_dir), SearchIndex())


def on_env(env, config, files):
    """Pagefind stores result URLs from the site root; tell the UI where the site is mounted."""
    env.globals["ka_site_path"] = urlsplit(config.site_url or "/").path or "/"
    return env


def on_pre_build(config):
    index = _index(config)
    if preview():
        index.stop()
    index.waiting_for = {a.url for a in build_for(config).archive.articles}
    for copy in index.staging.glob("**/index.html"):  # articles deleted since the last build
        if copy.parent.relative_to(index.staging).as_posix() + "/" not in index.waiting_for:
            copy.unlink()


@event_priority(-50)  # after the formatted sources are in place
def on_page_content(content, page, config, files):
    article = build_for(config).archive.by_path.get(page.file.src_uri)
    if article is not None:
        index = _index(config)
        target = index.staging / article.url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        date = german_date(article.date.isoformat())
        target.write_text(SEARCH_COPY.format(title=html.escape(article.title), date=date, content=content), encoding="utf-8")
        index.waiting_for.discard(article.url)
        if not index.waiting_for and not preview():
            index.start(config.site_dir)
    return content


def on_post_build(config):
    index = _index(config)
    if preview():
        if not (Path(config.site_dir) / "pagefind").exists():
            index.start(config.site_dir, background=True)  # the first build: search as soon as possible
            threading.Thread(target=index.finish, daemon=True).start()
        else:
            index.start_after_pause(config.site_dir)
        return
    if index.process is None:
        index.start(config.site_dir)
    index.finish()


def on_shutdown():
    for key, value in list(_site.KEPT.items()):
        if isinstance(value, SearchIndex):
            shutil.rmtree(value.staging, ignore_errors=True)
