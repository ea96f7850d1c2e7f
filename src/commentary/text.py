"""Small text helpers shared by every stage: German dates, slugs, safe inline output, URLs."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[int, int | None, int | None] | None:
    """'2025', '2025-08' or '2025-08-08' -> (year, month, day); None if not of that form."""
    match = _ISO_PARTIAL.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def german_date(value: str) -> str:
    """Write an ISO (partial) date the German way: '8. August 2025', 'August 2025', '2025'."""
    parts = parse_partial_date(value)
    if parts is None:
        return value.strip()
    year, month, day = parts
    if month is None:
        return str(year)
    if day is None:
        return f"{GERMAN_MONTHS[month - 1]} {year}"
    return f"{day}. {GERMAN_MONTHS[month - 1]} {year}"


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def ascii_fold(text: str) -> str:
    """German-aware transliteration to ASCII (ä -> ae), dropping other accents."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return text.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_words: int = 8) -> str:
    """A URL slug: lowercase ASCII words joined by hyphens ('Über Öl' -> 'ueber-oel')."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(text).lower())
    return "-".join(words[:max_words])


def sort_key(text: str) -> str:
    """Collation good enough for German lists: case- and accent-insensitive, ä as ae.

    Letters of other scripts are kept (they sort after Latin ones).
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Characters that inline Markdown (emphasis, code, links, attr_list) or
# mkdocs-bibtex's @key scan would act on. Writing them as numeric entities keeps
# them literal in Markdown and in HTML alike.
_MARKDOWN_ACTIVE = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|~^@"}
_INLINE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", **_MARKDOWN_ACTIVE})


def escape_inline(text: str) -> str:
    """Escape text for inline Markdown that is also valid HTML: nothing in it is markup."""
    return text.translate(_INLINE_ESCAPES)


def escape_attribute(value: str) -> str:
    """Escape an HTML attribute value; '@' too, so no @key scan ever matches inside it."""
    return html.escape(value, quote=True).replace("@", "&#64;")


WEB_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def readable_url(url: str, max_length: int = 60) -> str:
    """What a reader sees of a URL: no scheme, no 'www.'; a long one keeps host and last segment.

    'ostwest-forum.example/…/sanktionen-und-ihre-nebenwirkungen' tells more than a
    cut-off start, and does not end in an ellipsis that collides with a full stop.
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") if not parts.query else parts.path
    query = f"?{parts.query}" if parts.query else ""
    shown = host + path + query
    if len(shown) <= max_length:
        return shown
    segments = [s for s in parts.path.split("/") if s]
    last = (segments[-1] if segments else "") + query
    if 1 < len(segments) and len(host) + len(last) + 3 <= max_length + 20:
        return f"{host}/…/{last}"
    cut = shown[:max_length]
    slash = cut.rfind("/")
    return (cut[: slash + 1] if slash > len(host) else cut) + "…"


TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|mc_.*|_hsenc|_hsmi|igshid)$", re.I)


def strip_tracking(url: str) -> tuple[str, list[str]]:
    """Remove tracking parameters; returns the clean URL and the names removed."""
    parts = urlsplit(url)
    if not parts.query:
        return url, []
    kept, dropped = [], []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        (dropped if TRACKING_PARAMS.match(name) else kept).append((name, value))
    if not dropped:
        return url, []
    return urlunsplit(parts._replace(query=urlencode(kept))), [name for name, _ in dropped]


def normalise_url(url: str) -> str:
    """A comparison key for URLs: scheme-, 'www.'-, case- (host), slash- and tracking-insensitive."""
    clean, _ = strip_tracking(url.strip())
    parts = urlsplit(clean)
    host = parts.netloc.lower().removeprefix("www.")
    if host.endswith(":80") or host.endswith(":443"):
        host = host.rsplit(":", 1)[0]
    path = parts.path.rstrip("/") or ""
    if path.endswith(("/index.html", "/index.htm")):
        path = path.rsplit("/", 1)[0]
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def url_host(url: str) -> str:
    return urlsplit(url.strip()).netloc.lower().removeprefix("www.")


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading ids for Python-Markdown's toc: German-aware ('Abhängigkeiten' -> 'abhaengigkeiten')."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(value).lower())
    return separator.join(words)
