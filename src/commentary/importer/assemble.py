"""One read article -> the page, its .bib, new authors and the report (nothing written here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..bib import Bibliography
from ..problems import Problem
from ..project import Author, Project, Series
from ..text import is_web_url, normalise_url, slugify
from ..writing import autolink, escape_inline_markdown, escape_line_starts, format_article, format_entry, markdown_link
from .citations import CONNECTIVE_WORDS, IBID, Draft, ParsedNote, Piece, parse_note
from .keys import KeyMaker
from .layout import is_dateline
from .markers import Candidate, choose_markers, find_candidates
from .model import LINK_CLOSE, LINK_OPEN, MARK_CLOSE, MARK_OPEN, Block, Document
from .urls import clean_url, find_urls, on_domains

ARCHIVE_KEYWORD = "archiv"
_PLACEHOLDER = re.compile(re.escape(LINK_OPEN) + r"(\d+)" + re.escape(LINK_CLOSE))
_EXPLICIT = re.compile(re.escape(MARK_OPEN) + r"(\d+)" + re.escape(MARK_CLOSE))


@dataclass
class Options:
    series: str | None = None
    author: str | None = None
    date: str | None = None
    original_url: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    part: int | None = None
    force: bool = False


@dataclass
class OutNote:
    label: str
    number: int
    list_index: int
    raw: str  # the note as written
    line: int
    markdown: str = ""
    keys: list[str] = field(default_factory=list)
    has_source: bool = False


@dataclass
class Entry:
    key: str
    draft: Draft
    new: bool  # False: the key exists in bib/ already and is only cited


@dataclass
class Plan:
    """Everything an import would write, and what the report says about it."""

    input_path: str
    document: Document
    slug: str = ""
    page_path: Path | None = None
    bib_path: Path | None = None
    page_text: str = ""
    bib_text: str = ""
    authors_path: Path | None = None
    authors_text: str | None = None  # the whole new docs/.authors.yml, if an author was added
    new_authors: list[Author] = field(default_factory=list)
    notes: list[OutNote] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    body_markdown: str = ""
    body_marker_count: int = 0
    tracking: list[tuple[str, list[str], int]] = field(default_factory=list)  # (url, names, line)
    linked_urls: list[str] = field(default_factory=list)  # URLs kept as links (no source)
    front: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)  # block index -> [(marker, labels)]
    drafts: list = field(default_factory=list)  # every source as the notes state it (new or reused)

    @property
    def problems(self) -> list[Problem]:
        return self.document.problems

    @property
    def notices(self) -> list[Problem]:
        return self.document.notices


# ---------------------------------------------------------------- markers


def _marker_blocks(document: Document) -> list[int]:
    return [i for i, b in enumerate(document.blocks) if b.role == "body" and b.kind in ("paragraph", "heading")]


def assign_markers(document: Document) -> dict[int, list[tuple[Candidate, list[str]]]]:
    """block index -> [(marker, [note labels])], reporting markers without notes and notes without markers."""
    indexes = _marker_blocks(document)
    texts = [document.blocks[i].text for i in indexes]
    candidates = find_candidates(texts)
    lists = document.lists
    result: dict[int, list[tuple[Candidate, list[str]]]] = {}
    if not lists:
        strong = [c for c in candidates if c.style in ("explicit", "sup", "bracket")]
        for candidate in strong:
            block = document.blocks[indexes[candidate.block]]
            document.error(_line_of(block, candidate.start), f"marker '{candidate.text}' but the text has no notes section "
                                                             "(expected a heading such as 'Anmerkungen', 'Quellen' or 'Notes')")
        return result
    numbers_by_list = [[n.number for n in l.notes] for l in lists]
    all_numbers = [n for ns in numbers_by_list for n in ns]
    labels: dict[tuple[int, int], str] = {}
    disjoint = len(set(all_numbers)) == len(all_numbers)
    for li, numbers in enumerate(numbers_by_list):
        for n in numbers:
            labels[(li, n)] = str(n) if (disjoint or li == 0) else f"{'abcdefghij'[li]}{n}"
    assignments: list[tuple[int, Candidate, int]] = []  # (list index, candidate, number)
    if len(lists) == 1 or disjoint:
        owner = {n: li for li, ns in enumerate(numbers_by_list) for n in ns}
        choice = choose_markers(candidates, sorted(set(all_numbers)))
        choices = [(choice, owner)]
    else:
        choices = _split_by_style(candidates, numbers_by_list)
    for choice, owner in choices:
        for candidate in choice.markers + choice.repeats:
            for n in candidate.numbers:
                assignments.append((owner[n], candidate, n))
        unmarked_by_list: dict[int, set[int]] = {}
        for n in choice.unmarked:
            unmarked_by_list.setdefault(owner.get(n, 0), set()).add(n)
        for li, numbers in unmarked_by_list.items():
            if li >= 1 and numbers == {x.number for x in lists[li].notes}:
                # a further list nothing in the text points to (a reading list): text after the notes
                unmarked_by_list[li] = set()
                note_list = lists[li]
                document.warn(note_list.line, f"no marker in the text points into the list '{note_list.heading or ''}': "
                                              "kept as text after the article, not as notes")
                if note_list.heading:
                    document.blocks.append(Block("paragraph", note_list.heading, note_list.line, "trailer"))
                for x in note_list.notes:
                    prefix = f"{x.number}. " if note_list.numbered else ""
                    document.blocks.append(Block("paragraph", prefix + x.text, x.line, "trailer"))
                note_list.notes = []
        for n in sorted(n for ns in unmarked_by_list.values() for n in ns):
            li = owner.get(n, 0)
            note = next(x for x in lists[li].notes if x.number == n)
            document.error(note.line, f"note {n} has no marker in the text (expected e.g. '[{n}]', '({n})' or '{_sup(n)}' "
                                      "where it is cited)")
        for candidate in choice.orphans:
            block = document.blocks[indexes[candidate.block]]
            document.error(_line_of(block, candidate.start), f"marker '{candidate.text.strip()}' has no note in the list")
        for candidate in choice.repeats:
            block = document.blocks[indexes[candidate.block]]
            document.warn(_line_of(block, candidate.start),
                          f"note {', '.join(map(str, candidate.numbers))} is marked again here ('{candidate.text}'): both places link to it")
        for candidate in choice.out_of_order:
            block = document.blocks[indexes[candidate.block]]
            document.warn(_line_of(block, candidate.start),
                          f"marker '{candidate.text}' is out of the notes' order: linked to note {candidate.numbers[0]} anyway")
        for candidate in choice.kept_as_text:
            block = document.blocks[indexes[candidate.block]]
            document.warn(_line_of(block, candidate.start),
                          f"'{candidate.text}' is out of the notes' order: kept as text, not as a marker")
    for li, candidate, n in assignments:
        block_index = indexes[candidate.block]
        entries = result.setdefault(block_index, [])
        existing = next((e for e in entries if e[0] is candidate), None)
        if existing:
            existing[1].append(labels[(li, n)])
        else:
            entries.append((candidate, [labels[(li, n)]]))
    document.lists = [l for l in lists if l.notes]
    for entries in result.values():
        entries.sort(key=lambda e: e[0].start)
    document._labels = labels  # type: ignore[attr-defined]
    return result


def _split_by_style(candidates, numbers_by_list):
    """Two lists numbered from 1 each: each list's markers are of their own style ('¹' vs '[1]')."""
    from itertools import product

    styles = sorted({c.style for c in candidates})
    best = None
    for assignment in product(range(len(numbers_by_list)), repeat=len(styles)):
        choices = []
        covered = 0
        for li, numbers in enumerate(numbers_by_list):
            mine = [c for c in candidates if assignment[styles.index(c.style)] == li]
            choice = choose_markers(mine, numbers)
            covered += len(numbers) - len(choice.unmarked)
            choices.append((choice, {n: li for n in numbers}))
        if best is None or covered > best[0]:
            best = (covered, choices)
    return best[1] if best else []


