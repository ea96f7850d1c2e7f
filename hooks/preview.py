"""Live preview: `mkdocs serve --dirty` rewrites only the pages an edit changed.

MkDocs' dirty mode re-renders a page only if its source file is newer than its
output. That is right for the edited article, but not for the pages that show it:
its series neighbours, the articles it cites, the listings, the source index. Here
every page gets a fingerprint of what it shows (commentary objects hash by value);
a page whose fingerprint changed since the previous build is rewritten too:
generated pages through DerivedFile.changed, written pages by dating their output
back so MkDocs finds it outdated. The first build of a process renders everything.

A related-articles list is computed when its page is rendered; other pages keep the
list they showed until they are rendered again (a full build ranks all articles).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2

from mkdocs.plugins import event_priority

import _site
from _site import DerivedFile, build_for, preview
from commentary.archive import article_bibliography

HOME = "index.md"


def on_startup(command, dirty):
    _site.KEPT["dirty"] = dirty


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory: MkDocs builds a new Jinja environment for every rebuild."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:  # the key includes a checksum of the template's source
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def on_env(env, config, files):
    if preview():
        env.bytecode_cache = _site.KEPT.setdefault("templates", TemplateCache())
    return env


def _article_shows(build, article) -> int:
    old = build.previous
    if (old is not None and old.archive.by_path.get(article.path) is article and old.graph is build.graph
            and old.style is build.style and old.index_locations is build.index_locations
            and article.path in old.fingerprints and old.archive.authors == build.archive.authors):
        return old.fingerprints[article.path]  # nothing it shows can have changed
    graph = build.graph
    position = graph.positions.get(article.path)
    series = None
    if position is not None:
        series = (position.series, position.index, len(position.parts),
                  *((a.url, a.title) if a else None for a in (position.previous, position.next)))
    cited_by = tuple((c.citing.url, c.citing.article.title, c.citing.article.date, c.snippet)
                     for c in graph.cited_by.get(article.path, ()))
    sources = tuple((item.source.key, build.format(item.source.key), build.index_locations.get(item.source.key))
                    for item in article_bibliography(build.archive, article))
    return hash((build.card(article), series, cited_by, sources))


def _home_shows(build) -> int:
    latest = tuple(build.card(a) for a in build.archive.articles[:5])
    return hash((latest, build.listings["serien/index.md"].terms))


@event_priority(-100)  # after every hook has added its generated files
def on_files(files, config):
    if not preview():
        return files
    build = build_for(config)
    for article in build.archive.articles:
        build.fingerprints[article.path] = _article_shows(build, article)
    build.fingerprints[HOME] = _home_shows(build)
    before = _site.KEPT.get(("fingerprints", config.site_dir), {})
    for file in files:
        shown = build.fingerprints.get(file.src_uri)
        if shown is None:
            continue  # not derived from the archive: MkDocs' own rule (source newer than output) decides
        unchanged = before.get(file.src_uri) == shown and os.path.exists(file.abs_dest_path)
        if isinstance(file, DerivedFile):
            file.changed = not unchanged
        elif not unchanged and os.path.exists(file.abs_dest_path):
            os.utime(file.abs_dest_path, (0, 0))  # older than its source: MkDocs renders it again
    return files


def on_post_build(config):
    if not preview():
        return
    build = build_for(config)
    _site.KEPT[("fingerprints", config.site_dir)] = build.fingerprints
    # an article deleted since the last build leaves no page behind
    live = {a.url for a in build.archive.articles}
    for folder in Path(config.site_dir, "artikel").glob("*/"):
        if f"artikel/{folder.name}/" not in live:
            shutil.rmtree(folder, ignore_errors=True)
