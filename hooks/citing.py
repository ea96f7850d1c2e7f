"""Citable articles: a "Zitiervorschlag", the article's own BibTeX entry (copy or download), Highwire tags."""

from __future__ import annotations

from _site import build_for
from commentary.citing import article_entry, bibtex, highwire_tags, suggestion
from commentary.style import HouseStyle

DOWNLOAD_FOLDER = "zitieren"


_style = HouseStyle()  # for suggestions only: without the archive's internal links


def _bibtex(build, article) -> str:
    return bibtex(article, build.archive, build.config.site_name, build.config.site_url)


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