def _sup(n: int) -> str:
    return "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(n))


def _line_of(block, offset: int) -> int:
    return block.line + block.text.count("\n", 0, offset)


# ---------------------------------------------------------------- inline rendering


def render_inline(text: str, document: Document, plan: Plan, line: int, in_note: bool = False) -> str:
    """Plain running text (with link placeholders) -> Markdown: escaped text, links, bare URLs as links."""
    out = []
    cursor = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(_render_plain(text[cursor:match.start()], plan, line, in_note))
        link_text, url = document.links[int(match.group(1))]
        clean = _clean(url, plan, line)
        if is_web_url(clean):
            out.append(markdown_link(link_text, clean))
        else:
            out.append(_render_plain(link_text, plan, line, in_note))
        cursor = match.end()
    out.append(_render_plain(text[cursor:], plan, line, in_note))
    return "".join(out)


def _render_plain(text: str, plan: Plan, line: int, in_note: bool) -> str:
    text = _EXPLICIT.sub(lambda m: m.group(1), text)
    out = []
    cursor = 0
    for found in find_urls(text):
        out.append(escape_inline_markdown(text[cursor:found.start], brackets_as_entities=in_note))
        out.append(autolink(_clean(found.written, plan, line)))
        cursor = found.end
    out.append(escape_inline_markdown(text[cursor:], brackets_as_entities=in_note))
    return "".join(out)


