"""``commentary check [PATH…]``: validate the content without building the site.

Every problem the strict build would report (and the notices it only mentions) comes
from :func:`commentary.archive.load_archive`; this module adds what only a checker
needs — the structure of docs/.series.yml and docs/.authors.yml, authors named while
no authors file exists — and prints one line per problem, ``file:line: message``,
sorted by file and line and named relative to the project root.

Exit codes: 0 no problem, 1 at least one problem (notices count), 2 no usable project
(no mkdocs.yml found, mkdocs.yml unreadable, a PATH that does not exist).

A project is the nearest folder, from each PATH upwards, holding mkdocs.yml — or, for
content kept without a site configuration (test fixtures), holding both docs/ and bib/.
With PATHs, only problems in those files (or below those folders) are printed, but
keys, authors, series and parts are still resolved against the whole project.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .archive import Archive, article_files, load_archive
from .bib import bib_files
from .problems import ContentError, Problem
from .project import Project, load_project

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2

SERIES_KEYS = ("title", "description", "domains")
AUTHOR_KEYS = ("name", "description", "avatar", "slug", "url")  # Material's .authors.yml fields


class ProjectError(Exception):
    """No usable project: the check cannot run at all (exit 2)."""


# --- finding the project --------------------------------------------------------------


def locate_project(start: Path) -> Project:
    """The project a path belongs to (see the module docstring)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return configured_project(folder)
        if (folder / "docs").is_dir() and (folder / "bib").is_dir():
            return Project(folder, folder / "docs", folder / "bib", {})
    raise ProjectError(f"{start}: not inside a Kommentar-Archiv project "
                       "(no mkdocs.yml here or above, and no folder holding docs/ and bib/)")


