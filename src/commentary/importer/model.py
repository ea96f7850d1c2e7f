"""What the importer reads an article into, whatever the input form."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem

# Private-use characters the input readers use to mark structure inside running text:
# LINK_OPEN n LINK_CLOSE stands for Document.links[n]; MARK_OPEN n MARK_CLOSE for an
# explicit note marker (an HTML <sup> or footnote link).
LINK_OPEN, LINK_CLOSE = "\ue000", "\ue001"
MARK_OPEN, MARK_CLOSE = "\ue010", "\ue011"


@dataclass
class Block:
    kind: str  # "paragraph" | "heading" | "markdown" (passed through as written)
    text: str
    line: int
    role: str = "body"  # "body" | "trailer" (after the notes)


@dataclass
class RawNote:
    number: int  # as numbered in its list (or by order)
    text: str
    line: int
    list_index: int = 0
    label: str = ""  # a Markdown input's own footnote label


@dataclass
class NoteList:
    heading: str | None
    line: int
    notes: list[RawNote] = field(default_factory=list)
    numbered: bool = True


@dataclass
class Document:
    """An article as read: title, running text, note lists, and what the text says about itself."""

    path: str  # how messages name the input file
    markup: str  # "text" (escape everything) | "markdown" (body and notes are Markdown already)
    title: str = ""
    title_line: int = 1
    blocks: list[Block] = field(default_factory=list)
    lists: list[NoteList] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url) for LINK placeholders
    author_line: str | None = None  # a name the text gives as the author
    author_line_no: int = 0
    date_line: str | None = None  # ISO date the text gives as the publication date
    date_line_no: int = 0
    original_url: str | None = None
    description_hint: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    # Markdown input: the footnote references are already in place (label -> note)
    premarked: bool = False
    source_text: str = ""  # the text the document was read from (after decoding)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.notices.append(Problem(self.path, line, message, "warning"))