def _clean(url: str, plan: Plan, line: int) -> str:
    clean, dropped, added = clean_url(url)
    if dropped:
        plan.tracking.append((url, dropped, line))
    if added:
        plan.document.warn(line, f"'{url}' has no scheme: written as {clean}")
    return clean


def render_markdown_raw(text: str, plan: Plan | None = None, line: int = 0) -> str:
    """Markdown input passes through: only '@' (read as a citation) and tracking parameters change."""
    parts = re.split(r"(```.*?```|`+[^`\n]*`+)", text, flags=re.S)
    out = []
    for part in parts:
        if part.startswith("`"):
            out.append(part)
            continue
        if plan is not None:
            for found in sorted(find_urls(part), key=lambda f: -f.start):
                clean = _clean(found.written, plan, line)
                if clean != found.written and not found.scheme_added:
                    part = part[:found.start] + clean + part[found.end:]
        out.append(part.replace("@", "&#64;"))
    return "".join(out)


def render_body(document: Document, plan: Plan, markers) -> str:
    out_blocks = []
    count = 0
    for index, block in enumerate(document.blocks):
        if block.kind == "markdown":
            out_blocks.append(render_markdown_raw(block.text, plan, block.line))
            count += len(re.findall(r"\[\^[^\]\s]+\](?!:)", block.text))
            continue
        text = block.text
        pieces = []
        cursor = 0
        for candidate, labels in markers.get(index, []):
            segment = text[cursor:candidate.start]
            rendered = render_inline(segment, document, plan, _line_of(block, cursor))
            if labels:
                rendered = rendered.rstrip(" \t\u00a0\u202f")
            pieces.append(rendered)
            pieces.append("".join(f"[^{label}]" for label in labels))
            count += len(labels)
            cursor = candidate.end
        pieces.append(render_inline(text[cursor:], document, plan, _line_of(block, cursor)))
        markdown = escape_line_starts("".join(pieces))
        if block.kind == "heading":
            markdown = "## " + " ".join(markdown.split("\n"))
        out_blocks.append(markdown)
    plan.body_marker_count = count
    return "\n\n".join(b for b in out_blocks if b.strip())


