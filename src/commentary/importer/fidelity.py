"""The core promise, checked: every word and every URL of the input is in what was written.

After the page and the .bib are written (to temporary files beside their targets),
they are read back from disk and compared with the input:

- the running text word for word, in order, with each note marker where it was;
- each note: its words in the note's text or in the fields of the sources it cites
  (connectives such as "online unter" may give way to the house style; dates may be
  written ISO);
- every URL (after deliberately dropped tracking parameters) in the page or the .bib;
- the notes: their number and order;
- the .bib: parses, and its keys are unique and prefix-free across bib/.

Comparison ignores what is not a word: whitespace, quote marks, Markdown escapes and
entities such as ``&#64;``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

from ..article import split_front_matter
from ..bib import check_sources, read_bib_text
from ..problems import ContentError, Problem
from ..sources import source_from_entry
from ..text import normalise_url
from .citations import CONNECTIVE_WORDS
from .dates import find_dates
from .model import LINK_CLOSE, LINK_OPEN, MARK_CLOSE, MARK_OPEN
from .urls import clean_url, find_urls

_PLACEHOLDER = re.compile(re.escape(LINK_OPEN) + r"(\d+)" + re.escape(LINK_CLOSE))
_EXPLICIT = re.compile(re.escape(MARK_OPEN) + r"\d+" + re.escape(MARK_CLOSE))
_MD_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\((<[^>]*>|[^)\s]*(?:\([^)\s]*\)[^)\s]*)*)\)")
_HTML_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_CITE = re.compile(r"(?<![\w\\])@([a-z][a-z0-9]*)")
_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*)$", re.M)


def normalise_for_words(text: str) -> str:
    """Text as words: entities decoded, Markdown escapes removed, dates written ISO."""
    text = html.unescape(text)
    text = re.sub(r"\\(.)", r"\1", text)
    out, cursor = [], 0
    for found in find_dates(text):
        out.append(text[cursor:found.start])
        out.append(" " + found.iso.replace("-", " ") + " ")
        cursor = found.end
    out.append(text[cursor:])
    text = "".join(out)
    # '08' and '8' are the same day
    return re.sub(r"\b0(\d)\b", r"\1", text)


def words(text: str) -> list[str]:
    """The words of a text (URLs excluded: they are compared on their own)."""
    for found in sorted(find_urls(text), key=lambda f: -f.start):
        text = text[:found.start] + " " + text[found.end:]
    return re.findall(r"[^\W_]+", normalise_for_words(text))


def urls_in(text: str) -> set[str]:
    text = html.unescape(text)
    found = {normalise_url(clean_url(f.written)[0]) for f in find_urls(text)}
    found |= {normalise_url(html.unescape(m.group(1))) for m in _HTML_LINK.finditer(text)}
    return found


def _markdown_to_text(markdown: str) -> str:
    """What a reader sees of Markdown: link texts and link targets, no syntax."""
    markdown = _HTML_LINK.sub(lambda m: f" {m.group(2)} {html.unescape(m.group(1))} ", markdown)
    markdown = _MD_LINK.sub(lambda m: f" {m.group(1)} {m.group(2).strip('<>')} ", markdown)
    markdown = _AUTOLINK.sub(lambda m: f" {m.group(1)} ", markdown)
    markdown = re.sub(r"^#{1,6}\s+", "", markdown, flags=re.M)
    return markdown


def _input_text(text: str, links) -> str:
    text = _PLACEHOLDER.sub(lambda m: f" {links[int(m.group(1))][0]} {links[int(m.group(1))][1]} ", text)
    return _EXPLICIT.sub(" ", text)


def _missing(need: list[str], have: list[str], allowed=frozenset()) -> list[str]:
    have_count = Counter(w.casefold() for w in have)
    missing = []
    for word in need:
        key = word.casefold()
        if have_count[key] > 0:
            have_count[key] -= 1
        elif key not in allowed:
            missing.append(word)
    return missing


def _sequence_missing(need: list[str], have: list[str]) -> list[str]:
    import difflib

    matcher = difflib.SequenceMatcher(a=need, b=have, autojunk=False)
    missing = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            missing.extend(need[i1:i2])
    # a word only moved (e.g. around a marker) is not lost
    return _missing(missing, [w for w in have], ()) if missing else []


def _entry_words(source) -> list[str]:
    extra = []
    if len(source.authors) > 1:
        extra += ["und", "and", "&"]  # the names' separator becomes BibTeX's 'and'
    if source.number:
        extra += ["Nr", "No", "Nummer", "Number"]  # the house style writes 'Nr.'
    values = extra + list(source.authors) + [getattr(source, n) for n in (
        "title", "titleaddon", "journaltitle", "organization", "publisher", "howpublished", "institution", "address",
        "series", "number", "pages", "date", "urldate", "langid", "note")]
    return words(" ".join(v for v in values if v))


def verify(plan, page_file: Path, bib_file: Path | None, bibliography, replaced_bib: str | None = None,
           failed_notes: set | None = None) -> list[Problem]:
    """Problems (each naming the input file and line) if anything of the input is missing on disk."""
    document = plan.document
    where = plan.input_path
    problems: list[Problem] = []

    def fail(line: int, message: str) -> None:
        problems.append(Problem(where, line, message))

    page = page_file.read_text(encoding="utf-8")
    try:
        front, body = split_front_matter(page, str(page_file))
    except ContentError as error:
        return [Problem(where, 0, f"the written page does not parse: {error}")]
    # sources: the new .bib and the entries reused from bib/
    sources = {}
    if bib_file is not None and bib_file.exists():
        parsed = read_bib_text(bib_file.read_text(encoding="utf-8"), str(bib_file))
        for problem in parsed.problems:
            fail(0, f"the written .bib does not parse: {problem.message}")
        sources = {k: source_from_entry(e, plan.bib_path.name if plan.bib_path else "", parsed.lines.get(k, 0))
                   for k, e in parsed.entries.items()}
        others = {k: s for k, s in bibliography.sources.items() if s.file.split("/")[-1] != (replaced_bib or "")}
        clash = set(sources) & set(others)
        for key in sorted(clash):
            fail(0, f"key '{key}' already exists in {others[key].file}")
        for problem in check_sources([*others.values(), *sources.values()]):
            if any(f"'{key}'" in problem.message or problem.message.startswith(key + ":") for key in sources):
                fail(0, f"bib: {problem.message}")
    known = {**bibliography.sources, **sources}

    # title
    title_missing = _missing(words(document.title), words(str(front.values.get("title", ""))))
    if title_missing:
        fail(document.title_line, f"title words missing from the page: {' '.join(title_missing)}")

    # notes: count, order, words
    definitions = [(m.group(1), m.group(2)) for m in _DEFINITION.finditer(body)]
    written_labels = [label for label, _ in definitions]
    expected_labels = [n.label for n in plan.notes]
    if written_labels != expected_labels:
        fail(0, f"notes written {written_labels} but the input has {expected_labels}")
    by_label = dict(definitions)
    for note in plan.notes:
        text = by_label.get(note.label, "")
        cited = _CITE.findall(html.unescape(re.sub(r"&#64;", "＠", text)))
        have = words(_markdown_to_text(_CITE.sub(" ", text)))
        for key in cited:
            source = known.get(key)
            if source is None:
                fail(note.line, f"note {note.label} cites @{key}, which is in no .bib")
                if failed_notes is not None:
                    failed_notes.add(note.label)
                continue
            have += _entry_words(source)
        allowed = CONNECTIVE_WORDS if cited else frozenset()
        lost = _missing(words(note.raw), have, allowed)
        if lost:
            fail(note.line, f"note {note.label}: words missing from the page and the .bib: {' '.join(lost)}")
            if failed_notes is not None:
                failed_notes.add(note.label)
        need_urls = {normalise_url(clean_url(f.written)[0]) for f in find_urls(note.raw)}
        have_urls = urls_in(_markdown_to_text(text)) | urls_in(text)
        for key in cited:
            if key in known and known[key].url:
                have_urls.add(normalise_url(known[key].url))
            if key in known and known[key].note:
                have_urls |= urls_in(known[key].note)
        for url in sorted(need_urls - have_urls):
            fail(note.line, f"note {note.label}: URL missing from the page and the .bib: {url}")
            if failed_notes is not None:
                failed_notes.add(note.label)

    # running text: word for word, markers where they were
    body_only = _DEFINITION.sub("", body)
    have_body = words(_markdown_to_text(_FOOTNOTE_REF.sub(" ", body_only)))
    need_body: list[str] = []
    for block_index, block in enumerate(document.blocks):
        text = block.text
        if block.kind == "markdown":
            text = _FOOTNOTE_REF.sub(" ", text)
        else:
            for candidate, _labels in sorted(plan.markers.get(block_index, []), key=lambda e: -e[0].start):
                text = text[:candidate.start] + " " + text[candidate.end:]
        need_body += words(_markdown_to_text(_input_text(text, document.links)) if block.kind == "markdown"
                           else _input_text(text, document.links))
    lost = _sequence_missing(need_body, have_body)
    if lost:
        fail(0, f"running text: words missing from the page: {' '.join(lost[:40])}{' …' if len(lost) > 40 else ''}")
    refs = _FOOTNOTE_REF.findall(body_only)
    if len(refs) != plan.body_marker_count:
        fail(0, f"{plan.body_marker_count} note markers in the text, but {len(refs)} footnote references on the page")
    need_urls = set()
    for block in document.blocks:
        need_urls |= {normalise_url(clean_url(f.written)[0]) for f in find_urls(_input_text(block.text, document.links))}
    have_urls = urls_in(_markdown_to_text(body_only)) | urls_in(body_only)
    for url in sorted(need_urls - have_urls):
        fail(0, f"running text: URL missing from the page: {url}")
    return problems
