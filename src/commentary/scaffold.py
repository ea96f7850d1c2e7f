"""``commentary new "Titel"``: scaffold an article page and its .bib in the content model.

Writes docs/artikel/<slug>.md — front matter, a placeholder paragraph with one note
``[^1]`` citing one placeholder source — and bib/<slug>.bib with that source, an
``@online`` entry whose title says to replace it. The scaffold passes
``commentary check`` and ``mkdocs build --strict`` unchanged, so an editor starts from
a green state and replaces one placeholder after the other.

Both files are written all-or-nothing (commentary.writing.FileSet) and never over
existing ones without ``--force``. Exit codes: 0 written, 1 refused (file exists,
unknown series or author, a taken part, a bad date or title), 2 no usable project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .archive import ARTICLES_FOLDER, Archive, load_archive
from .checks import ProjectError, locate_project
from .importer.keys import KeyMaker
from .problems import ContentError
from .project import Project
from .text import slugify
from .writing import FileSet, format_article, format_entry, yaml_scalar

EXIT_WRITTEN, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2
EXAMPLE_DOMAIN = "example.org"  # for a placeholder source outside any series (RFC 2606)
PLACEHOLDER_TITLE = "Platzhalter: durch die zitierte Quelle ersetzen und den Schlüssel anpassen"
PLACEHOLDER_DESCRIPTION = "Ein bis zwei Sätze, die in Listen und Feeds erscheinen (bitte ersetzen)."


class Refused(Exception):
    """The scaffold cannot be written as asked (exit 1)."""


@dataclass(frozen=True)
class Scaffold:
    article: Path
    bib: Path
    article_text: str
    bib_text: str
    key: str


def _iso_date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise Refused(f"--date must be YYYY-MM-DD, not {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"--date {text!r} is not a date of the calendar") from None


def _choose_author(project: Project, archive: Archive, wanted: str | None) -> str:
    if wanted:
        if wanted not in archive.authors:
            known = ", ".join(sorted(archive.authors)) or "none"
            raise Refused(f"unknown author '{wanted}' (docs/.authors.yml has: {known})")
        return wanted
    if not archive.authors:
        raise Refused("docs/.authors.yml names no author: add yourself there first (see the page „Mitmachen“)")
    default = project.default_author
    return default if default in archive.authors else next(iter(archive.authors))


def _choose_part(archive: Archive, series: str, wanted: int | None, own_path: str) -> int:
    taken = {a.part: a for a in archive.articles if a.series == series and a.part is not None and a.path != own_path}
    if wanted is None:
        return max(taken, default=0) + 1
    if wanted < 1:
        raise Refused(f"--part must be a positive whole number, not {wanted}")
    if wanted in taken:
        raise Refused(f"part {wanted} of series '{series}' is already {archive.label(taken[wanted])}")
    return wanted


def plan(project: Project, title: str, *, series: str | None = None, part: int | None = None, author: str | None = None,
         published: str | None = None, tags: str | None = None, category: str | None = None, force: bool = False) -> Scaffold:
    """What `commentary new` would write (raises Refused)."""
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise Refused(f"the title {title!r} gives no slug (it needs letters or digits)")
    article_path = project.articles_dir / f"{slug}.md"
    bib_path = project.bib_dir / f"{slug}.bib"
    existing = [p for p in (article_path, bib_path) if p.exists()]
    if existing and not force:
        raise Refused(" and ".join(project.relative(p) for p in existing) + " already exist" + "s" * (len(existing) == 1)
                      + " (use --force to overwrite)")
    archive = load_archive(project.docs_dir, project.bib_dir, project.root)
    own_path = f"{ARTICLES_FOLDER}/{slug}.md"
    if part is not None and not series:
        raise Refused("--part needs --series")
    if series and series not in archive.series:
        known = ", ".join(sorted(archive.series)) or "none"
        raise Refused(f"unknown series '{series}' (docs/.series.yml has: {known})")
    author_id = _choose_author(project, archive, author)
    day = _iso_date(published) if published else date.today()

    own_bib = project.relative(bib_path)
    taken_keys = [key for key, source in archive.bibliography.sources.items() if source.file != own_bib]
    key = KeyMaker(taken_keys).make("Platzhalter", str(day.year), title)
    domain = (archive.series[series].domains[:1] or (EXAMPLE_DOMAIN,))[0] if series else EXAMPLE_DOMAIN
    url = f"https://{domain}/platzhalter/{slug}/"

    front = {
        "title": title,
        "date": day,
        "authors": [author_id],
        "categories": [category.strip()] if category and category.strip() else [],
        "tags": [t.strip() for t in (tags or "").split(",") if t.strip()],
        "series": series,
        "part": _choose_part(archive, series, part, own_path) if series else None,
        "description": PLACEHOLDER_DESCRIPTION,
    }
    body = ("Hier beginnt der Text des Kommentars. Absätze trennt eine Leerzeile, Zwischenüberschriften beginnen "
            "mit zwei Rautenzeichen. Jede Anmerkung wird im Text mit ihrer Nummer markiert.[^1]")
    note = f"Hier steht die Anmerkung; ihre Quelle wird mit ihrem Schlüssel zitiert: @{key}."
    text = format_article(front, body, [("1", note)])
    # writing.yaml_scalar leaves number-like text bare ('2024' would be read as a number): quote the title always
    text = text.replace(f"title: {yaml_scalar(title)}\n", f"title: {json.dumps(title, ensure_ascii=False)}\n", 1)
    # where the article first appeared is optional: show the field, commented out
    closing = text.index("\n---\n", 3)
    text = (text[:closing] + "\n# original_url: https://…   (optional: wo der Text zuerst erschienen ist)" + text[closing:])
    entry = format_entry("online", key, [
        ("author", "Nachname, Vorname"),
        ("title", PLACEHOLDER_TITLE),
        ("organization", "Name der Website oder Zeitung"),
        ("date", day.isoformat()),
        ("url", url),
        ("urldate", day.isoformat()),
        ("langid", "german"),
    ])
    return Scaffold(article_path, bib_path, text, entry, key)


def write(scaffold: Scaffold) -> list[Path]:
    files = FileSet()
    try:
        files.add(scaffold.bib, scaffold.bib_text)
        files.add(scaffold.article, scaffold.article_text)
        return files.commit()
    except BaseException:
        files.discard()
        raise


def run(args: argparse.Namespace) -> int:
    try:
        project = locate_project(Path.cwd())
        scaffold = plan(project, args.title, series=args.series, part=args.part, author=args.author,
                        published=args.date, tags=args.tags, category=args.category, force=args.force)
    except (ProjectError, ContentError) as error:
        print(f"commentary new: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Refused as error:
        print(f"commentary new: {error}", file=sys.stderr)
        return EXIT_REFUSED
    for path in write(scaffold):
        print(project.relative(path))
    print("Next: replace the placeholders (text, note, description, the source in the .bib), then run `commentary check`.",
          file=sys.stderr)
    return EXIT_WRITTEN


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "new", help="scaffold an article page and its .bib",
        description="Write docs/artikel/<slug>.md and bib/<slug>.bib: front matter, a placeholder paragraph with one "
                    "note citing one placeholder source. The scaffold passes `commentary check` and the strict build.")
    parser.add_argument("title", help="the article's title (the slug is made from it)")
    parser.add_argument("--series", metavar="ID", help="id of a series in docs/.series.yml")
    parser.add_argument("--part", type=int, metavar="N", help="position in the series (default: after its last part)")
    parser.add_argument("--author", metavar="ID", help="id from docs/.authors.yml "
                        "(default: extra.archive.default_author of mkdocs.yml if listed there, else the first author)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="first publication (default: today)")
    parser.add_argument("--tags", metavar="A,B", help="comma-separated tags")
    parser.add_argument("--category", metavar="X", help="category")
    parser.add_argument("--force", action="store_true", help="overwrite existing files of the same slug")
    parser.set_defaults(func=run)