# ---------------------------------------------------------------- sources


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def _covered(written: str, source, url: str) -> bool:
    """Are all words of a source's text found in an existing entry (so citing its key loses nothing)?"""
    from .fidelity import normalise_for_words

    have = set(_words(normalise_for_words(" ".join(str(v) for v in _source_values(source)))))
    text = written.replace(url, " ") if url else written
    for found in find_urls(text):
        text = text.replace(found.written, " ")
    need = _words(normalise_for_words(text))
    return all(w in have or w in CONNECTIVE_WORDS for w in need)


def _source_values(source) -> list[str]:
    if isinstance(source, Draft):
        return [v for _, v in source.fields()]
    values = list(source.authors) + [getattr(source, n) for n in (
        "title", "titleaddon", "journaltitle", "organization", "publisher", "howpublished", "institution", "address",
        "series", "number", "pages", "date", "urldate", "url", "langid", "note")]
    return [v for v in values if v]


def _plain_note(text: str) -> ParsedNote:
    """A note whose sources could not be taken apart safely: its text as written, URLs as links."""
    pieces, cursor = [], 0
    urls = find_urls(text)
    for found in urls:
        pieces.append(Piece("text", text[cursor:found.start]))
        pieces.append(Piece("url", url=found))
        cursor = found.end
    pieces.append(Piece("text", text[cursor:]))
    return ParsedNote([p for p in pieces if p.kind != "text" or p.text], urls)


def render_notes(document: Document, plan: Plan, bibliography: Bibliography, keymaker: KeyMaker,
                 series: dict[str, Series], pending: dict[str, Draft], plain: frozenset = frozenset()) -> None:
    """Each note: its own words, sources replaced by @key; new entries collected in plan.entries."""
    by_url = dict(bibliography.by_url())
    for key, draft in pending.items():
        if draft.url:
            by_url.setdefault(normalise_url(draft.url), key)
    by_title: dict[tuple[str, str], str] = {}
    for source in bibliography.sources.values():
        if not source.url and source.title:
            by_title[(source.title.lower(), " ".join(source.authors).lower())] = source.key
    domains = [d for s in series.values() for d in s.domains]
    new_entries: dict[str, Draft] = {}
    labels = getattr(document, "_labels", {})
    previous: Draft | None = None
    for note_list in document.lists:
        for raw in note_list.notes:
            label = raw.label or labels.get((raw.list_index, raw.number), str(raw.number))
            note = OutNote(label, raw.number, raw.list_index, raw.text, raw.line)
            parsed: ParsedNote = parse_note(raw.text, raw.line) if label not in plain else _plain_note(raw.text)
            out = []
            for i, piece in enumerate(parsed.pieces):
                if piece.kind == "text":
                    out.append(_note_text(piece.text, document))
                elif piece.kind == "url":
                    url = _clean(piece.url.written, plan, raw.line)
                    plan.linked_urls.append(url)
                    out.append(autolink(url))
                else:
                    draft = piece.draft
                    plan.drafts.append(draft)
                    before = parsed.pieces[i - 1].text if i and parsed.pieces[i - 1].kind == "text" else ""
                    if IBID.search(before.strip()) and previous is not None and not (
                            draft.journaltitle or draft.organization or draft.howpublished or draft.publisher):
                        draft.journaltitle, draft.organization = previous.journaltitle, previous.organization
                        draft.howpublished = previous.howpublished
                        if draft.journaltitle and draft.type == "online":
                            draft.type = "article"
                    if piece.url is not None and piece.url.dropped:
                        plan.tracking.append((piece.url.written, list(piece.url.dropped), raw.line))
                    key, fallback = _key_for(draft, by_url, by_title, bibliography, new_entries, keymaker, domains, plan)
                    note.keys.append(key)
                    note.has_source = True
                    if fallback:
                        # an existing entry that lacks some of these words: the words stay in the note
                        written = draft.written
                        url_at = written.find(piece.url.written) if piece.url else -1
                        if url_at >= 0:
                            out.append(_note_text(written[:url_at], document) + _cite(key)
                                       + _note_text(written[url_at + len(piece.url.written):], document))
                        else:
                            out.append(_note_text(written, document) + " " + _cite(key))
                    else:
                        out.append(_cite(key) + piece.after)
                    previous = draft
            note.markdown = _join_note(out)
            plan.notes.append(note)
    plan.entries.extend(Entry(k, d, True) for k, d in new_entries.items())


