"""Writing content-model files: BibTeX entries, article pages, and all-or-nothing file sets.

Shared by every command that writes content (import, scaffolding, fixes):

- ``format_entry`` — one biblatex entry as the archive writes it (UTF-8, no LaTeX);
- ``format_front_matter`` / ``format_article`` — a page in the content model;
- ``escape_markdown`` — plain text as Markdown that renders exactly as written;
- ``FileSet`` — write several files atomically: each to a temporary file beside its
  target, verify, then move them all into place (``os.replace``), or none.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

# ---------------------------------------------------------------- BibTeX

FIELD_ORDER = ("author", "editor", "organization", "institution", "title", "titleaddon", "journaltitle", "publisher",
               "location", "address", "howpublished", "series", "number", "pages", "date", "url", "urldate", "langid",
               "note", "keywords")


def bib_value(value: str) -> str:
    """A field value in braces, characters written directly (UTF-8, no LaTeX).

    pybtex counts braces inside a value literally, so balanced braces stay (readers
    never see them) and an unbalanced one, which would end the field early, is left out.
    """
    value = " ".join(str(value).split())
    depth, kept = 0, []
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
        kept.append(ch)
    if depth:
        # drop the unmatched opening braces, innermost last
        out, pending = [], depth
        for ch in reversed(kept):
            if ch == "{" and pending:
                pending -= 1
                continue
            out.append(ch)
        kept = out[::-1]
    return "{" + " ".join("".join(kept).split()) + "}"


def format_entry(entry_type: str, key: str, fields: Iterable[tuple[str, str]]) -> str:
    """'@online{key,\\n  title = {…},\\n}' with fields in the archive's usual order."""
    items = [(name.lower(), value) for name, value in fields if value not in (None, "")]
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    items.sort(key=lambda item: rank.get(item[0], len(FIELD_ORDER)))
    width = max((len(name) for name, _ in items), default=0)
    lines = [f"@{entry_type.lower()}{{{key},"]
    lines += [f"  {name.ljust(width)} = {bib_value(value)}," for name, value in items]
    lines.append("}")
    return "\n".join(lines) + "\n"


def format_source(source) -> str:
    """A commentary.sources.Source written back as BibTeX."""
    fields = [("author", " and ".join(_bib_person(a) for a in source.authors))]
    for name in ("organization", "institution", "title", "titleaddon", "journaltitle", "publisher", "howpublished",
                 "series", "number", "pages", "date", "url", "urldate", "langid", "note"):
        fields.append((name, getattr(source, name, "")))
    if getattr(source, "address", ""):
        fields.append(("location", source.address))
    return format_entry(source.type, source.key, fields)


def _bib_person(name: str) -> str:
    """'Ursula von der Leyen' -> 'von der Leyen, Ursula' (lower-case particles belong to the last name)."""
    parts = name.split()
    if "," in name or len(parts) < 2:
        return name
    last = len(parts) - 1
    while last > 1 and parts[last - 1][:1].islower():
        last -= 1
    return f"{' '.join(parts[last:])}, {' '.join(parts[:last])}"


# ---------------------------------------------------------------- Markdown

FRONT_MATTER_ORDER = ("title", "date", "authors", "categories", "tags", "series", "part", "original_url", "description")


def yaml_scalar(value) -> str:
    """A YAML value on one line: strings double-quoted (JSON strings are valid YAML), dates bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text) and text not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n"):
        return text  # ids and slugs read best bare
    if re.fullmatch(r"https?://[^\s#'\"]+", text) and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def format_front_matter(values: dict) -> str:
    """Front matter with the content model's keys in order (unknown keys after them); None values left out."""
    keys = [k for k in FRONT_MATTER_ORDER if k in values] + [k for k in values if k not in FRONT_MATTER_ORDER]
    lines = ["---"]
    for key in keys:
        value = values[key]
        if value is None:
            continue
        lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def format_article(front: dict, body: str, notes: Iterable[tuple[str, str]] = ()) -> str:
    """A page: front matter, the body, then each note defined on one line ('[^label]: text')."""
    text = format_front_matter(front) + "\n" + body.strip("\n") + "\n"
    definitions = [f"[^{label}]: {' '.join(note.split())}" for label, note in notes]
    if definitions:
        text += "\n" + "\n".join(definitions) + "\n"
    return text


