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


def on_page_content(html, page, config, files):
    if page.file.src_uri in build_for(config).archive.by_path:
        _rendered(config)[page.file.src_uri] = html
    return html


def _items(build, articles) -> list[FeedItem]:
    site_url = build.config.site_url
    rendered = _rendered(build.config)
    items = []
    for article in articles[:FEED_LENGTH]:
        url = site_url.rstrip("/") + "/" + article.url
        html = rendered.get(article.path, f"<p>{article.description}</p>")
        items.append(FeedItem(article.title, url, publication_time(article.date), tuple(author_names(article, build.archive)),
                              article.description, absolute_links(html, url), article.tags))
    return items


def _write(folder: Path, title: str, site_url: str, description: str, items: list[FeedItem], base: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.xml").write_text(rss(title, site_url, base + "feed.xml", description, items), encoding="utf-8")
    feed = json_feed(title, site_url, base + "feed.json", description, items)
    (folder / "feed.json").write_text(json.dumps(feed, ensure_ascii=False, indent=1), encoding="utf-8")


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