def _note_text(text: str, document: Document) -> str:
    if document.markup == "markdown":
        return render_markdown_raw(text)
    return escape_inline_markdown(text, brackets_as_entities=True)


def _cite(key: str) -> str:
    return f"\ue060@{key}\ue061"


def _join_note(parts: list[str]) -> str:
    """Concatenate, with a space before each @key and none where punctuation follows directly."""
    text = "".join(parts)
    text = re.sub(r"(?<=[^\s(\[„“\"«»‚/])\ue060", " \ue060", text)
    text = re.sub(r"\ue061(?=[\w:-])", "\ue061 ", text)
    text = text.replace("\ue060", "").replace("\ue061", "")
    text = " ".join(text.split())
    return escape_line_starts(text)


def _key_for(draft: Draft, by_url, by_title, bibliography, new_entries, keymaker, domains, plan) -> tuple[str, bool]:
    """(key, words-stay-in-note): reuse by URL (or title), else a new key."""
    if draft.url:
        normal = normalise_url(draft.url)
        key = by_url.get(normal)
        if key:
            source = new_entries.get(key) or bibliography.sources.get(key) or plan_pending(plan, key)
            if source is None:
                return key, True
            return key, not _covered(draft.written, source, draft.url)
    else:
        ident = (draft.title.lower(), " ".join(draft.authors).lower())
        key = by_title.get(ident)
        if key:
            source = new_entries.get(key) or bibliography.sources.get(key)
            if source is not None:
                return key, not _covered(draft.written, source, "")
    if draft.url and on_domains(draft.url, domains):
        draft.keywords = ARCHIVE_KEYWORD
    key = keymaker.make(draft.key_name, draft.date, draft.title)
    new_entries[key] = draft
    if draft.url:
        by_url[normalise_url(draft.url)] = key
    else:
        by_title[(draft.title.lower(), " ".join(draft.authors).lower())] = key
    return key, False


def plan_pending(plan: Plan, key: str):
    return getattr(plan, "_pending", {}).get(key)


# ---------------------------------------------------------------- front matter


def resolve_author(name: str, authors: dict[str, Author]) -> tuple[str, Author | None]:
    """(id, new Author or None): an id or a name of docs/.authors.yml, else a new id from the name."""
    wanted = " ".join(name.split())
    if wanted in authors:
        return wanted, None
    folded = wanted.casefold()
    for author in authors.values():
        if author.name.casefold() == folded or author.id.casefold() == folded:
            return author.id, None
    new_id = slugify(wanted, max_words=6) or "autor"
    if new_id in authors:
        return new_id, None
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", wanted):
        wanted = wanted.replace("-", " ").title()  # an id such as the configured 'redaktion': its name
    return new_id, Author(new_id, wanted)


def authors_yaml_with(text: str, author: Author) -> str:
    """docs/.authors.yml with one author appended (comments and order kept)."""
    from ..writing import yaml_scalar

    entry = f"  {author.id}:\n    name: {yaml_scalar(author.name)}\n    description: \"\"\n"
    if not text.strip():
        return "authors:\n" + entry
    if not re.search(r"^authors:\s*$", text, re.M):
        if re.search(r"^authors:\s*\{\}\s*$", text, re.M):
            return re.sub(r"^authors:\s*\{\}\s*$", "authors:\n" + entry.rstrip("\n"), text, flags=re.M) + ("\n" if not text.endswith("\n") else "")
        return text.rstrip("\n") + "\n\nauthors:\n" + entry
    # append at the end of the 'authors:' mapping (the file's last top-level key may follow it)
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(r"^authors:\s*$", l))
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t", "#"))):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    indent = "  "
    for l in lines[start + 1:end]:
        m = re.match(r"^(\s+)\S", l)
        if m:
            indent = m.group(1)
            break
    block = [f"{indent}{author.id}:", f"{indent}{indent}name: {yaml_scalar(author.name)}", f"{indent}{indent}description: \"\""]
    return "\n".join(lines[:end] + block + lines[end:]) + ("" if text.endswith("\n") or lines[-1] == "" else "\n")