_INLINE = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "{": "\\{",
                         "}": "\\}", "<": "&lt;", "@": "&#64;", "|": "\\|"})
_ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|\d{1,9}(?=[.)]\s)|=+\s*$|-+\s*$|!!!)")


def escape_inline_markdown(text: str, brackets_as_entities: bool = False) -> str:
    """Characters of plain text that inline Markdown (or mkdocs-bibtex) would act on, made literal."""
    text = _ENTITY.sub("&amp;", text)
    text = text.translate(_INLINE)
    if brackets_as_entities:
        # inside a note, a ']' after '@key' would hide the citation from mkdocs-bibtex
        text = text.replace("\\[", "&#91;").replace("\\]", "&#93;")
    return text


def escape_line_starts(text: str) -> str:
    """Make each line's start literal ('1. Januar', '- ', '# ', '> '); leading spaces go (no code blocks)."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        match = _LINE_START.match(line)
        if match:
            mark = match.group(2)
            if mark[0].isdigit():
                line = line[:match.end()] + "\\" + line[match.end():]
            elif mark[0] == "=":
                line = "&#61;" + line[1:]  # '=' has no Markdown escape
            else:
                line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def escape_markdown(text: str, brackets_as_entities: bool = False) -> str:
    """Plain text as Markdown that shows exactly these characters (and no '@' citation)."""
    return escape_line_starts(escape_inline_markdown(text, brackets_as_entities))


def markdown_link(text: str, url: str) -> str:
    """A link; raw HTML where the URL holds an '@' (mkdocs-bibtex would read it as a citation)."""
    if "@" in url or "@" in text:
        import html
        href = html.escape(url, quote=True).replace("@", "&#64;")
        return f'<a href="{href}">{escape_inline_markdown(text)}</a>'
    balanced = url.count("(") == url.count(")") and not re.search(r"[\s<>]", url)
    target = url if balanced else "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return f"[{escape_inline_markdown(text)}]({target})"


def autolink(url: str) -> str:
    """A bare URL as a clickable link that shows the URL itself."""
    if "@" in url or ">" in url or " " in url:
        return markdown_link(url, url)
    return "<" + url + ">"


# ---------------------------------------------------------------- atomic file sets


class FileSet:
    """Several files written all-or-nothing.

    ``add(path, text)`` stages a file (written at once to a temporary file beside its
    target); ``verify(check)`` lets a callback read the staged files from disk;
    ``commit()`` moves them into place with ``os.replace`` — if one move fails, the
    ones already moved are put back. ``discard()`` removes the temporary files.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []  # (target, temporary file)

    def add(self, target: str | Path, text: str) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(name, target.stat().st_mode & 0o777)
        else:
            os.chmod(name, 0o644)
        self.staged.append((target, Path(name)))
        return Path(name)

    def staged_path(self, target: str | Path) -> Path | None:
        target = Path(target)
        return next((tmp for t, tmp in self.staged if t == target), None)

    def verify(self, check: Callable[[dict[Path, Path]], list]) -> list:
        """Run check({target: temporary file}); returns its list of problems."""
        return check({target: tmp for target, tmp in self.staged})

    def commit(self) -> list[Path]:
        moved: list[tuple[Path, Path | None]] = []
        try:
            for target, tmp in self.staged:
                backup = None
                if target.exists():
                    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak", dir=target.parent)
                    os.close(handle)
                    backup = Path(name)
                    os.replace(target, backup)
                try:
                    os.replace(tmp, target)
                except BaseException:
                    if backup is not None:
                        os.replace(backup, target)
                    raise
                moved.append((target, backup))
        except BaseException:
            for target, backup in reversed(moved):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            self.discard()
            raise
        for _, backup in moved:
            if backup is not None:
                backup.unlink(missing_ok=True)
        self.staged = []
        return [target for target, _ in moved]

    def discard(self) -> None:
        for _, tmp in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []
