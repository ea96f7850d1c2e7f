"""Cross-links: series navigation, "Zitiert in" backlinks, related articles, the source index, graph.json.

The graph comes from commentary.graph (computed once per build from the content);
this hook adds the source index pages and hands each page's part of the graph to
the overrides/partials/ka-*.html templates.
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup

from _site import build_for, preview
from commentary.graph import graph_export
from commentary.source_index import index_entries, index_page_markdown
from commentary.style import resolve_root


def on_files(files, config):
    """The source index ("Quellenverzeichnis"), one or more generated pages."""
    build = build_for(config)
    old = build.previous
    unchanged = old is not None and old.index_pages is build.index_pages and old.style is build.style
    for page in build.index_pages:
        content = index_page_markdown(page)
        if unchanged and page.src_path in old.fingerprints:  # same graph, same formatting: the same page
            files.append(build.generated(page.src_path, content, fingerprint=old.fingerprints[page.src_path]))
            continue
        shows = tuple((use.source.key, build.format(use.source.key), tuple((ref.url, ref.article.title) for ref in use.notes))
                      for group in page.groups for use in group.uses)
        files.append(build.generated(page.src_path, content, (shows, len(build.index_pages))))
    return files


def _relative_to_page(html: str, base_url: str) -> Markup:
    """Formatted source HTML with its archive links made relative to the page ('..' -> '../')."""
    to_root = "" if base_url in ("", ".") else base_url.rstrip("/") + "/"
    return Markup(resolve_root(html, to_root))


def on_env(env, config, files):
    env.filters["ka_root"] = _relative_to_page  # {{ entry.html | ka_root(base_url) }}
    return env


def on_page_context(context, page, config, nav):
    """Series position, citing notes and related articles for an article; gaps for a series page."""
    build = build_for(config)
    path = page.file.src_uri
    if path in build.archive.by_path:
        context["ka_position"] = build.graph.positions.get(path)
        context["ka_cited_by"] = build.graph.cited_by.get(path, [])
        context["ka_related"] = [
            {"url": build.archive.by_path[r.target].url, "title": build.archive.by_path[r.target].title, "reason": r.reason}
            for r in build.related(path)
        ]
    index_page = build.index_page(path)
    if index_page is not None:
        context["ka_index"] = {
            "page": index_page, "pages": build.index_pages,
            "groups": [(group, index_entries(group, build.format)) for group in index_page.groups],
            "total_sources": sum(len(g.uses) for g in build.graph.groups), "total_groups": len(build.graph.groups),
        }
    listing = build.listings.get(path)
    if listing is not None and listing.kind == "series":
        context["ka_not_yet"] = build.graph.not_yet_archived.get(listing.term, [])
    return context


def _write_graph(build, site_dir: str) -> None:
    export = graph_export(build.archive, build.graph, build.all_related)
    Path(site_dir, "graph.json").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")


def on_post_build(config):
    """site/graph.json: articles, series, sources, citations and related pairs for other tools.

    Ranking every article's relatives takes a second or two at a thousand articles:
    a preview rebuild leaves graph.json as the first build of `mkdocs serve` wrote it.
    """
    build = build_for(config)
    if not preview() or not Path(config.site_dir, "graph.json").exists():
        _write_graph(build, config.site_dir)