def description_from(document: Document) -> str:
    """The first sentence(s) of the body, at most about 200 characters (the editor edits it later)."""
    return _description(document, 40) or _description(document, 1) or document.title


def _description(document: Document, shortest: int) -> str:
    for block in document.blocks:
        if block.kind not in ("paragraph", "markdown") or block.role != "body":
            continue
        text = _PLACEHOLDER.sub(lambda m: document.links[int(m.group(1))][0], block.text)
        text = _EXPLICIT.sub("", text)
        if block.kind == "markdown":
            text = re.sub(r"\[\^[^\]]+\]", "", text)
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            text = re.sub(r"[*_`#>]", "", text)
        text = re.sub(r"\s*(?:\[\d{1,3}(?:[,–-]\s*\d{1,3})*\]|\(\d{1,3}\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)", "", text)
        text = " ".join(text.split())
        for found in sorted(find_urls(text), key=lambda f: -f.start):
            text = text[:found.start] + clean_url(found.written)[0] + text[found.end:]
        if len(text) < shortest or block.text == document.author_line or is_dateline(text):
            continue
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„“\"])", text)
        out = ""
        for sentence in sentences:
            if len(out) + len(sentence) + 1 > 200:
                break
            out = (out + " " + sentence).strip()
        if not out:
            cut = text[:197].rsplit(" ", 1)[0]
            out = cut.rstrip(",;:") + " …"
        return out
    return ""


_FIRST_PUBLISHED = re.compile(r"(?:erschien(?:en)?\s+(?:zuerst|erstmals|ursprünglich)|zuerst\s+erschienen|erstveröffentlich|"
                              r"originally\s+published|first\s+published|first\s+appeared|original(?:artikel|beitrag|text)?\s*:)", re.I)


def _original_url_line(document: Document) -> str | None:
    """'Dieser Beitrag erschien zuerst auf https://…' before or after the article."""
    body = [b for b in document.blocks if b.role == "body"]
    for block in [b for b in document.blocks if b.role == "trailer"] + body[:3] + body[-2:]:
        if _FIRST_PUBLISHED.search(block.text):
            found = find_urls(_PLACEHOLDER.sub(lambda m: " " + document.links[int(m.group(1))][1] + " ", block.text))
            if len(found) == 1:
                return found[0].url
    return None


def _known_author_line(document: Document, authors: dict[str, Author]) -> str | None:
    """A line that names a known author: 'Martina Keller' alone, or 'Martina Keller ist …' after the notes."""
    names = {a.name.casefold(): a.name for a in authors.values() if a.name}
    body = [b for b in document.blocks if b.role == "body"]
    trailer = [b for b in document.blocks if b.role == "trailer"]
    for block in body[-2:] + trailer + body[:3]:
        text = " ".join(block.text.split()).strip(" *_—–-.")
        if text.casefold() in names:
            return names[text.casefold()]
    for block in trailer + body[-1:]:
        text = " ".join(block.text.split()).lstrip(" *_—–-")
        for folded, name in names.items():
            if text.casefold().startswith(folded + " ") and len(text) < 400:
                return name
    return None


def latest_cited_date(drafts: list[Draft]) -> str | None:
    dates = [d.date for d in drafts if len(d.date) == 10]
    return max(dates) if dates else None


# ---------------------------------------------------------------- the whole plan


