"""Note markers in the running text, decided with the notes list rather than by pattern alone.

Every number that could be a marker is a candidate: "(1)", "[1]", "[1, 2]", "¹²", a
number after a no-break space, digits glued to a word or after its full stop
("school.1", "Line.2 Warren"). The notes list says which numbers exist; the markers
are the candidates that cover those numbers in increasing order through the text.
A "(2019)", "(Art. 8)" or a vote count "Sanders (1)" out of order stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_VALUE = {c: i for i, c in enumerate(SUPERSCRIPTS)}

# Strongest first: the order in which styles win ties and fill gaps.
STYLES = ("explicit", "sup", "bracket", "paren", "glued", "nbsp", "letter")
STRONG = {"explicit", "sup", "bracket"}
_NUMBER_LIST = r"\d{1,3}(?:\s*(?:[,;]|[-–])\s*\d{1,3})*"
_ABBREVIATIONS = {"nr", "no", "art", "abs", "s", "bd", "kap", "ziff", "p", "pp", "vol", "fig", "abb", "tab", "par",
                  "anm", "fn", "rn", "rz", "bzw", "ca", "tel", "str", "jg", "hft", "nos", "sec", "ch", "ps", "lit"}

_PATTERNS = {
    "explicit": re.compile(r"\ue010(\d{1,3})\ue011"),
    "bracket": re.compile(r"\[\s*(" + _NUMBER_LIST + r")\s*\]"),
    "paren": re.compile(r"\(\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\)"),
    "sup": re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,˒]\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*"),
    # school.1 / said,3 / “quoted”4 / (aside)5 — the digits end the word
    "glued": re.compile(r"(?<=[^\W\d_][.,;:!?])(\d{1,3})(?![\w.,]\d|\d|[^\W\d])|(?<=[^\W\d_][\"“”»«’')])(\d{1,3})(?!\d|[^\W\d]|[.,]\d)"
                        r"|(?<=[)\"“”»«’'][.,;:!?])(\d{1,3})(?!\d|[^\W\d]|[.,]\d)"),
    "nbsp": re.compile(r"(?<=[^\d\s]\u00a0)(\d{1,3})(?!\d|[^\W\d]|[.,]\d)"),
    # school1 — only ever used to fill a gap between confirmed markers
    "letter": re.compile(r"(?<=[^\W\d_]{3})(\d{1,3})(?!\d|[^\W\d]|[.,]\d)"),
}


@dataclass(frozen=True)
class Candidate:
    block: int
    start: int
    end: int
    numbers: tuple[int, ...]
    style: str
    text: str

    @property
    def position(self) -> tuple[int, int]:
        return (self.block, self.start)


@dataclass
class MarkerChoice:
    markers: list[Candidate] = field(default_factory=list)  # chosen, in text order
    repeats: list[Candidate] = field(default_factory=list)  # a strong-style marker citing a note again
    unmarked: list[int] = field(default_factory=list)  # note numbers without any marker
    orphans: list[Candidate] = field(default_factory=list)  # strong-style markers without a note
    kept_as_text: list[Candidate] = field(default_factory=list)  # candidates of the markers' style left as text
    out_of_order: list[Candidate] = field(default_factory=list)  # strong-style markers accepted out of order


def _expand(numbers: str) -> tuple[int, ...] | None:
    result: list[int] = []
    for part in re.split(r"\s*[,;]\s*", numbers.strip()):
        if re.search(r"[-–]", part):
            low, high = (int(x) for x in re.split(r"\s*[-–]\s*", part))
            if high < low or high - low > 20:
                return None
            result.extend(range(low, high + 1))
        else:
            result.append(int(part))
    if any(b <= a for a, b in zip(result, result[1:])):
        return None
    return tuple(result)


def _word_before(text: str, index: int) -> str:
    match = re.search(r"([^\W\d_]+)\W{0,2}$", text[:index])
    return match.group(1).lower() if match else ""


def find_candidates(blocks: list[str]) -> list[Candidate]:
    """Every number in the running text that could be a note marker."""
    from .urls import find_urls

    found: list[Candidate] = []
    for index, text in enumerate(blocks):
        for url in find_urls(text):  # nothing inside a URL is a marker
            text = text[:url.start] + " " * (url.end - url.start) + text[url.end:]
        for pattern_style, pattern in _PATTERNS.items():
            for match in pattern.finditer(text):
                style = pattern_style
                raw = match.group(0)
                if style == "sup":
                    groups = [g for g in re.split(r"[,˒]\s?", raw)]
                    values = [int("".join(str(_SUP_VALUE[c]) for c in g)) for g in groups]
                    readings = {tuple(values)}
                    if len(groups) == 1 and len(raw) > 1:
                        readings.add(tuple(_SUP_VALUE[c] for c in raw))  # ¹² as 1 and 2
                    for reading in readings:
                        if all(b > a for a, b in zip(reading, reading[1:])):
                            found.append(Candidate(index, match.start(), match.end(), reading, style, raw))
                    continue
                number_text = next(g for g in match.groups() if g is not None) if match.groups() else raw
                if style in ("glued", "nbsp", "letter") and _word_before(text, match.start()) in _ABBREVIATIONS:
                    style = "letter"  # 'Nr.5': only ever a gap filler between confirmed markers
                numbers = _expand(number_text)
                if not numbers or 0 in numbers:
                    continue
                found.append(Candidate(index, match.start(), match.end(), numbers, style, raw))
    return sorted(found, key=lambda c: (c.block, c.start, STYLES.index(c.style)))


def _best_chain(candidates: list[Candidate]) -> list[Candidate]:
    """Longest run of candidates, in text order, whose numbers strictly increase (most notes covered)."""
    if not candidates:
        return []
    best = [len(c.numbers) for c in candidates]
    back = [-1] * len(candidates)
    for i, cur in enumerate(candidates):
        for j in range(i):
            prev = candidates[j]
            if (prev.block, prev.end) <= (cur.block, cur.start) and prev.numbers[-1] < cur.numbers[0]:
                score = best[j] + len(cur.numbers)
                # on a tie prefer the chain whose numbers follow each other (1, 2, 3 rather than 1, 3)
                if score > best[i] or (score == best[i] and back[i] >= 0
                                       and cur.numbers[0] - prev.numbers[-1] < cur.numbers[0] - candidates[back[i]].numbers[-1]):
                    best[i], back[i] = score, j
    end = max(range(len(candidates)), key=lambda i: best[i])
    chain = []
    while end >= 0:
        chain.append(candidates[end])
        end = back[end]
    return chain[::-1]


def choose_markers(candidates: list[Candidate], note_numbers: list[int]) -> MarkerChoice:
    """Pick the markers: the best style's increasing chain, then gaps filled from other styles."""
    wanted = set(note_numbers)
    usable = [c for c in candidates if set(c.numbers) <= wanted]
    chains = {}
    for style in STYLES:
        if style == "letter":
            continue
        chains[style] = _best_chain([c for c in usable if c.style == style])
    primary = max(chains, key=lambda s: (len({n for c in chains[s] for n in c.numbers}), -STYLES.index(s)))
    chosen = list(chains[primary])

    # Fill each gap with a candidate of another style that sits between its neighbours.
    changed = True
    while changed:
        changed = False
        covered = {n for c in chosen for n in c.numbers}
        for number in sorted(wanted - covered):
            before = [c for c in chosen if c.numbers[-1] < number]
            after = [c for c in chosen if c.numbers[0] > number]
            low = max(((c.block, c.end) for c in before), default=(-1, -1))
            high = min(((c.block, c.start) for c in after), default=(10**9, 0))
            options = [c for c in usable if number in c.numbers and c.numbers[0] == number
                       and low <= (c.block, c.start) and (c.block, c.end) <= high
                       and all(n not in covered for n in c.numbers)
                       and not any(_overlaps(c, o) for o in chosen)]
            # within a gap the numbers must still increase: the first option of the best style
            if options:
                options.sort(key=lambda c: (STYLES.index(c.style), c.block, c.start))
                chosen.append(options[0])
                chosen.sort(key=lambda c: c.position)
                changed = True
                break

    # A note marked out of order ('¹⁰' before '⁷') in a strong style: still its marker, with a warning.
    covered = {n for c in chosen for n in c.numbers}
    late = []
    for number in sorted(wanted - covered):
        options = [c for c in usable if c.numbers == (number,) and c.style in STRONG
                   and c.style in {x.style for x in chosen} and not any(_overlaps(c, o) for o in chosen)]
        if len(options) == 1:
            chosen.append(options[0])
            late.append(options[0])
    chosen.sort(key=lambda c: c.position)
    result = MarkerChoice(markers=chosen)
    result.out_of_order = late
    covered = {n for c in chosen for n in c.numbers}
    result.unmarked = sorted(wanted - covered)
    marker_style = {c.style for c in chosen}
    for candidate in candidates:
        if any(_overlaps(candidate, c) for c in chosen) or candidate in result.repeats:
            continue
        if any(_overlaps(candidate, r) for r in result.repeats):
            continue
        if set(candidate.numbers) <= covered and candidate.style in STRONG and candidate.style in marker_style:
            result.repeats.append(candidate)
        elif candidate.style in STRONG and candidate.style in marker_style and not set(candidate.numbers) <= wanted:
            result.orphans.append(candidate)
        elif candidate.style in marker_style and candidate.style in ("paren", "bracket"):
            result.kept_as_text.append(candidate)
    # A paren/glued marker just after the last one, with the next number, is a marker without a note.
    if chosen and primary in ("paren", "glued"):
        last = chosen[-1]
        top = max(wanted)
        for candidate in candidates:
            if (candidate.style == primary and candidate.position > last.position
                    and candidate.numbers[0] == top + 1 and candidate not in result.orphans):
                result.orphans.append(candidate)
                if candidate in result.kept_as_text:
                    result.kept_as_text.remove(candidate)
    return result


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.block == b.block and a.start < b.end and b.start < a.end
