"""Plain text -> Document: title, paragraphs, subheadings, note lists and what follows them.

Real articles: the title on the first line; paragraphs separated by blank lines (or
one per line); short subheading lines; a notes heading ("Anmerkungen", "Quellen",
"Notes", …, with or without a colon) and one note per line; sometimes a second list,
an author line, image credits or a disclaimer after the notes.
"""

from __future__ import annotations

import re

from .dates import find_dates
from .model import Block, Document, NoteList, RawNote

NOTES_WORDS = (
    "anmerkungen", "anmerkung", "fußnoten", "fussnoten", "fußnote", "quellen", "quelle", "quellenangaben",
    "quellenangabe", "quellenverzeichnis", "einzelnachweise", "literatur", "literaturverzeichnis",
    "literaturangaben", "belege", "nachweise", "endnoten", "notes", "footnotes", "endnotes",
    "references", "sources", "bibliography", "works cited", "quellen und anmerkungen", "anmerkungen und quellen",
    "notes and references", "references and notes", "sources and notes", "quellen und links", "quellenverweise",
    "verweise", "links und quellen", "quellen und literatur", "weiterführende literatur", "further reading", "zum weiterlesen", "lesetipps", "literatur und quellen", "belege und anmerkungen",
    "source notes", "citations", "endnotes and sources", "anmerkungen und literatur", "fußnoten und quellen",
)
NOTES_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?P<word>" + "|".join(re.escape(w) for w in sorted(NOTES_WORDS, key=len, reverse=True))
    + r")\s*(?:\(\d+\))?\s*:?\s*(?:\*\*|__)?\s*:?\s*$", re.I)
_SEPARATOR = re.compile(r"^\s*(?:[-_*=~·•]\s*){3,}$")
NOTE_PREFIX = re.compile(
    r"^\s*(?:\[\^?(?P<b>\d{1,3})\]:?|\((?P<p>\d{1,3})\)|(?P<d>\d{1,3})\s?[.):](?!\d)|(?P<n>\d{1,3})(?=\s)"
    r"|(?P<s>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\^(?P<c>\d{1,3}))[ \t\u00a0]*(?P<rest>.*)$")
_BULLET = re.compile(r"^\s*[-–—•*·▪►]\s+(?P<rest>.*)$")
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TRAILER_CUES = re.compile(
    r"^\s*(?:\W{0,2})(?:bild(?:nachweis|quelle|er)?|titelbild|foto|fotos|grafik|illustration|image|photo|picture|cover"
    r"|copyright|©|\(c\)|disclaimer|haftungsausschluss|hinweis|note from|editor'?s note|anmerkung der redaktion"
    r"|der autor|die autorin|die autoren|zum autor|zur autorin|über den autor|über die autorin|about the author"
    r"|the author|dieser (?:artikel|beitrag|text)|zuerst erschienen|erstveröffentlichung|erstmals erschienen"
    r"|originally published|first published|this article|lizenz|license|creative commons|redaktion:|übersetzung:"
    r"|translated by|aus dem \w+ übersetzt|mehr zum thema|weitere artikel|teilen|share)\b", re.I)
BYLINE = re.compile(
    r"^\s*(?:von|by|autor(?:in)?:|text:|verfasst von|written by|ein (?:kommentar|beitrag|gastbeitrag|essay) von)\s+"
    r"(?P<name>[^\W\d][\w.'’-]*(?:\s+(?:[^\W\d][\w.'’-]*|von|van|de|der|den|zu|la|le|du|di|da|dos|al|el|bin|ibn|ter)){0,4})"
    r"\s*(?:(?:[,|•·–—/]|\bam\b|\bon\b)\s*(?P<rest>.*))?$", re.I)
_DATE_NOISE = {"veröffentlicht", "publiziert", "erschienen", "am", "published", "posted", "on", "updated",
               "aktualisiert", "stand", "datum", "date", "vom", "den", "der", "zuletzt", "erstellt", "geschrieben"}


def notes_heading(line: str) -> str | None:
    match = NOTES_HEADING.match(line)
    return match.group("word") if match else None


def note_prefix(line: str) -> tuple[int, str, str] | None:
    """(number, style, rest) of a numbered note line."""
    match = NOTE_PREFIX.match(line)
    if not match:
        return None
    for style in "bpdnsc":
        value = match.group(style)
        if value:
            number = int("".join(str(_SUP.index(c)) for c in value)) if style == "s" else int(value)
            rest = match.group("rest")
            if style == "n" and not rest:
                return None
            return number, style, rest
    return None