def assemble(document: Document, project: Project, bibliography: Bibliography, series: dict[str, Series],
             authors: dict[str, Author], options: Options, input_path: str, taken_keys: set[str],
             pending: dict[str, Draft] | None = None, plain_notes: frozenset = frozenset()) -> Plan:
    plan = Plan(input_path, document)
    plan._pending = dict(pending or {})  # type: ignore[attr-defined]
    if document.problems and not document.title:
        return plan
    if not document.lists:
        if not any(p for p in document.problems):
            document.error(document.title_line, "no notes section found (expected a heading such as 'Anmerkungen', "
                                                "'Fußnoten', 'Quellen' or 'Notes' followed by the notes)")
    markers = assign_markers(document) if not document.premarked else {}
    plan.markers = markers
    plan.body_markdown = render_body(document, plan, markers)
    keymaker = KeyMaker(taken_keys)
    render_notes(document, plan, bibliography, keymaker, series, plan._pending, plain_notes)  # type: ignore[attr-defined]
    for label in sorted(plain_notes):
        note = next((n for n in plan.notes if n.label == label), None)
        document.warn(note.line if note else 0, f"note {label}: its sources could not be taken apart without losing words; "
                                                "kept as written (URLs as links)")

    # date
    published = options.date or document.date_line
    if not published:
        latest = latest_cited_date(plan.drafts)
        if latest:
            published = latest
            document.warn(document.title_line, f"no date given: used {latest}, the latest date cited in the notes — "
                                               "check it (or pass --date)")
        else:
            document.error(document.title_line, "no date: the text has no date line and the notes cite no full date; pass --date YYYY-MM-DD")
    # authors
    author_ids: list[str] = []
    name = options.author or document.author_line or _known_author_line(document, authors) or project.default_author
    if not name:
        document.error(document.title_line, "no author: pass --author NAME (or set extra.archive.default_author in mkdocs.yml)")
    else:
        names = []
        for part in re.split(r"\s*(?:;|&|\bund\b|\band\b)\s*", name):
            commas = [p.strip() for p in part.split(",") if p.strip()]
            names += commas if len(commas) > 1 and all(" " in p for p in commas) else [part.strip()]
        names = [n for n in names if len(n) > 1] or [name]
        path = project.docs_dir / ".authors.yml"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        known = dict(authors)
        for one in names:
            author_id, new_author = resolve_author(one, known)
            if author_id in author_ids:
                continue
            author_ids.append(author_id)
            if new_author is not None:
                plan.new_authors.append(new_author)
                known[new_author.id] = new_author
                text = authors_yaml_with(text, new_author)
                plan.authors_path = path
                plan.authors_text = text
    # series
    series_id = options.series
    original_url = options.original_url or document.original_url or _original_url_line(document)
    if original_url:
        clean = _clean(original_url, plan, document.title_line)
        original_url = clean
    if not series_id and original_url:
        for candidate in series.values():
            if on_domains(original_url, candidate.domains):
                series_id = candidate.id
                document.warn(document.title_line, f"series '{candidate.id}' taken from the original URL's domain")
                break
    slug = slugify(document.title)
    if not slug:
        document.error(document.title_line, f"the title '{document.title}' gives no slug (no letters or digits)")
    plan.slug = slug
    plan.page_path = project.articles_dir / f"{slug}.md"
    plan.bib_path = project.bib_dir / f"{slug}.bib"
    front = {
        "title": document.title,
        "date": published or "",
        "authors": author_ids,
        "categories": list(options.categories),
        "tags": list(options.tags),
        "series": series_id,
        "part": options.part,
        "original_url": original_url,
        "description": description_from(document),
    }
    plan.front = front
    notes = [(n.label, n.markdown) for n in plan.notes]
    plan.page_text = format_article(front, plan.body_markdown, notes)
    plan.bib_text = "\n".join(format_entry(e.draft.type, e.key, e.draft.fields()) for e in plan.entries)
    return plan
