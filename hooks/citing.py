"""Citable articles: a "Zitiervorschlag", the article's own BibTeX entry (copy or download), Highwire tags.

The download is the entry itself as a data: link (with a file name), so the site
needs no extra file per article and the link works wherever the page does.
"""

from __future__ import annotations

from urllib.parse import quote

from _site import build_for
from commentary.citing import article_entry, article_key, bibtex, highwire_tags, suggestion
from commentary.style import HouseStyle

_style = HouseStyle()  # for suggestions only: without the archive's internal links


def on_page_context(context, page, config, nav):
    build = build_for(config)
    article = build.archive.by_path.get(page.file.src_uri)
    if article is not None:
        entry = article_entry(article, build.archive, config.site_name, config.site_url)
        text = bibtex(article, build.archive, config.site_name, config.site_url)
        context["ka_citation"] = {
            "suggestion": suggestion(entry, _style),
            "bibtex": text,
            "download": "data:application/x-bibtex;charset=utf-8," + quote(text),
            "filename": f"{article_key(article, build.archive)}.bib",
            "meta": highwire_tags(article, build.archive, config.site_name, config.site_url),
        }
    return context
