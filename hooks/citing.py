"""Citable articles: a "Zitiervorschlag", the article's own BibTeX entry (copy or download), Highwire tags."""

from __future__ import annotations

import _site
from _site import build_for, preview
from commentary.citing import article_entry, bibtex, highwire_tags, suggestion
from commentary.style import HouseStyle

DOWNLOAD_FOLDER = "zitieren"


_style = HouseStyle()  # for suggestions only: without the archive's internal links


def _bibtex(build, article) -> str:
    """The article's BibTeX entry; a preview rebuild reuses the text of every unchanged article."""
    made = _site.KEPT.setdefault(("bibtex", build.config.site_dir), {}) if preview() else {}
    known = made.get(article.path)
    names = tuple(a.name for a in build.archive.authors.values())
    if known is None or known[0] is not article or known[1] != names:
        known = made[article.path] = (article, names, bibtex(article, build.archive, build.config.site_name, build.config.site_url))
    return known[2]


def on_files(files, config):
    """A downloadable .bib per article (zitieren/<slug>.bib)."""
    build = build_for(config)
    for article in build.archive.articles:
        files.append(build.generated(f"{DOWNLOAD_FOLDER}/{article.slug}.bib", _bibtex(build, article)))
    return files


def on_page_context(context, page, config, nav):
    build = build_for(config)
    article = build.archive.by_path.get(page.file.src_uri)
    if article is not None:
        entry = article_entry(article, build.archive, config.site_name, config.site_url)
        context["ka_citation"] = {
            "suggestion": suggestion(entry, _style),
            "bibtex": _bibtex(build, article),
            "download": f"{DOWNLOAD_FOLDER}/{article.slug}.bib",
            "meta": highwire_tags(article, build.archive, config.site_name, config.site_url),
        }
    return context
