"""The archive's bibliography: every bib/*.bib file, read once, checked archive-wide."""

from __future__ import annotations

import os
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
import pybtex.plugin
from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import Parser

from .bibtex_reader import read_entries
from .problems import Problem
from .sources import ENTRY_TYPES, Source, source_from_entry
from .text import is_web_url, parse_partial_date

# pybtex scans every installed distribution's entry points (importlib.metadata) on
# every parse, write and style construction: 30 ms each here, 3 minutes for 1,000
# .bib files. Installed entry points cannot change during a run, so each lookup is
# remembered; plugins registered at run time are still found first, as before.
@functools.lru_cache(maxsize=None)
def _installed_entry_points(group: str, name: str) -> tuple:
    return tuple(_scan_entry_points(group=group, name=name))


_scan_entry_points = pybtex.plugin.entry_points
pybtex.plugin.entry_points = lambda group, name: _installed_entry_points(group, name)

_ENTRY_HEAD = re.compile(r"^[ \t]*@([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)[ \t]*,", re.M)
KEY_FORM = re.compile(r"^[a-z][a-z0-9]*$")


@dataclass(frozen=True)
class BibFile:
    path: str  # as given to problems (relative to the project)
    entries: dict  # key -> pybtex Entry, in file order
    lines: dict[str, int]  # key -> line of '@type{key,'
    problems: tuple[Problem, ...]


def read_bib_text(text: str, path: str) -> BibFile:
    """Parse one .bib file; syntax errors and in-file duplicates become problems, not exceptions.

    A file within the subset of BibTeX that bibtex_reader reproduces exactly (as our
    files are) is read by it (6-7x faster); any other file by pybtex's Parser, as before.
    """
    lines, problems = _entry_lines(text, path)
    try:
        entries = read_entries(text)
    except Exception:  # Unsupported, or anything else the reader did not expect: pybtex decides
        return _read_with_pybtex(text, path, lines, problems)
    return BibFile(path, {key.lower(): entry for key, entry in entries}, lines, tuple(problems))


def read_bib_text_with_pybtex(text: str, path: str) -> BibFile:
    """read_bib_text by pybtex's Parser alone (the reference for the fast reader)."""
    lines, problems = _entry_lines(text, path)
    return _read_with_pybtex(text, path, lines, problems)


def _entry_lines(text: str, path: str) -> tuple[dict[str, int], list[Problem]]:
    """Line of each key's '@type{key,' and the in-file duplicate keys."""
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    line, counted = 1, 0
    for match in _ENTRY_HEAD.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        if kind in ("comment", "preamble", "string"):
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if key.lower() in lines:
            problems.append(Problem(path, line, f"duplicate key '{key}' (first on line {lines[key.lower()]})"))
            continue
        lines[key.lower()] = line
    return lines, problems


def _read_with_pybtex(text: str, path: str, lines: dict[str, int], problems: list[Problem]) -> BibFile:
    with pybtex.errors.capture() as errors:
        data = Parser().parse_string(text) if text.strip() else BibliographyData()
    for error in errors:
        if "repeated bibliography entry" in str(error):
            continue  # already reported with its line above
        line = getattr(error, "lineno", 0) or 0
        problems.append(Problem(path, line, f"BibTeX syntax: {error}"))
    entries = {key.lower(): entry for key, entry in data.entries.items()}
    return BibFile(path, entries, lines, tuple(problems))


@dataclass
class Bibliography:
    """All sources of the archive, keyed by (lowercase) key."""

    sources: dict[str, Source]
    entries: dict  # key -> pybtex Entry (for the pybtex style)
    problems: list[Problem]

    def by_url(self) -> dict[str, str]:
        """Normalised URL -> key, for reusing and linking sources."""
        return {s.normalised_url: s.key for s in self.sources.values() if s.url}


_cache: dict[str, tuple[tuple[int, int], BibFile, dict[str, Source]]] = {}
_last: tuple[tuple, Bibliography] | None = None


