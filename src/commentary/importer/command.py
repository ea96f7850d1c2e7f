"""``commentary import FILE…``: write each article's page and .bib, verified, with a report.

Exit codes: 0 all imported; 1 a problem in an input (content would be lost or guessed:
nothing of that file is written); 2 usage (bad option, missing file, no project).
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from ..bib import load_bibliography
from ..problems import ContentError, Problem
from ..project import load_authors, load_project, load_series
from ..writing import FileSet
from .assemble import Options, Plan, assemble
from .fidelity import verify
from .html_input import read_html
from .layout import read_layout
from .markdown_input import read_markdown
from .model import Document
from .reading import read_input

OK, INPUT_PROBLEM, USAGE = 0, 1, 2


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="import published articles (text, Markdown or a saved web page) with their notes",
        description="Turn a published article with numbered notes into docs/artikel/<slug>.md and bib/<slug>.bib, "
                    "losing nothing: every word and URL is checked after writing.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="plain text (UTF-8), Markdown or HTML")
    parser.add_argument("--series", metavar="ID", help="series id from docs/.series.yml")
    parser.add_argument("--part", metavar="N", type=int, help="position in the series")
    parser.add_argument("--author", metavar="NAME", help="author name or id (default: the author line, else the configured default)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="first publication (default: the date line, else the latest cited date)")
    parser.add_argument("--original-url", metavar="URL", help="where the article first appeared")
    parser.add_argument("--tags", metavar="A,B", default="", help="comma-separated tags")
    parser.add_argument("--categories", metavar="A,B", default="", help="comma-separated categories")
    parser.add_argument("--encoding", metavar="ENC", help="read the files in this encoding (e.g. cp1252) instead of UTF-8")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    parser.add_argument("--force", action="store_true", help="replace an article that already exists")
    parser.add_argument("--project", metavar="DIR", help="the project folder (default: the one holding mkdocs.yml above here)")
    parser.set_defaults(func=run)


def _usage(message: str) -> int:
    print(f"commentary import: error: {message}", file=sys.stderr)
    return USAGE


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def run(args) -> int:
    try:
        project = load_project(Path(args.project) if args.project else None)
    except ContentError as error:
        return _usage(str(error.problem))
    if args.date:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            return _usage(f"--date must be YYYY-MM-DD, not {args.date!r}")
    if args.original_url and not re.match(r"https?://\S+$", args.original_url):
        return _usage(f"--original-url must be an http(s) URL, not {args.original_url!r}")
    if args.original_url and len(args.files) > 1:
        return _usage("--original-url names one article: import one file with it")
    if args.part is not None and args.part < 1:
        return _usage("--part must be a positive whole number")
    try:
        series = load_series(project.docs_dir)
        authors = load_authors(project.docs_dir)
    except ContentError as error:
        return _usage(str(error.problem))
    if args.series and args.series not in series:
        known = ", ".join(sorted(series)) or "none"
        return _usage(f"unknown series '{args.series}' (docs/.series.yml has: {known})")
    if args.part is not None and not args.series:
        return _usage("--part needs --series")
    if args.encoding:
        import codecs
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            return _usage(f"unknown encoding '{args.encoding}'")
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        return _usage(f"no such file: {', '.join(missing)}")
    options = Options(series=args.series, author=args.author, date=args.date, original_url=args.original_url,
                      tags=_split_list(args.tags), categories=_split_list(args.categories), part=args.part,
                      force=args.force)
    status = OK
    pending: dict = {}  # keys and drafts of earlier files in this run (for --dry-run and reuse)
    seen_slugs: dict[str, str] = {}
    for name in args.files:
        try:
            code = import_one(Path(name), project, series, authors, options, args, pending, seen_slugs)
        except Exception as error:  # a bug must not cost the other files, and never leaves a partial file
            import traceback
            traceback.print_exc(file=sys.stderr)
            print(f"{_label(Path(name))}:0: internal error while importing ({type(error).__name__}: {error}); nothing written",
                  file=sys.stderr)
            code = INPUT_PROBLEM
        status = max(status, code)
        authors = load_authors(project.docs_dir) if not args.dry_run else authors
    return status


def _label(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_document(path: Path, label: str, encoding: str | None) -> Document:
    raw = read_input(path, label, encoding)
    document = Document(label, "text")
    document.problems.extend(raw.problems)
    document.notices.extend(raw.notices)
    if raw.problems:
        return document
    if raw.kind == "html":
        document.markup = "text"
        return read_html(raw.text, document)
    if raw.kind == "markdown":
        return read_markdown(raw.text, document)
    document.source_text = raw.text
    read_layout(raw.text, document)
    if any(not l.numbered for l in document.lists):
        # an unnumbered list: as many notes as the text has markers; the rest is text after the notes
        from .markers import find_candidates
        texts = [b.text for b in document.blocks if b.role == "body"]
        strong = [max(c.numbers) for c in find_candidates(texts) if c.style in ("explicit", "sup", "bracket", "paren")]
        if strong:
            again = Document(label, "text")
            again.notices.extend(raw.notices)
            again.source_text = raw.text
            read_layout(raw.text, again, expected_count=max(strong))
            return again
    return document


def import_one(path: Path, project, series, authors, options: Options, args, pending: dict, seen_slugs: dict) -> int:
    started = time.perf_counter()
    label = _label(path)
    document = read_document(path, label, args.encoding)
    if document.problems and not document.title:
        return _report_failure(label, document.problems, document.notices)
    replaced = None
    bibliography = load_bibliography(project.bib_dir, project.root)
    from ..text import slugify
    slug = slugify(document.title)
    if options.force and slug:
        replaced = f"{slug}.bib"
        kept = {k: s for k, s in bibliography.sources.items() if Path(s.file).name != replaced}
        bibliography.sources = kept
        bibliography.entries = {k: e for k, e in bibliography.entries.items() if k in kept}
    taken = set(bibliography.sources) | set(pending)
    pristine = copy.deepcopy(document)
    plan = assemble(document, project, bibliography, series, authors, options, label, taken, pending)
    if plan.slug and plan.page_path is not None:
        if plan.slug in seen_slugs:
            document.error(document.title_line, f"{seen_slugs[plan.slug]} in this run has the same title (slug '{plan.slug}')")
        elif plan.page_path.exists() and not options.force:
            document.error(document.title_line, f"{project.relative(plan.page_path)} already exists: "
                                                "use --force to replace it")
    if document.problems:
        return _report_failure(label, document.problems, document.notices)

    files = FileSet()
    written: list[Path] = []
    # --dry-run stages the same files in a scratch folder, verifies them and throws them away.
    scratch = Path(tempfile.mkdtemp(prefix="commentary-import-")) if args.dry_run else None

    def stage(plan) -> dict[str, Path | None]:
        """Write the plan's files to temporary files beside their targets; target kind -> staged copy."""
        targets = {
            "page": scratch / "page.md" if scratch else plan.page_path,
            "bib": (scratch / "sources.bib" if scratch else plan.bib_path) if plan.bib_text else None,
            "authors": (scratch / "authors.yml" if scratch else plan.authors_path)
            if plan.authors_text is not None and plan.authors_path is not None else None,
        }
        texts = {"page": plan.page_text, "bib": plan.bib_text, "authors": plan.authors_text}
        return {kind: files.add(target, texts[kind]) if target is not None else None
                for kind, target in targets.items()}

    try:
        staged = stage(plan)
        failed_notes: set[str] = set()
        problems = verify(plan, staged["page"], staged["bib"], bibliography, replaced, failed_notes)
        if problems and failed_notes and all(p.message.startswith("note ") for p in problems):
            # a note whose sources lost words: keep that note as written (robust rather than clever), check again
            files.discard()
            document = copy.deepcopy(pristine)
            plan = assemble(document, project, bibliography, series, authors, options, label, taken, pending,
                            frozenset(failed_notes))
            if document.problems:
                return _report_failure(label, document.problems, document.notices)
            staged = stage(plan)
            problems = verify(plan, staged["page"], staged["bib"], bibliography, replaced)
        if staged["authors"] is not None:
            problems += _verify_authors(plan, staged["authors"])
        if problems:
            files.discard()
            return _report_failure(label, [Problem(p.path, p.line, "lost in the output: " + p.message) for p in problems],
                                   document.notices)
        if args.dry_run:
            files.discard()
        else:
            if options.force and plan.bib_path.exists() and not plan.bib_text:
                plan.bib_path.unlink()
            written = files.commit()
    except OSError as error:
        files.discard()
        return _report_failure(label, [Problem(label, 0, f"could not write: {error}")], document.notices)
    except BaseException:
        files.discard()  # never a partial file, whatever went wrong
        raise
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    seen_slugs[plan.slug] = label
    for entry in plan.entries:
        pending[entry.key] = entry.draft
    _report(plan, project, written, args.dry_run, time.perf_counter() - started)
    return OK