def is_dateline(text: str) -> str | None:
    """The ISO date if the line is (almost) only a date: '12. März 2024', 'Veröffentlicht am 12.03.2024'."""
    if len(text) > 80:
        return None
    dates = find_dates(text)
    if len(dates) != 1:
        return None
    found = dates[0]
    rest = (text[:found.start] + " " + text[found.end:]).strip(" ,.;:|–—-()")
    words = re.findall(r"[^\W\d_]+", rest)
    if len([w for w in words if w.lower() not in _DATE_NOISE]) <= 2 and len(found.iso) == 10:
        return found.iso
    return None


def byline(text: str) -> tuple[str, str | None] | None:
    """(name, ISO date or None) of an author line: 'Von Max Muster', 'By Jane Doe, 12 March 2025'."""
    if len(text) > 120:
        return None
    match = BYLINE.match(text)
    if not match:
        return None
    name = match.group("name").strip(" .,")
    rest = match.group("rest") or ""
    iso = is_dateline(rest) if rest else None
    if rest and iso is None and not re.fullmatch(r"[\w\s.,'’-]{0,60}", rest):
        return None
    return name, iso


def is_subheading(text: str) -> bool:
    """A short line without a final full stop (possibly a question) that is not a date or author line."""
    stripped = text.strip()
    if "\n" in stripped or not stripped or len(stripped) > 110:
        return False
    words = stripped.split()
    if len(words) > 14:
        return False
    if stripped[-1] in ".,;:" and not stripped.endswith("..."):
        return False
    if stripped.endswith(("…", "...")):
        return False
    first = stripped.lstrip("„“\"'«»‚(#*_ ")[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if is_dateline(stripped) or byline(stripped):
        return False
    if re.match(r"https?://|www\.", stripped):
        return False
    return True


def _blocks(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Group (line number, text) pairs into blocks at blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, text in lines:
        if not text.strip():
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(text.rstrip())
    if current:
        blocks.append((start, current))
    return blocks


def _is_note_start(line: str, expected: int) -> bool:
    prefix = note_prefix(line)
    return bool(prefix and prefix[0] == expected)


def _find_notes_start(lines: list[tuple[int, str]]) -> list[int]:
    """Indexes (into lines) of the notes headings that open note lists."""
    headings = [i for i, (_, text) in enumerate(lines) if notes_heading(text)]
    opening = []
    for k, i in enumerate(headings):
        following = [t for _, t in lines[i + 1:] if t.strip()]
        if not following:
            continue
        starts_list = _is_note_start(following[0], 1) or bool(_BULLET.match(following[0]))
        later = headings[k + 1:]
        only_notes_after = all(notes_heading(lines[j][1]) for j in later)
        if starts_list or opening or not later or only_notes_after:
            opening.append(i)
    return opening


def _headingless_notes(lines: list[tuple[int, str]]) -> int | None:
    """Where a notes list without a heading begins: after a separator line, or a final run '1. …', '2. …'."""
    for i, (_, text) in enumerate(lines):
        if _SEPARATOR.match(text):
            following = [t for _, t in lines[i + 1:] if t.strip()]
            if following and _is_note_start(following[0], 1):
                return i
    # the last line starting with note 1 whose run 1, 2, 3, … reaches (nearly) the end
    starts = [i for i, (_, text) in enumerate(lines) if _is_note_start(text, 1)]
    for i in reversed(starts):
        if i == 0 or lines[i - 1][1].strip():
            continue  # a list after a blank line only
        expected, last = 1, i
        for j in range(i, len(lines)):
            text = lines[j][1]
            if not text.strip():
                continue
            prefix = note_prefix(text)
            if prefix and prefix[0] == expected:
                expected += 1
                last = j
            elif expected > 1 and len(text) > 300:
                break  # running text again: not a notes list
        remaining = [t for _, t in lines[last + 1:] if t.strip()]
        if expected > 1 and len(remaining) <= 6:
            return i - 1
    return None


def parse_note_lines(lines: list[tuple[int, str]], list_index: int, expected_count: int | None,
                     document: Document, first_number: int = 1) -> tuple[list[RawNote], list[tuple[int, str]], bool]:
    """One note list: (notes, the lines after it that are not notes, numbered?)."""
    content = [(n, t) for n, t in lines if t.strip()]
    if not content:
        return [], [], True
    first = note_prefix(content[0][1])
    notes: list[RawNote] = []
    numbered = bool(first and first[0] in (1, first_number))
    bullet = not numbered and bool(_BULLET.match(content[0][1]))
    expected = first[0] if numbered else 1
    blank_before = False
    for index, (number, text) in enumerate(lines):
        if not text.strip():
            blank_before = True
            continue
        stripped = text.strip()
        if numbered:
            prefix = note_prefix(stripped)
            if prefix and expected <= prefix[0] <= expected + 2 and (prefix[0] == expected or prefix[2]):
                if prefix[0] != expected:
                    document.error(number, f"note {prefix[0]} follows note {expected - 1}: "
                                           f"note{'s' if prefix[0] - expected > 1 else ''} {', '.join(str(n) for n in range(expected, prefix[0]))} missing from the list")
                notes.append(RawNote(prefix[0], prefix[2].strip(), number, list_index))
                expected = prefix[0] + 1
                blank_before = False
                continue
            if prefix and prefix[0] < expected and prefix[2] and any(n.number == prefix[0] for n in notes):
                document.error(number, f"note {prefix[0]} appears twice in the list (first on line "
                                       f"{next(n.line for n in notes if n.number == prefix[0])})")
                notes.append(RawNote(prefix[0], prefix[2].strip(), number, list_index))
                blank_before = False
                continue
        elif bullet:
            match = _BULLET.match(stripped)
            if match:
                notes.append(RawNote(len(notes) + 1, match.group("rest").strip(), number, list_index))
                blank_before = False
                continue
        else:
            reached = expected_count is not None and len(notes) >= expected_count
            if not reached and not TRAILER_CUES.match(stripped):
                if notes and _continues(notes[-1].text, stripped) and not blank_before:
                    notes[-1].text += " " + stripped
                else:
                    notes.append(RawNote(len(notes) + 1, stripped, number, list_index))
                blank_before = False
                continue
            return notes, lines[index:], numbered
        # not a new note: a continuation of the last one, or the text after the list
        later_note = numbered and any(
            (p := note_prefix(t.strip())) and p[0] == expected and p[2] for _, t in lines[index + 1:])
        later_bullet = bullet and any(_BULLET.match(t.strip()) for _, t in lines[index + 1:])
        if notes and (later_note or later_bullet):
            notes[-1].text += " " + stripped  # a note of several paragraphs
            blank_before = False
            continue
        if notes and not TRAILER_CUES.match(stripped) and (not blank_before or _continues(notes[-1].text, stripped)):
            notes[-1].text += " " + stripped
            blank_before = False
            continue
        return notes, lines[index:], numbered
    return notes, [], numbered


def _continues(previous: str, line: str) -> bool:
    """Does a line carry on the note before it (a wrapped URL, a lower-case continuation)?"""
    if re.match(r"(?:https?://|www\.)", line, re.I):
        return True
    if line[:1].islower():
        return True
    return bool(re.search(r"(?:unter|at|:|,|\bund|\band|-)\s*$", previous))


def read_layout(text: str, document: Document, expected_count=None) -> Document:
    """Fill the document from plain text (line numbers are 1-based lines of ``text``)."""
    lines = list(enumerate(text.split("\n"), 1))
    body_start = next((i for i, (_, t) in enumerate(lines) if t.strip()), None)
    if body_start is None:
        document.error(1, "the file is empty")
        return document
    title_no, title = lines[body_start]
    # a date or author line above the title: the title is the next line, the line stays in the text
    header: list[tuple[int, str]] = []
    if is_dateline(title) or byline(title):
        following = next((i for i in range(body_start + 1, len(lines)) if lines[i][1].strip()), None)
        if following is not None and not is_dateline(lines[following][1]) and len(lines[following][1]) < 250 \
                and not notes_heading(lines[following][1]):
            header = [lines[body_start], (lines[body_start][0], "")]
            body_start = following
            title_no, title = lines[body_start]
    title = re.sub(r"^\s*#{1,6}\s+", "", title).strip()
    title = re.sub(r"^(?:titel|title)\s*:\s*", "", title, flags=re.I)
    if notes_heading(title):
        document.error(title_no, f"the first line '{title}' is a notes heading, not a title")
    if len(title) > 250:
        document.warn(title_no, f"the first line is {len(title)} characters long: is it really the title?")
    document.title, document.title_line = title.strip(), title_no
    rest = header + lines[body_start + 1:]

    opening = _find_notes_start(rest)
    notes_at: list[tuple[int, str | None]] = [(i, notes_heading(rest[i][1])) for i in opening]
    if not notes_at:
        start = _headingless_notes(rest)
        if start is not None:
            notes_at = [(start, None)]
            document.warn(rest[start + 1][0] if start + 1 < len(rest) else rest[start][0],
                          "no notes heading: took the numbered lines from here on as the notes")
    body_lines = rest[:notes_at[0][0]] if notes_at else rest
    trailer_lines: list[tuple[int, str]] = []
    for k, (index, heading) in enumerate(notes_at):
        end = notes_at[k + 1][0] if k + 1 < len(notes_at) else len(rest)
        region = rest[index + 1:end]
        first_number = 1
        notes, after, numbered = parse_note_lines(region, k, expected_count if k == 0 else None, document, first_number)
        if not notes:
            # a heading word used as an ordinary line (e.g. a subheading "Quellen" in the text)
            trailer_lines.extend([rest[index]] + region)
            continue
        document.lists.append(NoteList(heading, rest[index][0], notes, numbered))
        trailer_lines.extend(after)
    if notes_at and not document.lists:
        body_lines = rest
        trailer_lines = []

    _body_blocks(body_lines, document, role="body")
    _body_blocks(trailer_lines, document, role="trailer")
    _metadata_lines(document)
    return document


def _body_blocks(lines: list[tuple[int, str]], document: Document, role: str) -> None:
    grouped = _blocks(lines)
    non_blank = [t for _, t in lines if t.strip()]
    if len(grouped) == 1 and len(non_blank) > 2:
        # no blank lines at all: one paragraph per line
        grouped = [(n, [t.rstrip()]) for n, t in lines if t.strip()]
    split: list[tuple[int, list[str]]] = []
    for start, block_lines in grouped:
        if _one_paragraph_per_line(block_lines):
            split.extend((start + i, [line]) for i, line in enumerate(block_lines))
        else:
            split.append((start, block_lines))
    grouped = split
    result: list[Block] = []
    for start, block_lines in grouped:
        first = block_lines[0].strip()
        explicit = re.match(r"^#{1,6}\s+(.*)$", first)
        if explicit and len(block_lines) == 1:
            result.append(Block("heading", explicit.group(1).strip(), start, role))
            continue
        if len(block_lines) > 1 and is_subheading(first) and role == "body" and len(block_lines[1]) > 60:
            result.append(Block("heading", first, start, role))
            result.append(Block("paragraph", "\n".join(block_lines[1:]), start + 1, role))
            continue
        result.append(Block("paragraph", "\n".join(block_lines), start, role))
    if role == "body":
        # a short line becomes a subheading only if running text follows it
        for i, block in enumerate(result):
            if block.kind != "paragraph" or i + 1 >= len(result):
                continue
            follower = result[i + 1]
            if is_subheading(block.text) and (follower.kind == "heading" or len(follower.text) > 60 or "\n" in follower.text):
                block.kind = "heading"
    document.blocks.extend(result)


def _one_paragraph_per_line(lines: list[str]) -> bool:
    """A block whose lines are whole paragraphs (copied from a CMS), not a hard-wrapped paragraph."""
    if len(lines) < 2:
        return False
    ends = sum(1 for l in lines if re.search(r"[.!?:…\"“”»)\]⁰¹²³⁴⁵⁶⁷⁸⁹\d]$", l.strip()))
    long_lines = sum(1 for l in lines if len(l) > 100)
    if len(lines) >= 3 and ends / len(lines) >= 0.6 and (long_lines >= len(lines) / 2 or any(is_subheading(l) for l in lines[1:-1])):
        return True
    return len(lines) == 2 and ends == 2 and long_lines == 2


def _metadata_lines(document: Document) -> None:
    """Author and date lines: before the first long paragraph, or among the text after the notes."""
    body = [b for b in document.blocks if b.role == "body"]
    head = []
    for block in body[:4]:
        lines = block.text.split("\n")
        # "By Jane Doe" and "March 4, 2025" often stand on consecutive lines: one block of them
        if any(len(line) > 120 for line in lines) or (
                len(lines) > 1 and not all(byline(line) or is_dateline(line) for line in lines)):
            break
        head.append(block)
    tail = [b for b in document.blocks if b.role == "trailer"] + body[-2:]
    for block in head + tail:
        # a head block is all metadata lines (checked above); elsewhere only a whole block counts
        for offset, line in enumerate(block.text.split("\n") if block in head else [block.text]):
            found = byline(line)
            if found and document.author_line is None:
                document.author_line, document.author_line_no = found[0], block.line + offset
                if found[1] and document.date_line is None:
                    document.date_line, document.date_line_no = found[1], block.line + offset
                block.kind = "paragraph"
                continue
            iso = is_dateline(line)
            if iso and document.date_line is None:
                document.date_line, document.date_line_no = iso, block.line + offset
                block.kind = "paragraph"
