"""URLs as people paste them into notes: cut trailing punctuation, drop tracking parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..text import TRACKING_PARAMS, normalise_url

# A URL runs until whitespace or a character that never ends up inside one as pasted text.
_URL = re.compile(r"""(?:https?://|(?<![\w@./])www\.)[^\s<>"“”„«»‹›\[\]{}|\\^`⁰¹²³⁴⁵⁶⁷⁸⁹\ue000-\ue0ff]+""", re.I)
_MARKER_END = re.compile(r"[.,;:]?\(\d{1,3}\)$")
_TRAILING = ".,;:!?'’‘*"
_PAIRS = {")": "(", "]": "["}

ARCHIVE_HOSTS = ("web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is", "archive.li",
                 "webcitation.org", "ghostarchive.org")


@dataclass(frozen=True)
class FoundURL:
    start: int  # span of the URL as written (without cut punctuation)
    end: int
    written: str  # as written in the text
    url: str  # cleaned: scheme added if missing, tracking parameters removed
    dropped: tuple[str, ...] = ()  # tracking parameter names removed
    scheme_added: bool = False

    @property
    def is_archive(self) -> bool:
        return is_archive_url(self.url)


def trim_url(candidate: str) -> str:
    """Cut what follows a URL but is not part of it: final punctuation, an unbalanced ')'."""
    while candidate:
        marker = _MARKER_END.search(candidate)
        if marker and marker.start() > 8:
            candidate = candidate[:marker.start()]  # 'https://a.example/x.(1)': a note marker after the URL
            continue
        last = candidate[-1]
        if last in _TRAILING:
            candidate = candidate[:-1]
        elif last in _PAIRS and candidate.count(last) > candidate.count(_PAIRS[last]):
            candidate = candidate[:-1]
        else:
            break
    return candidate


def strip_tracking_raw(url: str) -> tuple[str, list[str]]:
    """Remove tracking parameters, keeping every other part byte for byte.

    (commentary.text.strip_tracking re-encodes the kept parameters; an imported URL
    must stay exactly as written apart from what is deliberately dropped.)
    """
    match = re.match(r"^([^?#]*)(?:\?([^#]*))?(#.*)?$", url, re.S)
    if not match or match.group(2) is None:
        return url, []
    base, query, fragment = match.group(1), match.group(2), match.group(3) or ""
    kept, dropped = [], []
    for pair in query.split("&"):
        name = pair.split("=", 1)[0]
        (dropped if name and TRACKING_PARAMS.match(name) else kept).append(pair)
    if not dropped:
        return url, []
    kept = [p for p in kept if p]
    return base + ("?" + "&".join(kept) if kept else "") + fragment, [p.split("=", 1)[0] for p in dropped]


def clean_url(written: str) -> tuple[str, list[str], bool]:
    url = written
    added = False
    if not re.match(r"https?://", url, re.I):
        url = "https://" + url
        added = True
    url, dropped = strip_tracking_raw(url)
    return url, dropped, added


def find_urls(text: str) -> list[FoundURL]:
    found = []
    for match in _URL.finditer(text):
        written = trim_url(match.group(0))
        if written.lower().startswith("www.") and "." not in written[4:]:
            continue
        if len(written) <= len("https://"):
            continue
        url, dropped, added = clean_url(written)
        if not urlsplit(url).netloc:
            continue
        found.append(FoundURL(match.start(), match.start() + len(written), written, url, tuple(dropped), added))
    return found


def is_archive_url(url: str) -> bool:
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in ARCHIVE_HOSTS)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.").split(":")[0]


def on_domains(url: str, domains) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def same_url(a: str, b: str) -> bool:
    return normalise_url(a) == normalise_url(b)
