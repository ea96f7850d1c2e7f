"""Bytes -> text: size and binary checks, encodings, BOM and line ends — each said clearly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

MAX_BYTES = 10 * 1024 * 1024  # a long article with 48 notes is ~100 KB; a saved web page a few MB
_MAGIC = [
    (b"%PDF", "a PDF"), (b"PK\x03\x04", "a ZIP archive (a Word .docx or OpenDocument file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"{\\rtf", "an RTF document"), (b"\x1f\x8b", "a gzip archive"),
]
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@dataclass
class InputText:
    path: str
    text: str = ""
    kind: str = "text"  # "text" | "markdown" | "html"
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, label: str, encoding: str | None = None) -> InputText:
    result = InputText(label)

    def error(line: int, message: str) -> InputText:
        result.problems.append(Problem(label, line, message))
        return result

    if not data.strip():
        return error(1, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return error(1, f"this is {what}, not a text: save the article as plain text (UTF-8), Markdown or HTML")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        result.notices.append(Problem(label, 1, "UTF-16 text (with byte order mark): read as UTF-16", "warning"))
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            return error(_line_at(data, nul), f"binary file (a NUL byte at offset {nul}): not a text, Markdown or HTML file")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            result.notices.append(Problem(label, 1, "UTF-8 byte order mark (BOM) removed", "warning"))
        if encoding:
            try:
                text = data.decode(encoding)
            except (LookupError, UnicodeDecodeError) as problem:
                return error(1, f"cannot read the file as {encoding}: {problem}")
            if encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
                result.notices.append(Problem(label, 1, f"read as {encoding} (as asked)", "warning"))
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as problem:
                return error(_line_at(data, problem.start), _not_utf8(data, problem))
        controls = [m.start() for m in re.finditer(r"[\x00-\x08\x0e-\x1f\x7f]", text)]
        if len(controls) > max(8, len(text) // 200):
            return error(text.count("\n", 0, controls[0]) + 1, "binary file (many control characters): not a text file")
    if "\r" in text:
        crlf = "\r\n" in text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        result.notices.append(Problem(label, 1, "Windows line ends (CRLF) converted" if crlf else "old Mac line ends (CR) converted", "warning"))
    text = text.replace("\x0c", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
        result.notices.append(Problem(label, 1, "invisible characters (soft hyphens, zero-width spaces) removed", "warning"))
    result.text = text
    return result


def _not_utf8(data: bytes, problem: UnicodeDecodeError) -> str:
    byte = data[problem.start]
    column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
    guess = "Windows-1252 (cp1252)"
    option = "cp1252"
    undefined_in_cp1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    if any(b in undefined_in_cp1252 for b in data):
        guess, option = "Latin-1 (ISO-8859-1)", "latin-1"
    elif not any(0x80 <= b <= 0x9F for b in data):
        guess, option = "Latin-1 / Windows-1252 (the two agree on this file)", "cp1252"
    sample = data[max(0, problem.start - 12):problem.start + 12].decode(option, errors="replace").replace("\n", " ")
    return (f"not UTF-8 (byte 0x{byte:02X} at column {column}); it looks like {guess}: "
            f"read that way it says '…{sample}…'. Convert the file to UTF-8 or run again with --encoding {option}")


def read_input(path: Path, label: str, encoding: str | None = None) -> InputText:
    try:
        size = path.stat().st_size
    except OSError as problem:
        return InputText(label, problems=[Problem(label, 0, f"cannot read: {problem.strerror or problem}")])
    if size > MAX_BYTES:
        return InputText(label, problems=[Problem(label, 0, f"the file is {size / 1024 / 1024:.1f} MB; an article is at most "
                                                           f"{MAX_BYTES // 1024 // 1024} MB (is this really one article?)")])
    if path.is_dir():
        return InputText(label, problems=[Problem(label, 0, "is a folder, not a file")])
    result = decode(path.read_bytes(), label, encoding)
    if result.problems:
        return result
    result.kind = sniff_kind(path, result.text)
    return result


def sniff_kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    head = text.lstrip()[:1000].lower()
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or head.startswith(("<!doctype html", "<html")) or (
            "<body" in head and "<head" in head):
        return "html"
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        return "markdown"
    if re.search(r"^\[\^[^\]\s]+\]:", text, re.M) and re.search(r"\[\^[^\]\s]+\](?!:)", text):
        return "markdown"
    return "text"