def configured_project(root: Path) -> Project:
    """load_project, with an unusable mkdocs.yml turned into one clear message."""
    config = root / "mkdocs.yml"
    try:
        project = load_project(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{config}:{mark.line + 1}" if mark else str(config)
        raise ProjectError(f"{where}: not valid YAML: {getattr(error, 'problem', None) or error}") from None
    except (AttributeError, TypeError):
        raise ProjectError(f"{config}: not a mapping of MkDocs settings (or its bibtex plugin settings are not)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProjectError(f"{config}: cannot be read: {error}") from None
    if not isinstance(project.settings, dict):
        raise ProjectError(f"{config}: extra.archive must be a mapping")
    if not project.docs_dir.is_dir():
        raise ProjectError(f"{config}: docs_dir {project.relative(project.docs_dir)!r} is not a folder")
    return project


# --- what load_archive does not check -------------------------------------------------


def _compose(path: Path):
    """The YAML node tree of a definitions file (None if absent or unreadable: load_archive reports that)."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _mapping_items(node) -> list[tuple[str, yaml.Node]]:
    return [(str(key.value), value) for key, value in node.value] if isinstance(node, yaml.MappingNode) else []


def _key_lines(node) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value} if isinstance(node, yaml.MappingNode) else {}


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _line(node) -> int:
    return node.start_mark.line + 1


def series_file_problems(docs_dir: Path, label: str) -> list[Problem]:
    """docs/.series.yml: ``<id>: {title, description, domains: [host, …]}`` for each series."""
    problems: list[Problem] = []
    root = _compose(docs_dir / ".series.yml")
    for series_id, fields, items in _entries(root, label, "series", "title, description and domains", "title", problems):
        for key, value in items.items():
            if key not in SERIES_KEYS:
                problems.append(Problem(label, _key_lines(fields)[key], f"series '{series_id}': unknown key '{key}' (allowed: {', '.join(SERIES_KEYS)})"))
        domains = items.get("domains")
        if domains is not None and not _is_null(domains) and not isinstance(domains, yaml.SequenceNode):
            problems.append(Problem(label, _line(domains), f"series '{series_id}': domains must be a list of host names, e.g. [{domains.value}]"))
    return problems


def authors_file_problems(docs_dir: Path, label: str) -> list[Problem]:
    """docs/.authors.yml: ``authors: {<id>: {name, description}}`` (Material's format)."""
    problems: list[Problem] = []
    root = _compose(docs_dir / ".authors.yml")
    if root is None:
        return problems
    top = dict(_mapping_items(root))
    authors = top.get("authors")
    if not isinstance(authors, yaml.MappingNode):
        where = _line(authors) if authors is not None else 1
        problems.append(Problem(label, where, "must hold 'authors:', a mapping of author ids to {name, description}"))
        return problems
    _entries(authors, label, "author", "name and description", "name", problems)  # nothing more per author
    return problems


def _entries(mapping, label: str, what: str, shape: str, required: str,
             problems: list[Problem]) -> list[tuple[str, yaml.MappingNode, dict]]:
    """(id, node, {key: value node}) of each entry of a YAML mapping of ids to mappings;
    an entry that is no mapping, or lacks its required key, is reported in ``problems``."""
    entries = []
    lines = _key_lines(mapping)
    for entry_id, fields in _mapping_items(mapping):
        if not isinstance(fields, yaml.MappingNode):
            problems.append(Problem(label, lines[entry_id], f"{what} '{entry_id}' must be a mapping with {shape}"))
            continue
        items = dict(_mapping_items(fields))
        if required not in items or _is_null(items[required]):
            problems.append(Problem(label, lines[entry_id], f"{what} '{entry_id}' lacks '{required}'"))
        entries.append((entry_id, fields, items))
    return entries


def authors_without_file(archive: Archive) -> list[Problem]:
    """load_archive checks authors only when docs/.authors.yml names some; with none, every author is unknown."""
    if archive.authors:
        return []
    if any(p.path.endswith(("/.series.yml", "/.authors.yml")) for p in archive.problems):
        return []  # an unreadable series or authors file empties both: that problem is the one to report
    return [Problem(archive.label(article), article.line_of("authors"), f"unknown author '{author}' (not in docs/.authors.yml)")
            for article in archive.articles for author in article.authors]


# --- the check --------------------------------------------------------------------------


@dataclass
class Report:
    project: Project
    problems: list[Problem] = field(default_factory=list)  # sorted, paths relative to the project root
    articles: int = 0
    bib_files: int = 0
    sources: int = 0
    partial: bool = False  # only problems in some of the project's files are reported


def _relative(problem: Problem, root: Path) -> Problem:
    if not os.path.isabs(problem.path):
        return problem
    try:
        path = Path(problem.path).resolve().relative_to(root).as_posix()
    except ValueError:
        return problem
    return Problem(path, problem.line, problem.message, problem.level)


def _mentions(message: str, file: str) -> bool:
    """Whether a message names the file ('… (also in bib/a.bib:8)', '… is also docs/artikel/b.md')."""
    return re.search(rf"(?<![\w/.-]){re.escape(file)}(?=[:)\s,;]|$)", message) is not None


def _selected(problem: Problem, selection: list[str] | None, root: Path) -> bool:
    """A problem is in the selection if its file is, or if it names a selected file (both sides of a duplicate)."""
    if selection is None:
        return True
    for chosen in selection:
        if chosen == "." or problem.path == chosen or problem.path.startswith(chosen + "/"):
            return True
        if (root / chosen).is_file() and _mentions(problem.message, chosen):
            return True
    return False


def check_project(project: Project, selection: list[str] | None = None) -> Report:
    """All problems of one project; with a selection (paths relative to the root), only those in it."""
    root = project.root.resolve()
    docs_label = os.path.relpath(project.docs_dir, root).replace(os.sep, "/")
    definitions = [*series_file_problems(project.docs_dir, f"{docs_label}/.series.yml"),
                   *authors_file_problems(project.docs_dir, f"{docs_label}/.authors.yml")]
    try:
        archive = load_archive(project.docs_dir, project.bib_dir, root)
    except (AttributeError, TypeError):
        if not definitions:
            raise
        # a malformed series or authors file the library cannot read: report where it is malformed
        archive = None
    problems = list(definitions)
    if archive is not None:
        problems += [*archive.problems, *authors_without_file(archive)]
    problems = sorted({p for p in (_relative(p, root) for p in problems) if _selected(p, selection, root)})
    report = Report(project, problems, partial=selection is not None and "." not in selection)
    if archive is not None:
        report.articles = len(article_files(project.docs_dir))
        report.bib_files = len(bib_files(project.bib_dir)) if project.bib_dir.is_dir() else 0
        report.sources = len(archive.bibliography.sources)
    return report


def check_paths(paths: list[Path]) -> list[Report]:
    """Group the paths by project and check each project once (raises ProjectError)."""
    groups: dict[Path, tuple[Project, list[str] | None]] = {}
    for path in paths:
        if not path.exists():
            raise ProjectError(f"{path}: no such file or folder")
        project = locate_project(path)
        root = project.root.resolve()
        chosen = path.resolve().relative_to(root).as_posix()
        _, selection = groups.setdefault(root, (project, []))
        selection.append(chosen)
    return [check_project(project, selection) for project, selection in groups.values()]


def run(args: argparse.Namespace) -> int:
    try:
        reports = check_paths([Path(p) for p in args.paths]) if args.paths else [check_project(locate_project(Path.cwd()))]
    except (ProjectError, ContentError) as error:
        print(f"commentary check: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    problems = [p for report in reports for p in report.problems]
    for problem in problems:
        print(problem)
    articles = sum(r.articles for r in reports)
    sources = sum(r.sources for r in reports)
    scope = " (reported for the given paths only)" if any(r.partial for r in reports) else ""
    if problems:
        errors = sum(p.level == "error" for p in problems)
        files = len({p.path for p in problems})
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} ({errors} error{'s' * (errors != 1)}, "
              f"{len(problems) - errors} notice{'s' * (len(problems) - errors != 1)}) in {files} file{'s' * (files != 1)}{scope}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"no problems: {articles} article{'s' * (articles != 1)}, {sources} source{'s' * (sources != 1)}{scope}", file=sys.stderr)
    return EXIT_CLEAN


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="validate articles and sources without building the site",
        description="Validate front matter, notes, citations and bib/ without building the site. "
                    "Prints one line per problem (file:line: message); exits 1 if there is any, "
                    "2 if there is no usable project.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="project root, article or .bib files, or folders (default: the project containing the current folder); "
                             "only problems in these are reported, but keys, authors and series resolve against the whole project")
    parser.set_defaults(func=run)