def _verify_authors(plan: Plan, staged: Path) -> list[Problem]:
    import yaml

    try:
        data = yaml.safe_load(staged.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [Problem(plan.input_path, 0, f"docs/.authors.yml would not be valid YAML: {error}")]
    problems = []
    for author in plan.new_authors:
        entry = (data.get("authors") or {}).get(author.id) or {}
        if entry.get("name") != author.name:
            problems.append(Problem(plan.input_path, 0, f"author '{author.name}' missing from docs/.authors.yml"))
    return problems


def _report_failure(label: str, problems, notices) -> int:
    for problem in sorted(notices, key=lambda p: p.line):
        print(f"{problem} (warning)", file=sys.stderr)
    for problem in problems:
        print(str(problem), file=sys.stderr)
    print(f"{label}: not imported ({len(problems)} problem{'s' if len(problems) != 1 else ''}); nothing written", file=sys.stderr)
    return INPUT_PROBLEM


def _report(plan: Plan, project, written: list[Path], dry_run: bool, seconds: float) -> None:
    document = plan.document
    paragraphs = sum(1 for b in document.blocks if b.kind == "paragraph" or (b.kind == "markdown" and not b.text.startswith("#")))
    headings = sum(1 for b in document.blocks if b.kind == "heading" or (b.kind == "markdown" and b.text.startswith("#")))
    new = [e for e in plan.entries]
    cited = {k for n in plan.notes for k in n.keys}
    reused = sorted(cited - {e.key for e in new})
    urls = {e.draft.url for e in new if e.draft.url} | set(plan.linked_urls)
    lists = ", ".join(f"{len(l.notes)} under '{l.heading}'" if l.heading else f"{len(l.notes)} without a heading"
                      for l in document.lists)
    out = sys.stdout
    print(f"{plan.input_path}: {'would import' if dry_run else 'imported'} „{document.title}“ ({seconds:.2f} s)", file=out)
    print(f"  paragraphs: {paragraphs}, subheadings: {headings}, notes: {len(plan.notes)} ({lists})", file=out)
    print(f"  sources: {len(new)} new, {len(reused)} reused from bib/{' (' + ', '.join(reused) + ')' if reused else ''}; "
          f"URLs: {len(urls)}; links kept in notes without a source: {len(plan.linked_urls)}", file=out)
    front = plan.front
    print(f"  date: {front.get('date')}, authors: {', '.join(front.get('authors') or [])}"
          f"{', series: ' + front['series'] if front.get('series') else ''}", file=out)
    for author in plan.new_authors:
        print(f"  new author '{author.id}' ({author.name}) added to docs/.authors.yml — add a description", file=out)
    for url, names, line in plan.tracking:
        print(f"  {plan.input_path}:{line}: tracking parameter{'s' if len(names) > 1 else ''} {', '.join(names)} removed from {url}", file=out)
    for notice in sorted(document.notices, key=lambda p: p.line):
        print(f"  warning: {notice}", file=out)
    if dry_run:
        print(f"  would write: {project.relative(plan.page_path)}"
              f"{', ' + project.relative(plan.bib_path) if plan.bib_text else ''}"
              f"{', docs/.authors.yml' if plan.authors_text is not None else ''} (dry run: nothing written)", file=out)
    else:
        print(f"  written: {', '.join(project.relative(p) for p in written)}", file=out)
