"""A cited source as the archive sees it: clean fields taken from one BibTeX entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import normalise_url, sort_key, url_host

# biblatex entry types of the content model
ENTRY_TYPES = ("online", "article", "book", "report", "misc")

_BRACES = re.compile(r"(?<!\\)[{}]")
_LATEX_ESCAPE = re.compile(r"\\([&%$#_{}~^])")


def clean_field(value: str) -> str:
    """BibTeX field text as a reader sees it: grouping braces and escapes removed, case untouched."""
    value = _BRACES.sub("", value)
    value = _LATEX_ESCAPE.sub(r"\1", value)
    return " ".join(value.split())


def person_name(person) -> str:
    """'Small, Gretchen' or '{Bundesamt für Statistik}' -> 'Gretchen Small', 'Bundesamt für Statistik'."""
    parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names]
    name = clean_field(" ".join(parts))
    if person.lineage_names:
        name += ", " + clean_field(" ".join(person.lineage_names))
    return name


@dataclass(frozen=True)
class Source:
    key: str
    type: str
    authors: tuple[str, ...] = ()
    title: str = ""
    titleaddon: str = ""
    journaltitle: str = ""
    organization: str = ""
    publisher: str = ""
    howpublished: str = ""
    institution: str = ""
    address: str = ""
    series: str = ""
    number: str = ""
    pages: str = ""
    date: str = ""  # ISO, possibly partial: '2025', '2025-08', '2025-08-08'
    urldate: str = ""
    url: str = ""
    langid: str = ""
    note: str = ""
    sort_name: str = ""  # first author as 'Last First' (bibliographies sort by last name)
    file: str = ""  # the .bib file it is defined in (for messages and the source index)
    line: int = 0
    # derived once: both are asked for thousands of times per build
    normalised_url: str = field(init=False, compare=False, repr=False)
    host: str = field(init=False, compare=False, repr=False)
    sort_key: tuple[str, str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "normalised_url", normalise_url(self.url) if self.url else "")
        object.__setattr__(self, "host", url_host(self.url) if self.url else "")
        first = self.sort_name or self.creator or self.title or self.note
        object.__setattr__(self, "sort_key", (sort_key(first), sort_key(self.title), self.date))

    @property
    def creator(self) -> str:
        """Who is named first: the persons, else the organisation (the house style's rule)."""
        if self.authors:
            return join_names(self.authors)
        return self.organization or self.institution

    @property
    def medium(self) -> str:
        """Where it appeared; the organisation only if it is not already named as creator."""
        candidates = [self.journaltitle]
        if self.authors:
            candidates += [self.organization, self.institution]
        candidates += [self.publisher, self.howpublished]
        return next((c for c in candidates if c), "")



def join_names(names: tuple[str, ...] | list[str]) -> str:
    """German enumeration: 'A', 'A und B', 'A, B und C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " und " + names[-1]


def _date_from_parts(fields) -> str:
    year = fields.get("year", "").strip()
    if not year:
        return ""
    month = fields.get("month", "").strip()
    months = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
    if month[:3].lower() in months:
        month = str(months[month[:3].lower()])
    if not month.isdigit():
        return year
    day = fields.get("day", "").strip()
    value = f"{year}-{int(month):02d}"
    return f"{value}-{int(day):02d}" if day.isdigit() else value


def source_from_entry(entry, file: str = "", line: int = 0) -> Source:
    """Build a Source from a pybtex Entry (no LaTeX decoding: our .bib files are UTF-8)."""
    fields = {name.lower(): clean_field(value) for name, value in entry.fields.items()}
    authors = tuple(person_name(p) for p in entry.persons.get("author", ()))
    if not authors and "editor" in entry.persons:
        authors = tuple(person_name(p) for p in entry.persons["editor"])
    first = (entry.persons.get("author") or entry.persons.get("editor") or [None])[0]
    sort_name = clean_field(" ".join([*first.last_names, *first.first_names, *first.middle_names, *first.prelast_names])) if first else ""
    return Source(
        key=entry.key,
        sort_name=sort_name,
        type=entry.type.lower(),
        authors=authors,
        title=fields.get("title", ""),
        titleaddon=fields.get("titleaddon", ""),
        journaltitle=fields.get("journaltitle", "") or fields.get("journal", ""),
        organization=fields.get("organization", ""),
        publisher=fields.get("publisher", ""),
        howpublished=fields.get("howpublished", ""),
        institution=fields.get("institution", ""),
        address=fields.get("address", "") or fields.get("location", ""),
        series=fields.get("series", ""),
        number=fields.get("number", ""),
        pages=fields.get("pages", ""),
        date=fields.get("date", "") or _date_from_parts(fields),
        urldate=fields.get("urldate", ""),
        url=entry.fields.get("url", "").strip(),
        langid=fields.get("langid", "") or fields.get("language", ""),
        note=fields.get("note", ""),
        file=file,
        line=line,
    )
