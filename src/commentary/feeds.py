"""RSS 2.0 and JSON Feed 1.1 of the newest articles, with their notes rendered as HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timezone
from email.utils import format_datetime
from urllib.parse import urljoin
from xml.sax.saxutils import escape

FEED_LENGTH = 20
_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str  # absolute
    date: datetime
    authors: tuple[str, ...]
    summary: str
    content_html: str  # with absolute links
    tags: tuple[str, ...] = ()


def absolute_links(html: str, page_url: str) -> str:
    """Feed readers show content out of context: relative href/src become absolute."""

    def absolute(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("http://", "https://", "mailto:")):
            return match.group(0)
        if target.startswith("#"):
            return f'{match.group(1)}="{page_url}{target}"'
        return f'{match.group(1)}="{urljoin(page_url, target)}"'

    return _LINK_ATTRIBUTE.sub(absolute, html)


def publication_time(day) -> datetime:
    """Articles have dates, feeds want instants: noon UTC keeps the calendar day everywhere in Europe."""
    return datetime.combine(day, time(12, 0), tzinfo=timezone.utc)


def rss(title: str, site_url: str, feed_url: str, description: str, items: list[FeedItem]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(site_url)}</link>",
        f"<description>{escape(description)}</description>",
        "<language>de</language>",
        f'<atom:link href="{escape(feed_url)}" rel="self" type="application/rss+xml"/>',
    ]
    if items:
        parts.append(f"<lastBuildDate>{format_datetime(max(i.date for i in items))}</lastBuildDate>")
    for item in items:
        parts += [
            "<item>",
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.url)}</link>",
            f'<guid isPermaLink="true">{escape(item.url)}</guid>',
            f"<pubDate>{format_datetime(item.date)}</pubDate>",
            *(f"<dc:creator>{escape(a)}</dc:creator>" for a in item.authors),
            *(f"<category>{escape(t)}</category>" for t in item.tags),
            f"<description>{escape(item.summary)}</description>",
            f"<content:encoded>{escape(item.content_html)}</content:encoded>",
            "</item>",
        ]
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts) + "\n"


def json_feed(title: str, site_url: str, feed_url: str, description: str, items: list[FeedItem]) -> dict:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site_url,
        "feed_url": feed_url,
        "description": description,
        "language": "de",
        "items": [
            {
                "id": item.url,
                "url": item.url,
                "title": item.title,
                "summary": item.summary,
                "content_html": item.content_html,
                "date_published": item.date.isoformat(),
                "authors": [{"name": a} for a in item.authors],
                "tags": list(item.tags),
            }
            for item in items
        ],
    }