def _read_cached(file: Path, label: str) -> tuple[BibFile, dict[str, Source]]:
    """Re-parse a .bib file (and make its Sources) only when it changed: mkdocs serve rebuilds often."""
    stat = file.stat()
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(label)
    if cached and cached[0] == signature:
        return cached[1], cached[2]
    parsed = read_bib_text(file.read_text(encoding="utf-8"), label)
    sources = {key: source_from_entry(entry, label, parsed.lines.get(key, 0)) for key, entry in parsed.entries.items()}
    _cache[label] = (signature, parsed, sources)
    return parsed, sources


def bib_files(bib_dir: Path) -> list[Path]:
    return sorted(bib_dir.rglob("*.bib"))


def load_bibliography(bib_dir: str | Path, relative_to: str | Path | None = None) -> Bibliography:
    """Read every .bib below bib_dir; find duplicates, key-form and field problems archive-wide.

    While no .bib file changed, the same Bibliography is returned again.
    """
    global _last
    bib_dir = Path(bib_dir)
    base = Path(relative_to) if relative_to else bib_dir.parent
    files = [(file, os.path.relpath(file, base).replace(os.sep, "/")) for file in bib_files(bib_dir)]
    signature = tuple((label, file.stat().st_mtime_ns, file.stat().st_size) for file, label in files)
    if _last is not None and _last[0] == signature:
        return _last[1]
    sources: dict[str, Source] = {}
    entries: dict = {}
    problems: list[Problem] = []
    for file, label in files:
        try:
            parsed, file_sources = _read_cached(file, label)
        except UnicodeDecodeError as error:
            problems.append(Problem(label, 1, f"not UTF-8 ({error.reason} at byte {error.start})"))
            continue
        problems.extend(parsed.problems)
        for key, entry in parsed.entries.items():
            if key in sources:
                first = sources[key]
                problems.append(Problem(label, parsed.lines.get(key, 0),
                                        f"duplicate key '{key}' (also in {first.file}:{first.line})"))
                continue
            sources[key] = file_sources[key]
            entries[key] = entry
    problems.extend(check_sources(sources.values()))
    bibliography = Bibliography(sources, entries, problems)
    _last = (signature, bibliography)
    return bibliography


def check_sources(sources) -> list[Problem]:
    """Problems of single entries and of the archive's key set (forms, prefixes, duplicate URLs)."""
    problems: list[Problem] = []
    ordered = sorted(sources, key=lambda s: s.key)
    for source in ordered:
        def report(message: str) -> None:
            problems.append(Problem(source.file, source.line, f"{source.key}: {message}"))

        if not KEY_FORM.match(source.key):
            report("key must be lowercase ASCII letters and digits, starting with a letter")
        if source.type not in ENTRY_TYPES:
            report(f"entry type @{source.type} is not one of {', '.join('@' + t for t in ENTRY_TYPES)}")
        if not source.title and not source.note:
            report("needs a title (or, for a note-only entry, a note)")
        if source.url and not is_web_url(source.url):
            report(f"url must start with http:// or https://, not {source.url!r}")
        for name in ("date", "urldate"):
            value = getattr(source, name)
            if value and parse_partial_date(value) is None:
                report(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not {value!r}")
    # mkdocs-bibtex replaces '@key' by plain string replacement: a key that is a
    # prefix of another would corrupt it. In sorted order every key directly follows
    # the chain of its prefixes, so a stack of that chain finds them all in one pass.
    chain: list[Source] = []
    for source in ordered:
        while chain and not source.key.startswith(chain[-1].key):
            chain.pop()
        if chain:
            shorter = chain[-1]
            problems.append(Problem(source.file, source.line,
                                    f"key '{shorter.key}' ({shorter.file}:{shorter.line}) is a prefix of '{source.key}'; rename one"))
        chain.append(source)
    seen_urls: dict[str, Source] = {}
    for source in sorted(sources, key=lambda s: (s.file, s.line)):
        if not source.url:
            continue
        first = seen_urls.setdefault(source.normalised_url, source)
        if first is not source:
            problems.append(Problem(source.file, source.line,
                                    f"{source.key}: same URL as '{first.key}' ({first.file}:{first.line}); cite that key instead"))
    return problems
