"""The two sites the benchmark compares, built from one generated archive.

full  our own configuration: the repository's mkdocs.yml, hooks/ and overrides/ (and the
      site pages in its docs/, minus its articles) next to the generated docs/ and bib/,
      so every relative path in mkdocs.yml keeps working.
peer  the same content as a plain Material blog: blog + tags plugins, no hooks, no
      bibtex, no custom theme. Notes stay footnotes and ``@key`` stays literal text.

Everything about HOW a variant is built or served lives here, in FULL_BUILD,
FULL_SEARCH_INDEX, PEER_BUILD, SERVE and full_env: change the full variant's command in
this one place.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
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
# The live preview as `make serve` runs it (read from the Makefile, see serve_command);
# this is the fallback. {addr} is filled in with 127.0.0.1:<port>.
SERVE = [MKDOCS, "serve", "--dev-addr", "{addr}", "--livereload"]

# What the full variant takes from the repository (besides the generated docs/ and bib/).
# src/ too: the hooks import the `commentary` library, and a snapshot of it (first on
# PYTHONPATH, see full_env) keeps hooks and library from the same moment while other
# people edit the working tree during a long run.
FULL_FROM_REPO = ("mkdocs.yml", "hooks", "overrides", "src")
CONTENT_IN_DOCS = ("artikel", ".authors.yml", ".series.yml")  # replaced by the generated archive

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def full_missing(source: Path = REPO) -> str | None:
    """Why the full variant cannot be set up from the repository yet (None if it can)."""
    if not (source / "mkdocs.yml").is_file():
        return "the repository has no mkdocs.yml yet"
    return None


def full_env(folder: Path) -> dict:
    """The build's environment: the snapshot of the library comes before the editable install."""
    paths = [str(folder / "src"), *filter(None, [ENV.get("PYTHONPATH")])]
    return {**ENV, "PYTHONPATH": os.pathsep.join(paths)}


def repo_source(ref: str | None, scratch: Path) -> tuple[Path, dict]:
    """Where the full variant's files come from: the working tree, or `git archive <ref>`.

    Returns the folder to copy from and a description (commit, and the files that differ
    from it in the working tree) for the results.
    """
    def git(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, **kwargs)

    paths = [*FULL_FROM_REPO, "docs", "Makefile"]
    commit = git("rev-parse", "--short", ref or "HEAD", text=True).stdout.strip()
    if not ref:
        dirty = git("status", "--porcelain", "--", *paths, text=True).stdout.splitlines()
        return REPO, {"source": "working tree", "commit": commit, "uncommitted": [line[3:] for line in dirty]}
    present = [p for p in paths if git("cat-file", "-e", f"{ref}:{p}").returncode == 0]
    _reset(scratch)
    archive = git("archive", "--format=tar", ref, "--", *present, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch, {"source": f"git archive {ref}", "commit": commit, "uncommitted": []}


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    else:
        shutil.copy2(source, target)


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def prepare_full(archive: Path, folder: Path, source: Path = REPO) -> Path:
    """Set up the full variant in `folder`: repository config + generated content."""
    _reset(folder)
    for name in FULL_FROM_REPO:
        if (source / name).exists():
            _copy(source / name, folder / name)
    docs = folder / "docs"
    docs.mkdir()
    repo_docs = source / "docs"
    if repo_docs.is_dir():  # the site's own pages and assets, not its articles
        for item in repo_docs.iterdir():
            if item.name not in CONTENT_IN_DOCS:
                _copy(item, docs / item.name)
    for name in CONTENT_IN_DOCS:
        _copy(archive / "docs" / name, docs / name)
    _copy(archive / "bib", folder / "bib")
    return folder


def serve_command(source: Path = REPO) -> list[str]:
    """The `serve:` recipe of the Makefile in `source`, with our mkdocs and a free address."""
    try:
        makefile = (source / "Makefile").read_text(encoding="utf-8")
    except OSError:
        return list(SERVE)
    match = re.search(r"^serve:.*\n\t(.+)$", makefile, re.M)
    if not match:
        return list(SERVE)
    words = shlex.split(match.group(1))
    if not words or not words[0].endswith("mkdocs") or "serve" not in words or any("$" in w for w in words[1:]):
        return list(SERVE)
    command = [MKDOCS]
    rest = iter(words[1:])
    for word in rest:
        if word == "--dev-addr" or word == "-a":
            command += [word, "{addr}"]
            next(rest, None)
        elif word.startswith("--dev-addr="):
            command.append("--dev-addr={addr}")
        else:
            command.append(word)
    if "{addr}" not in command and "--dev-addr={addr}" not in command:
        command += ["--dev-addr", "{addr}"]
    return command


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
