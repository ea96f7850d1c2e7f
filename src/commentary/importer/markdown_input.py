"""Markdown that already uses footnotes ``[^n]``: the body stays as written; each note's
sources become entries and ``@key`` citations like in any other input."""

from __future__ import annotations

import re

from ..article import split_front_matter
from ..notes import parse_notes
from ..problems import ContentError
from .layout import notes_heading
from .model import Block, Document, NoteList, RawNote

_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")


def read_markdown(text: str, document: Document) -> Document:
    document.markup = "markdown"
    document.premarked = True
    document.source_text = text
    try:
        front, body = split_front_matter(text, document.path)
    except ContentError as error:
        document.problems.append(error.problem)
        return document
    first_line = front.body_line
    values = front.values
    lines = body.split("\n")
    # title: front matter, else the first '# ' heading or the first line
    title = str(values.get("title") or "").strip()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if not title and start < len(lines):
        title = re.sub(r"^\s*#{1,6}\s+", "", lines[start]).strip()
        document.title_line = first_line + start
        start += 1
    document.title = title
    if not title:
        document.error(first_line, "the file is empty")
        return document
    if values.get("date"):
        document.date_line = str(values["date"])[:10]
    for key in ("author", "authors"):
        value = values.get(key)
        if value:
            document.author_line = value[0] if isinstance(value, list) else str(value)
    if values.get("original_url"):
        document.original_url = str(values["original_url"])

    # definitions with their continuation lines; everything else is the body
    notes: list[RawNote] = []
    body_lines: list[tuple[int, str]] = []
    current: RawNote | None = None
    for offset, line in enumerate(lines[start:], start):
        number = first_line + offset
        match = _DEFINITION.match(line)
        if match:
            current = RawNote(len(notes) + 1, match.group(2).strip(), number, 0, match.group(1))
            notes.append(current)
            continue
        if current is not None and line.strip() and (line.startswith(("    ", "\t")) or not body_lines or body_lines[-1][1].strip() == "" and False):
            current.text += " " + line.strip()
            continue
        if current is not None and line.strip() and lines[offset - 1].strip():
            current.text += " " + line.strip()  # lazy continuation
            continue
        if line.strip():
            current = None
        body_lines.append((number, line))
    # a notes heading right before the definitions is structure, not text
    while body_lines and (not body_lines[-1][1].strip() or notes_heading(body_lines[-1][1])):
        body_lines.pop()
    blocks: list[Block] = []
    chunk: list[str] = []
    chunk_line = 0
    fence = False
    for number, line in body_lines + [(0, "")]:
        if re.match(r"^\s*(```|~~~)", line):
            fence = not fence
        if not line.strip() and not fence:
            if chunk:
                blocks.append(Block("markdown", "\n".join(chunk), chunk_line))
                chunk = []
            continue
        if not chunk:
            chunk_line = number
        chunk.append(line.rstrip())
    document.blocks = blocks
    for note in notes:
        # the source parser reads a link as its text followed by the target in brackets
        note.text = re.sub(r"(?<!!)\[([^\]]*)\]\((?:<([^>]*)>|([^)\s]*(?:\([^)\s]*\)[^)\s]*)*))\)",
                           lambda m: (m.group(1) + " [" + (m.group(2) or m.group(3)) + "]") if m.group(1).strip() not in (
                               m.group(2) or m.group(3)) else (m.group(2) or m.group(3)), note.text)
        note.text = re.sub(r"<(https?://[^>\s]+)>", r"\1", note.text)
    if notes:
        document.lists.append(NoteList("Anmerkungen", notes[0].line, notes, True))
    check = parse_notes("\n".join(b.text for b in blocks) + "\n\n" + "\n".join(f"[^{n.label}]: x" for n in notes), 1, document.path)
    for problem in check.problems:
        message = problem.message
        if "never defined" in message:
            document.error(0, message.replace("is referenced but never defined", "is marked in the text but has no note"))
        elif "never referenced" in message:
            note = next((n for n in notes if f"[^{n.label}]" in message), None)
            document.error(note.line if note else 0, message.replace("is defined but never referenced", "has no marker in the text"))
        elif "defined twice" in message:
            document.error(0, message)
    return document
