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


def _items(build, articles) -> tuple[FeedItem, ...]:
    """Feed items of the newest articles, each made once and kept while its article and page stay the same."""
    rendered = _rendered(build.config)
    made = _site.KEPT.setdefault(("feed items", build.config.site_dir), {})
    items = []
    for article in articles[:FEED_LENGTH]:
        html = rendered.get(article.path, f"<p>{article.description}</p>")
        known = made.get(article.path)
        if known is None or known[0] is not article or known[1] is not html:
            url = build.config.site_url.rstrip("/") + "/" + article.url
            item = FeedItem(article.title, url, publication_time(article.date), tuple(author_names(article, build.archive)),
                            article.description, absolute_links(html, url), article.tags)
            known = made[article.path] = (article, html, item)
        items.append(known[2])
    return tuple(items)


def _write(folder: Path, title: str, site_url: str, description: str, items: tuple[FeedItem, ...], base: str) -> None:
    written = _site.KEPT.setdefault("feeds written", {})  # folder -> what its feeds hold: a preview skips the same
    shown = (title, site_url, description, items)
    if written.get(folder) == shown and (folder / "feed.xml").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.xml").write_text(rss(title, site_url, base + "feed.xml", description, list(items)), encoding="utf-8")
    feed = json_feed(title, site_url, base + "feed.json", description, list(items))
    (folder / "feed.json").write_text(json.dumps(feed, ensure_ascii=False, indent=1), encoding="utf-8")
    written[folder] = shown


def on_post_build(config):
    build = build_for(config)
    site_url = config.site_url.rstrip("/") + "/"
    site = Path(config.site_dir)
    _write(site, config.site_name, site_url, config.site_description or "", _items(build, build.archive.articles), site_url)
    for series in build.archive.series.values():
        newest_first = [a for a in build.archive.articles if a.series == series.id]
        folder = f"serien/{series.id}/"
        _write(site / folder, f"{config.site_name}: {series.title}", site_url + folder, series.description,
               _items(build, newest_first), site_url + folder)
