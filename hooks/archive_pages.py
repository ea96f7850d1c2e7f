"""Listing pages (archive, years, categories, tags, authors, series) and every article's header.

All of it comes from front matter, computed by commentary.listings; this hook
only adds the generated pages to the build and hands each template its data.
"""

from __future__ import annotations

from _site import build_for
from commentary.text import german_date

HOME_LATEST = 5


def on_files(files, config):
    """Generate the listing pages as virtual Markdown files (their body is a template)."""
    build = build_for(config)
    for listing in build.listings.values():
        intro = listing.intro.replace("\n", " ")
        content = f"---\ntitle: {_yaml_string(listing.title)}\ntemplate: ka-listing.html\n---\n\n{intro}\n"
        shows = (listing, tuple(build.card(a) for a in listing.articles))
        files.append(build.generated(listing.src_path, content, shows))
    return files


def on_env(env, config, files):
    """Templates write dates the German way: {{ article.date | german_date }}."""
    env.filters["german_date"] = lambda value: german_date(value.isoformat() if hasattr(value, "isoformat") else str(value))
    return env


def on_page_context(context, page, config, nav):
    """Hand the templates what they show: a listing's cards, an article's header."""
    build = build_for(config)
    archive = build.archive
    listing = build.listings.get(page.file.src_uri)
    if listing is not None:
        context["ka_listing"] = listing
        context["ka_cards"] = [build.card(a) for a in listing.articles]
    article = archive.by_path.get(page.file.src_uri)
    if article is not None:
        context["ka_article"] = build.card(article)
    if page.is_homepage:
        context["ka_latest"] = [build.card(a) for a in archive.articles[:HOME_LATEST]]
        context["ka_series_list"] = build.listings["serien/index.md"].terms
    return context


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
