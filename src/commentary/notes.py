"""An article's numbered notes: Markdown footnotes, and the sources each one cites.

Notes are Python-Markdown footnotes (``[^1]`` in the text, ``[^1]: …`` at the end);
a note cites its sources as bare ``@key``. The patterns below mirror what the
footnotes extension and mkdocs-bibtex will later see, so problems found here are
exactly the ones the build would otherwise hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import Problem

_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# mkdocs-bibtex's inline-reference pattern: '@key' not after a word character,
# '[' or a backslash, and not inside square brackets.
CITATION = re.compile(r"(?<!\\)(?<![\[\w])@(?P<key>[\w:-]+)(?![^\[\]]*\])")
# mkdocs-bibtex's bracket form '[@key]' (and '[siehe @key, S. 3]'): it turns into a
# footnote of its own, which breaks our numbering when used inside a note.
BRACKET_CITATION = re.compile(r"\[[^\[\]]*?(?<![\w.%+-])@[\w-]+[^\[\]]*\]")
KEY_FORM = re.compile(r"^[a-z][a-z0-9]*$")


@dataclass(frozen=True)
class Note:
    label: str
    number: int  # shown number: position among the definitions, as Python-Markdown numbers them
    text: str  # the note's Markdown, continuation lines joined with newlines
    line: int  # 1-based line of the definition in the file
    keys: tuple[str, ...]  # cited source keys, in order of appearance

    @property
    def anchor(self) -> str:
        """Fragment id of the rendered note (Python-Markdown's footnotes extension)."""
        return f"fn:{self.label}"


@dataclass(frozen=True)
class Citation:
    key: str
    line: int
    in_note: str | None  # label of the note containing it, None if in the running text


@dataclass(frozen=True)
class NoteParse:
    notes: tuple[Note, ...]
    references: tuple[tuple[str, int], ...]  # (label, line) of each [^label] in the running text
    citations: tuple[Citation, ...]
    problems: tuple[Problem, ...]

    def note(self, label: str) -> Note | None:
        return next((n for n in self.notes if n.label == label), None)


def _mask_code(line: str) -> str:
    """Blank out inline code so nothing inside it counts as a reference or citation."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def parse_notes(body: str, first_line: int = 1, path: str = "<text>") -> NoteParse:
    """Find footnote definitions, references and @key citations with their line numbers."""
    problems: list[Problem] = []
    definitions: list[tuple[str, int, list[str]]] = []
    references: list[tuple[str, int]] = []
    citations: list[Citation] = []
    fence: str | None = None
    current: tuple[str, int, list[str]] | None = None

    for offset, raw in enumerate(body.split("\n")):
        line_no = first_line + offset
        line = raw.rstrip("\r")
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            current = None
            continue
        visible = _mask_code(line)
        definition = _DEFINITION.match(visible)
        if definition:
            current = (definition.group(1), line_no, [line[definition.start(2):]])
            definitions.append(current)
            scan, label = line[definition.start(2):], definition.group(1)
        elif current is not None and (line.startswith(("    ", "\t")) or (line.strip() and current[2][-1].strip())):
            # an indented continuation, or a lazy continuation of the note's paragraph
            current[2].append(line.strip())
            scan, label = visible, current[0]
        else:
            if not line.strip():
                if current is not None:
                    current[2].append("")
            else:
                current = None
            scan, label = visible, None
        if current is None or label is None:
            references.extend((m.group(1), line_no) for m in _REFERENCE.finditer(visible))
        else:
            references.extend((m.group(1), line_no) for m in _REFERENCE.finditer(_mask_code(scan)))
        scan = _mask_code(scan)
        for match in BRACKET_CITATION.finditer(scan):
            if not _REFERENCE.fullmatch(match.group(0)):
                problems.append(Problem(path, line_no, f"bracketed citation {match.group(0)!r}: write the bare @key inside the note"))
        for match in CITATION.finditer(scan):
            citations.append(Citation(match.group("key"), line_no, label))

    seen: dict[str, int] = {}
    notes: list[Note] = []
    for label, line_no, lines in definitions:
        if label in seen:
            problems.append(Problem(path, line_no, f"note [^{label}] is defined twice (first on line {seen[label]})"))
            continue
        seen[label] = line_no
        text = "\n".join(lines).strip()
        keys = tuple(c.key for c in citations if c.in_note == label)
        notes.append(Note(label, len(notes) + 1, text, line_no, keys))

    referenced = {label for label, _ in references}
    for label, line_no in references:
        if label not in seen:
            problems.append(Problem(path, line_no, f"note [^{label}] is referenced but never defined"))
    for note in notes:
        if note.label not in referenced:
            problems.append(Problem(path, note.line, f"note [^{note.label}] is defined but never referenced"))
    return NoteParse(tuple(notes), tuple(references), tuple(citations), tuple(problems))
