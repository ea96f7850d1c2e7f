"""Listing pages (archive, years, categories, tags, authors, series) and every article's header.

All of it comes from front matter, computed by commentary.listings; this hook
only adds the generated pages to the build and hands each template its data.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from _site import archive_for, settings
from commentary.listings import Listing, build_listings, card

HOME_LATEST = 5
_listings: dict[str, Listing] = {}


def on_files(files, config):
    """Generate the listing pages as virtual Markdown files (their body is a template)."""
    global _listings
    archive = archive_for(config)
    listings = build_listings(archive, per_page=int(settings(config).get("per_page", 10)))
    _listings = {listing.src_path: listing for listing in listings}
    for listing in listings:
        intro = listing.intro.replace("\n", " ")
        content = f"---\ntitle: {_yaml_string(listing.title)}\ntemplate: ka-listing.html\n---\n\n{intro}\n"
        files.append(File.generated(config, listing.src_path, content=content))
    return files


def on_page_context(context, page, config, nav):
    """Hand the templates what they show: a listing's cards, an article's header."""
    archive = archive_for(config)
    listing = _listings.get(page.file.src_uri)
    if listing is not None:
        context["ka_listing"] = listing
        context["ka_cards"] = [card(archive, a) for a in listing.articles]
    article = archive.by_path.get(page.file.src_uri)
    if article is not None:
        context["ka_article"] = card(archive, article)
    if page.is_homepage:
        context["ka_latest"] = [card(archive, a) for a in archive.articles[:HOME_LATEST]]
        context["ka_series"] = _listings["serien/index.md"].terms if "serien/index.md" in _listings else ()
    return context


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
