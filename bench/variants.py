"""The two sites the benchmark compares, built from one generated archive.

full  our own configuration: the repository's mkdocs.yml, hooks/ and overrides/ (and the
      site pages in its docs/, minus its articles) next to the generated docs/ and bib/,
      so every relative path in mkdocs.yml keeps working.
peer  the same content as a plain Material blog: blog + tags plugins, no hooks, no
      bibtex, no custom theme. Notes stay footnotes and ``@key`` stays literal text.

Everything about HOW a variant is built or served lives here, in FULL_BUILD,
FULL_SEARCH_INDEX, PEER_BUILD and SERVE: change the full variant's command in this one place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv running the benchmark
MKDOCS = str(BIN / "mkdocs")

# --- how each variant is built ---------------------------------------------------------
# The full site as `make build` builds it (cwd = the variant's folder, output to site/).
FULL_BUILD = [MKDOCS, "build", "--strict", "--site-dir", "site"]
# Pagefind, run after FULL_BUILD only if that build did not already write site/pagefind/
# (once the site's own build runs Pagefind, this step disappears by itself).
FULL_SEARCH_INDEX = [sys.executable, "-m", "pagefind", "--site", "site",
                     "--root-selector", "article.md-content__inner", "--exclude-selectors", ".headerlink"]
PEER_BUILD = [MKDOCS, "build", "--site-dir", "site"]
# The live preview, as `make serve` runs it; {addr} is filled in with 127.0.0.1:<port>.
SERVE = [MKDOCS, "serve", "--dev-addr", "{addr}", "--livereload"]

# What the full variant takes from the repository (besides the generated docs/ and bib/).
FULL_FROM_REPO = ("mkdocs.yml", "hooks", "overrides")
CONTENT_IN_DOCS = ("artikel", ".authors.yml", ".series.yml")  # replaced by the generated archive

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def full_missing() -> str | None:
    """Why the full variant cannot be set up from the repository yet (None if it can)."""
    if not (REPO / "mkdocs.yml").is_file():
        return "the repository has no mkdocs.yml yet"
    return None


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def prepare_full(archive: Path, folder: Path) -> Path:
    """Set up the full variant in `folder`: repository config + generated content."""
    _reset(folder)
    for name in FULL_FROM_REPO:
        if (REPO / name).exists():
            _copy(REPO / name, folder / name)
    docs = folder / "docs"
    docs.mkdir()
    repo_docs = REPO / "docs"
    if repo_docs.is_dir():  # the site's own pages and assets, not its articles
        for item in repo_docs.iterdir():
            if item.name not in CONTENT_IN_DOCS:
                _copy(item, docs / item.name)
    for name in CONTENT_IN_DOCS:
        _copy(archive / "docs" / name, docs / name)
    _copy(archive / "bib", folder / "bib")
    return folder


def full_url(slug: str) -> str:
    return f"artikel/{slug}/"


# --- the peer: a plain Material blog -----------------------------------------------------
PEER_CONFIG = {
    "site_name": "Kommentar-Archiv (Peer: Material-Blog)",
    "theme": {"name": "material", "language": "de", "font": False},
    "plugins": ["search", "blog", "tags"],
    "markdown_extensions": ["footnotes", "attr_list", "md_in_html", {"toc": {"permalink": True}}],
}
PEER_META = ("title", "date", "authors", "categories", "tags", "description")
AVATAR = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" '
          'fill="#888"/></svg>\n')
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def peer_post(text: str, slug: str) -> str:
    """An archive article as a blog post: the blog's front matter, `<!-- more -->` after paragraph 1."""
    match = _FRONT.match(text)
    meta = yaml.safe_load(match.group(1))
    post = {key: meta[key] for key in PEER_META if key in meta}
    post["slug"] = slug  # keeps the URL predictable: blog/YYYY/MM/DD/<slug>/
    body = text[match.end():].lstrip("\n")
    first, _, rest = body.partition("\n\n")
    front = yaml.safe_dump(post, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{first}\n\n<!-- more -->\n\n{rest}"


def prepare_peer(archive: Path, folder: Path) -> Path:
    _reset(folder)
    docs = folder / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    authors = yaml.safe_load((archive / "docs" / ".authors.yml").read_text(encoding="utf-8"))
    for author in authors["authors"].values():
        author["avatar"] = "assets/avatar.svg"
    (docs / "assets").mkdir()
    (docs / "assets" / "avatar.svg").write_text(AVATAR, encoding="utf-8")
    (docs / "blog" / ".authors.yml").write_text(yaml.safe_dump(authors, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "index.md").write_text("# Kommentar-Archiv\n\nDas Archiv als schlichter Material-Blog: "
                                   "[alle Artikel](blog/index.md), [Schlagwörter](tags.md).\n", encoding="utf-8")
    (docs / "tags.md").write_text("# Schlagwörter\n\n<!-- material/tags -->\n", encoding="utf-8")
    for article in sorted((archive / "docs" / "artikel").glob("*.md")):
        text = article.read_text(encoding="utf-8")
        (posts / article.name).write_text(peer_post(text, article.stem), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(PEER_CONFIG, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return folder


def peer_url(slug: str, published: date | str) -> str:
    published = date.fromisoformat(str(published))
    return f"blog/{published:%Y/%m/%d}/{slug}/"


def peer_post_path(slug: str) -> str:
    return f"docs/blog/posts/{slug}.md"


def archive_summary(archive: Path) -> dict:
    return json.loads((archive / "generated.json").read_text(encoding="utf-8"))
