"""Dates as notes write them (German and English) -> ISO, possibly partial ('2025-08')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English (and the French/Spanish spellings that happen to coincide are left out on purpose)
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10, "oct": 10,
    "december": 12, "dec": 12,
}
_MONTH_NAMES = sorted(_MONTHS, key=len, reverse=True)
MONTH = r"(?P<month>" + "|".join(_MONTH_NAMES) + r")\.?"
_YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)"

_PATTERNS = [
    # 2025-08-08
    re.compile(r"(?<![\d.])(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?![\d])"),
    # 08.08.2025, 8.8.2025, 08. 08. 2025, 08.08.25
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<mon>\d{1,2})\.\s?(?P<year>\d{4}|\d{2})(?![\d])"),
    # 8. August 2025, 8 August 2025, 8. Aug. 2025, 8th August 2025
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # August 8, 2025, Aug. 8th 2025
    re.compile(r"(?<![\w])" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + r"(?!\d)", re.I),
    # August 2025
    re.compile(r"(?<![\w])" + MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    # 08/2025 (month/year) is too ambiguous with issue numbers: not a date.
]
_YEAR_ONLY = re.compile(r"(?<![\w./-])" + _YEAR + r"(?![\w/-]|\.\d)")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str
    text: str


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _from_match(match: re.Match) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if len(groups["year"]) == 2:
        year += 2000 if year <= (date.today().year % 100) + 1 else 1900
    if groups.get("mon"):
        month = int(groups["mon"])
    elif groups.get("month"):
        month = _MONTHS[groups["month"].lower().rstrip(".")]
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    return _iso(year, month, day)


def find_dates(text: str, years: bool = False) -> list[FoundDate]:
    """Every full or month date in the text (and bare years if asked), in text order, without overlaps."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            iso = _from_match(match)
            if iso:
                found.append(FoundDate(match.start(), match.end(), iso, match.group(0)))
                taken.append((match.start(), match.end()))
    if years:
        for match in _YEAR_ONLY.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            found.append(FoundDate(match.start(), match.end(), match.group("year"), match.group(0)))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> str | None:
    """The ISO date if the whole text is one date (ignoring surrounding punctuation), else None."""
    stripped = text.strip(" \t,.;:()[]")
    for found in find_dates(stripped, years=True):
        if found.start == 0 and found.end >= len(stripped.rstrip(".")):
            return found.iso
    return None


def is_month_word(word: str) -> bool:
    return word.lower().rstrip(".") in _MONTHS
