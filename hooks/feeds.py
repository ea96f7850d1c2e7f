"""RSS and JSON feeds of the newest articles: one for the archive, one per series.

Item content is each article's rendered HTML (notes and sources included, never raw
``[^1]``), captured as MkDocs renders the page, with links made absolute.
"""

from __future__ import annotations

import json
from pathlib import Path

import _site
from _site import build_for
from commentary.citing import author_names
from commentary.feeds import FEED_LENGTH, FeedItem, absolute_links, json_feed, publication_time, rss

def _rendered(config) -> dict[str, str]:
    """Article path -> its rendered HTML; kept across preview rebuilds, which render only some."""
    return _site.KEPT.setdefault(("rendered", config.site_dir), {})


_chosen: tuple[object, set[str]] = (None, set())


def _in_feeds(build) -> set[str]:
    """The articles any feed shows: the newest overall and the newest of each series."""
    global _chosen
    if _chosen[0] is not build:
        articles = build.archive.articles
        chosen = {a.path for a in articles[:FEED_LENGTH]}
        for series in build.archive.series:
            chosen.update([a.path for a in articles if a.series == series][:FEED_LENGTH])
        _chosen = (build, chosen)
    return _chosen[1]


def on_page_content(html, page, config, files):
    if page.file.src_uri in _in_feeds(build_for(config)):  # only these: thousands of pages would cost memory
        _rendered(config)[page.file.src_uri] = html
    return html


def _items(build, articles, made: dict[str, FeedItem]) -> list[FeedItem]:
    """Feed items of the newest articles; ``made`` keeps each item for the other feeds of the build."""
    rendered = _rendered(build.config)
    items = []
    for article in articles[:FEED_LENGTH]:
        if article.path not in made:
            url = build.config.site_url.rstrip("/") + "/" + article.url
            html = rendered.get(article.path, f"<p>{article.description}</p>")
            made[article.path] = FeedItem(article.title, url, publication_time(article.date),
                                          tuple(author_names(article, build.archive)), article.description,
                                          absolute_links(html, url), article.tags)
        items.append(made[article.path])
    return items


def _write(folder: Path, title: str, site_url: str, description: str, items: list[FeedItem], base: str) -> None:
    written = _site.KEPT.setdefault("feeds written", {})  # path -> text, so a preview skips unchanged feeds
    feed = json_feed(title, site_url, base + "feed.json", description, items)
    for name, text in (("feed.xml", rss(title, site_url, base + "feed.xml", description, items)),
                       ("feed.json", json.dumps(feed, ensure_ascii=False, indent=1))):
        path = folder / name
        if written.get(path) == text and path.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[path] = text


def on_post_build(config):
    build = build_for(config)
    site_url = config.site_url.rstrip("/") + "/"
    site = Path(config.site_dir)
    made: dict[str, FeedItem] = {}
    _write(site, config.site_name, site_url, config.site_description or "", _items(build, build.archive.articles, made), site_url)
    for series in build.archive.series.values():
        newest_first = [a for a in build.archive.articles if a.series == series.id]
        folder = f"serien/{series.id}/"
        _write(site / folder, f"{config.site_name}: {series.title}", site_url + folder, series.description,
               _items(build, newest_first, made), site_url + folder)
