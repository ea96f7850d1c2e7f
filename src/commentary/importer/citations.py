"""The sources inside one note: which part of the note is a source, and its fields.

A note keeps its own words; each recognised source is replaced by ``@key`` at its
place and becomes a BibTeX entry. Every URL anchors a candidate source; the words
before it (back to a lead such as "Siehe" / "Vgl." or the previous source) describe
it: author, „title“, medium, date; an access date may follow the URL.

Be robust rather than clever: a source is only made where the text gives it a title
(the house style cites by title). Anything that is not clearly a field stays in the
note's text — or, inside a recognised source, in the entry's ``note`` — so no word
is ever lost. Connectives such as "online unter" give way to the house style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_dates, parse_date
from .language import detect_language
from .urls import FoundURL, find_urls, host_of, is_archive_url

# ---------------------------------------------------------------- words and patterns

QUOTE_PAIRS = {
    "„": "“”\"„", "“": "”“\"", "”": "”", '"': "\"”“", "«": "»", "»": "«", "‚": "‘’", "‹": "›", "›": "‹",
}
_OPEN_BEFORE = set(" \t\n([{:/—–-")
_CLOSE_AFTER = set(" \t\n,.;:!?)]}/—–-") | set("“”\"»«‘’›‹„")

_LEAD_MORE = (r"(?:\s+(?:auch|dazu|hierzu|ferner|etwa|also|further|u\.\s?a\.|unter anderem|z\.\s?B\.|e\.\s?g\.|"
              r"beispielsweise|zum beispiel|ausführlich|ausführlicher|näher|insbesondere|grundlegend|exemplarisch|"
              r"for example|especially|in particular|bei|in))*")
LEAD = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[]))(?:"
    r"siehe|vgl\.|vergleiche|see|cf\.|compare"
    r"|quellen?|sources?|zitiert (?:nach|in|bei)|zit\.\s+(?:nach|in|bei)|(?:as\s+)?(?:quoted|cited) (?:in|from|by)|ebd\.|ebenda|ibid\.?|ebendort|dazu|mehr dazu|more"
    r"|weitere informationen|details|nachzulesen|so(?:\s+etwa)?|etwa|z\.\s?B\.|e\.\s?g\.|u\.\s?a\."
    r"|ferner|außerdem|zudem|weiterhin|ebenso|further|furthermore|additionally|likewise|similarly"
    r")" + _LEAD_MORE + r"(?:\s*:)?(?=\s|$)", re.I)
# "ebd." alone: the same medium as the source before
IBID = re.compile(r"(?:ebd\.|ebenda|ibid\.?|ebendort)\s*:?\s*$", re.I)

_CONNECTIVE_END = [
    r"online\s+(?:unter|auf|bei|at|via)", r"abrufbar\s+(?:unter|auf|bei)", r"verfügbar\s+(?:unter|auf|bei)",
    r"(?:(?:im|in the|on the)\s+)?(?:internet|web|netz)(?:\s+(?:unter|auf|at))?", r"available(?:\s+online)?(?:\s+(?:at|from|under|on))?",
    r"einsehbar(?:\s+unter)?", r"nachzulesen(?:\s+unter)?", r"zu\s+finden(?:\s+unter)?", r"erreichbar(?:\s+unter)?",
    r"abgerufen\s+(?:unter|von|auf|bei)", r"aufgerufen\s+(?:unter|von)", r"retrieved\s+from", r"accessed\s+(?:at|via)",
    r"online(?:-version|version|ausgabe)?", r"abrufbar", r"verfügbar", r"link", r"url", r"web", r"webseite", r"website",
    r"hier", r"here", r"unter", r"at", r"via", r"auf", r"from",
]
CONNECTIVE_END = re.compile(r"(?:[\s,;:–—-]*\b(?:" + "|".join(_CONNECTIVE_END) + r")\b\s*:?)+[\s,;:–—-]*$", re.I)
# Words that may give way to the house style (the fidelity check allows them to go).
CONNECTIVE_WORDS = {
    "online", "unter", "abrufbar", "verfügbar", "im", "internet", "web", "netz", "available", "at", "from", "under",
    "on", "einsehbar", "nachzulesen", "zu", "finden", "erreichbar", "abgerufen", "aufgerufen", "retrieved",
    "accessed", "via", "link", "url", "webseite", "website", "hier", "here", "auf", "the", "in", "bei", "am",
    "zuletzt", "stand", "zugriff", "zugegriffen", "abruf", "eingesehen", "last", "visited", "consulted", "vom",
    "von", "published", "veröffentlicht", "publiziert", "erschienen", "onlineversion", "version", "ausgabe", "of",
    "letzter", "datum", "abrufdatum", "date", "aufruf", "gesehen", "seen",
}
_ACCESS = r"(?:(?:zuletzt|letzter|last)\s+)?(?:abgerufen|aufgerufen|abruf(?:datum)?|aufruf|zugriff|zugegriffen|eingesehen|gesehen|stand|accessed|retrieved|visited|consulted|seen)(?:\s+(?:am|on|:))?\s*:?\s*"
_DATE_ANY = r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+[^\W\d]+\.?\s+\d{4}|[^\W\d]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|[^\W\d]+\s+\d{4})"
ACCESS_TAIL = [
    re.compile(r"^(?P<lead>[\s,;.]*)[\[(]\s*(?:" + _ACCESS + r")?(?P<date>" + _DATE_ANY + r")\s*[\])]", re.I),
    re.compile(r"^(?P<lead>[\s,;.]*)" + _ACCESS + r"(?P<date>" + _DATE_ANY + r")", re.I),
]
ACCESS_BEFORE = re.compile(r"[\[(]?\s*(?:" + _ACCESS.replace("(?:\\s+(?:am|on|:))?", "(?:\\s+(?:am|on|:))?") + r")(?P<date>" + _DATE_ANY + r")\s*[\])]?", re.I)

ORG_WORDS = re.compile(
    r"(?i)(?:amt|ämter|bundes|ministeri|institut|stiftung|bank|agentur|verband|verein|zentrum|zentrale|kommission|"
    r"rat\b|regierung|universität|hochschule|akademie|university|college|institute|foundation|office|department|"
    r"agency|council|center|centre|commission|bureau|organi[sz]ation|association|society|group|gruppe|e\.\s?v\.|"
    r"gmbh|\bag\b|inc\b|ltd|llc|corp|news|press|presse|times|post\b|service|dienst|committee|ausschuss|parliament|"
    r"parlament|bundestag|senat|statisti|nations|union|fund|fonds|forum|network|netzwerk|partei|party|ministry|"
    r"government|kanzleramt|redaktion|zeitung|magazin|journal|review|tagesschau|rundfunk|radio|tv\b|fernsehen|"
    r"sender|verlag|bundesrat|kanton|gemeinde|stadt\b|landes|international|watch|initiative|kampagne|campaign|"
    r"alliance|allianz|koalition|coalition|federation|föderation|league|liga|movement|bewegung|front\b|behörde|"
    r"authority|board|court|gericht|polizei|police|army|armee|nato|büro|kreml|kremlin|white house|weißes haus|"
    r"pentagon|state department|embassy|botschaft|museum|library|bibliothek|archiv|archive|project|projekt|"
    r"lab\b|labor|company|konzern|unternehmen|holding|trust|fed\b|reserve|monitor|observatory|tribunal|"
    r"assembly|versammlung|staatsduma|duma|kongress|congress|house of|cabinet|kabinett|secretariat|sekretariat)")
PARTICLES = {"von", "van", "de", "der", "den", "du", "di", "da", "dos", "das", "zu", "zum", "zur", "la", "le", "al",
             "el", "bin", "ibn", "ter", "ten", "vom", "del", "della", "af", "y"}
NEWSPAPER = re.compile(
    r"(?i)(zeitung|zeit\b|spiegel|stern\b|focus|welt\b|tagesspiegel|süddeutsche|\bfaz\b|\bnzz\b|\btaz\b|handelsblatt|"
    r"standard|\bpresse\b|\bdie presse|kurier|blick|anzeiger|rundschau|tagblatt|nachrichten|\bpost\b|times|guardian|journal|"
    r"magazine|magazin|review|tribune|herald|telegraph|independent|observer|economist|newsweek|atlantic|monde|"
    r"figaro|país|corriere|repubblica|weltwoche|freitag|cicero|\bbild\b|express|morgenpost|abendblatt|merkur|gazette|"
    r"gazeta|izvestia|известия|kommersant|коммерсант|pravda|правда|daily|weekly|wochenblatt|affairs|policy|"
    r"quarterly|jahrbuch|zeitschrift|bulletin|courier|chronicle|dispatch|mirror|\bsun\b|volksstimme|"
    r"echo|kurier|bote|inquirer|gazzetta|krone|profil|falter|woche|ausgabe|heft|blätter|newsletter)")
PUBLISHER = re.compile(
    r"(?i)(verlag|press\b|publishing|publishers|books\b|edition|éditions|buchhandlung|suhrkamp|rowohlt|c\.\s?h\.\s?beck|"
    r"hanser|kiepenheuer|ullstein|piper|penguin|random house|routledge|springer|wiley|campus|westend|promedia|"
    r"vsa|dietz|fischer|diederichs|droemer|knaur|goldmann|heyne|kopp|unrast|papyrossa|das neue berlin|"
    r"eulenspiegel|zambon|mangroven|frankfurter allgemeine buch|isbn)")
SOCIAL_HOSTS = ("x.com", "twitter.com", "t.me", "telegram.me", "facebook.com", "instagram.com", "youtube.com",
                "youtu.be", "tiktok.com", "vk.com", "mastodon.social", "bsky.app", "threads.net", "linkedin.com",
                "truthsocial.com", "rumble.com")
SOCIAL_POST = re.compile(
    r"^(?P<kind>Post|Tweet|Beitrag|Video|Thread|Eintrag|Nachricht|Kommentar|Posting|Reel|Story|Livestream|Interview)"
    r"\s+(?:von|of|by|des|der)\s+(?P<who>[^()@,]+?)\s*(?P<handle>\((?:@|&#64;)[\w.]+\))?"
    r"(?:\s+(?:auf|on|bei|in|im)\s+(?P<platform>X|Twitter|Telegram|Facebook|YouTube|Instagram|TikTok|VK|Bluesky|Mastodon|"
    r"Truth Social|LinkedIn|Rumble|Threads|X\.com|Telegram-Kanal))?(?P<rest>(?:,.*)?)$", re.I | re.S)
_PAGES = re.compile(r"^(?:S\.|Seite|Seiten|p\.|pp\.|page|pages)\s*\d", re.I)
_SERIES = re.compile(r"^(?P<series>.+?)\s+(?:Nr\.|No\.|Nummer|Number)\s*(?P<number>[\w./-]+)\s*$")


# ---------------------------------------------------------------- results


@dataclass
class Draft:
    """A source as the note states it, before it has a key."""

    type: str = "online"
    authors: list[str] = field(default_factory=list)  # BibTeX 'Last, First'
    organization: str = ""
    title: str = ""
    titleaddon: str = ""
    journaltitle: str = ""
    publisher: str = ""
    location: str = ""
    howpublished: str = ""
    series: str = ""
    number: str = ""
    date: str = ""
    urldate: str = ""
    url: str = ""
    langid: str = ""
    note: str = ""
    keywords: str = ""
    written: str = ""  # the note's text this source replaces
    key_name: str = ""  # last name / organisation for the key
    line: int = 0

    def fields(self) -> list[tuple[str, str]]:
        """BibTeX fields in the archive's usual order (empty ones left out)."""
        names = ("author", "organization", "title", "titleaddon", "journaltitle", "publisher", "location",
                 "howpublished", "series", "number", "date", "url", "urldate", "langid", "note", "keywords")
        values = {**{n: getattr(self, n, "") for n in names if n != "author"}, "author": " and ".join(self.authors)}
        return [(name, values[name]) for name in names if values[name]]


@dataclass
class Piece:
    kind: str  # "text" | "url" (kept as a link in the note) | "source"
    text: str = ""
    url: FoundURL | None = None
    draft: Draft | None = None
    after: str = ""  # punctuation the citation needs after it (a consumed full stop)


@dataclass
class ParsedNote:
    pieces: list[Piece]
    urls: list[FoundURL]

    @property
    def drafts(self) -> list[Draft]:
        return [p.draft for p in self.pieces if p.kind == "source"]


# ---------------------------------------------------------------- helpers


def find_quoted(text: str, start: int = 0) -> tuple[int, int] | None:
    """Span (including the quote marks) of the first quoted passage, with mistyped pairs allowed."""
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in QUOTE_PAIRS and (i == 0 or text[i - 1] in _OPEN_BEFORE) and i + 1 < n and not text[i + 1].isspace():
            closers = QUOTE_PAIRS[ch]
            depth = 0
            j = i + 1
            while j < n:
                c = text[j]
                is_opener = c == ch and text[j - 1] in _OPEN_BEFORE and j + 1 < n and not text[j + 1].isspace()
                is_closer = not is_opener and c in closers and not text[j - 1].isspace() and (
                    j + 1 == n or text[j + 1] in _CLOSE_AFTER)
                if is_opener:
                    depth += 1
                elif is_closer:
                    if depth == 0:
                        if j - i >= 2:
                            return i, j + 1
                        break
                    depth -= 1
                j += 1
        i += 1
    return None


def split_top(text: str, separators=(", ", "; ")) -> list[str]:
    """Split at separators that are not inside quotes, brackets or dates, nor after an abbreviation."""
    protected = [False] * (len(text) + 1)
    for found in find_dates(text):
        for k in range(found.start, found.end):
            protected[k] = True
    parts, depth, quote, buf = [], 0, None, ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch in QUOTE_PAIRS.get(quote, "") and (i + 1 == len(text) or text[i + 1] in _CLOSE_AFTER):
                quote = None
        elif ch in QUOTE_PAIRS and (i == 0 or text[i - 1] in _OPEN_BEFORE) and i + 1 < len(text) and not text[i + 1].isspace():
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        if not quote and depth == 0 and not protected[i]:
            sep = next((s for s in separators if text.startswith(s, i)), None)
            if sep and sep.strip() == "." and (_ABBREV_END.search(buf + ".") or re.search(r"\d$", buf)):
                sep = None
            if sep:
                parts.append(buf)
                buf = ""
                i += len(sep)
                continue
        buf += ch
        i += 1
    parts.append(buf)
    return [p for p in (x.strip() for x in parts) if p]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _capitalised(token: str) -> bool:
    token = token.strip("()„“\"'’.,")
    return bool(token) and (token[0].isupper() or token.lower() in PARTICLES)


def is_person(text: str) -> bool:
    tokens = text.split()
    if tokens and tokens[0].lower() in ("the", "der", "die", "das", "le", "la", "il", "el", "les", "los"):
        return False
    if not 2 <= len(tokens) <= 5:
        return False
    if ORG_WORDS.search(text) or re.search(r"\d", text):
        return False
    if not all(_capitalised(t) for t in tokens):
        return False
    if not tokens[-1][:1].isupper():
        return False
    return all(re.fullmatch(r"[^\W\d_][\w'’.-]*", t) for t in tokens)


_NOT_A_NAME_START = {"der", "die", "das", "ein", "eine", "einer", "dies", "diese", "dieser", "dieses", "the", "a", "an",
                     "this", "that", "these", "es", "er", "sie", "wir", "ich", "man", "it", "he", "she", "we", "they",
                     "auch", "so", "wie", "als", "wenn", "dass", "daß", "nach", "laut", "bei", "im", "in", "am", "zum",
                     "zur", "mit", "von", "für", "über", "unter", "auf", "aus", "hier", "dort", "dazu", "damit", "nur"}


def is_organisation(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 10 or len(text) > 100:
        return False
    if re.search(r"[„“\"«»]", text):
        return False
    if re.fullmatch(r"[A-ZÄÖÜ0-9&.\-]{2,12}", text.replace(" ", "")):
        return True  # an acronym
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return False
    small = {"für", "der", "die", "das", "des", "den", "dem", "of", "the", "and", "und", "for", "on", "in", "de", "du",
             "la", "le", "et", "&", "zur", "zum", "im", "am", "an", "von", "for", "on", "at", "e.", "v.", "e.v."}
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small or w.startswith("(") for w in words):
        return False
    if ORG_WORDS.search(text) or NEWSPAPER.search(text) or re.search(r"\.[a-z]{2,3}\b", text):
        return True
    if words[0].lower() in _NOT_A_NAME_START:
        return False
    return len(words) <= 6


def bibtex_name(name: str) -> str:
    """'Gretchen Small' -> 'Small, Gretchen'; 'Ursula von der Leyen' -> 'von der Leyen, Ursula'."""
    name = " ".join(name.split())
    if "," in name:
        return name
    tokens = name.split()
    if len(tokens) == 1:
        return name
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1].lower() in PARTICLES:
        last_start -= 1
    return " ".join(tokens[last_start:]) + ", " + " ".join(tokens[:last_start])


@dataclass
class Creator:
    persons: list[str] = field(default_factory=list)
    organization: str = ""
    note: str = ""  # "u. a.", "(Hrsg.)" …


def parse_creator(text: str) -> Creator | None:
    """Persons or an organisation named before a title; None if it does not look like either."""
    text = " ".join(text.split()).strip(" ,:;–—-")
    if not text or len(text) > 120 or re.search(r"https?://|[„“\"«»]", text):
        return None
    if not re.search(r"\b[A-ZÄÖÜ]\.$", text):
        text = text.rstrip(".").strip()
    creator = Creator()
    extra = re.search(r"\s*(?:\((?:Hrsg\.|Hg\.|eds?\.|Red\.)\)|,?\s+(?:u\.\s?a\.|et al\.?|and others|und andere))\s*$", text, re.I)
    if extra:
        creator.note = extra.group(0).strip(" ,")
        text = text[:extra.start()].strip(" ,")
    handle = re.search(r"\s*\((?:@|&#64;)\w+\)\s*$", text)
    if handle:
        creator.note = (handle.group(0).strip() + " " + creator.note).strip()
        text = text[:handle.start()].strip()
    if not text:
        return None
    if is_organisation(text) and (ORG_WORDS.search(text) or len(text.split()) == 1 or re.fullmatch(r"[A-ZÄÖÜ0-9&.\- ]{2,14}", text)):
        creator.organization = text
        return creator
    names = [n.strip() for n in re.split(r"\s+(?:und|and|&)\s+|\s*;\s*|\s+/\s+", text) if n.strip()]
    expanded: list[str] = []
    for name in names:
        comma = [p.strip() for p in name.split(",") if p.strip()]
        if len(comma) == 2 and len(comma[0].split()) <= 3 and len(comma[1].split()) <= 3 and len(comma[0].split()) == 1:
            if all(_capitalised(t) for t in name.replace(",", " ").split()):
                expanded.append(f"{comma[0]}, {comma[1]}")  # already 'Last, First'
                continue
        expanded.extend(comma)
    if expanded and all(is_person(n.replace(",", " ")) if "," in n else is_person(n) for n in expanded):
        creator.persons = [bibtex_name(n) for n in expanded]
        return creator
    if is_organisation(text):
        creator.organization = text
        return creator
    return None


def _medium_matches_host(medium: str, url: str) -> bool:
    if not url or not medium:
        return False
    host = host_of(url).replace("-", "")
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", medium)]
    if not words:
        return False
    initials = "".join(w[0] for w in words if len(w) > 2 or len(words) <= 3)
    from ..text import ascii_fold
    folded = [ascii_fold(w) for w in words]
    return any(len(w) >= 3 and w in host for w in folded) or (len(initials) >= 2 and initials in host.split(".")[0])


def _looks_like_medium(part: str) -> bool:
    words = part.split()
    if not words or len(words) > 8 or len(part) > 80:
        return False
    if re.search(r"[„“\"«»]", part):
        return False
    first = part.lstrip("(")[:1]
    return first.isupper() or first.isdigit() or bool(re.match(r"[a-z0-9-]+\.[a-z]{2,}", part))


def _strip_date_noise(part: str) -> str:
    return re.sub(r"^(?:vom|from|am|on|published|veröffentlicht(?:\s+am)?|publiziert(?:\s+am)?|erschienen(?:\s+am)?|"
                  r"posted(?:\s+on)?|updated|aktualisiert(?:\s+am)?|datum:?|date:?)\s+", "", part.strip(), flags=re.I)


# ---------------------------------------------------------------- one source's words -> fields


def parse_description(text: str, url: str = "") -> tuple[Draft | None, int]:
    """Fields of one source from its description (the words before its URL, connectives removed).

    Returns the draft (None if the words name no title) and how many characters at the
    start of ``text`` are not part of the source (they stay in the note's text).
    """
    draft = Draft(url=url)
    s = text.rstrip()
    if not s.strip():
        return None, len(text)
    # an access date stated before the URL: "(Stand: 12.03.2025)", "abgerufen am …"
    for match in list(ACCESS_BEFORE.finditer(s))[::-1]:
        iso = parse_date(match.group("date"))
        if iso and not draft.urldate and re.search(r"[\[(]|abgerufen|aufgerufen|zugriff|stand|accessed|retrieved", match.group(0), re.I):
            if match.end() >= len(s.rstrip(" ,.;")) - 1:
                draft.urldate = iso
                s = s[:match.start()].rstrip(" ,;")
    offset = 0
    post_match = SOCIAL_POST.match(s)
    if post_match and not find_quoted(s):
        who = parse_creator(post_match.group("who"))
        if who:
            draft.title = post_match.group("kind")
            draft.authors, draft.organization = who.persons, who.organization
            notes = [x for x in (post_match.group("handle"), who.note) if x]
            platform = post_match.group("platform") or ""
            draft.howpublished = platform
            leftovers = _parse_post(post_match.group("rest") or "", draft, url)
            draft.note = ", ".join(notes + leftovers)
            _classify(draft, url)
            draft.type = "misc"
            return draft, 0
    quoted = find_quoted(s)
    creator: Creator | None = None
    post = ""
    if quoted:
        qs, qe = quoted
        pre = s[:qs].strip()
        draft.title = s[qs + 1:qe - 1].strip()
        post = s[qe:]
        if pre:
            year = re.search(r"\s*(?:\((\d{4})[a-z]?\)|[.,]\s*(\d{4})[a-z]?\.?)\s*[:,]?\s*$", pre)
            who = pre[:year.start()] if year else pre
            dated = find_dates(who)
            if dated and not year and dated[-1].end >= len(who.rstrip(" :,;–—-")) - 1:
                stripped = re.sub(r"\s+(?:vom|am|from|on|,)\s*$", "", who[:dated[-1].start].rstrip(" ,"))
                if parse_creator(stripped):
                    draft.date = dated[-1].iso
                    who = stripped
            creator = parse_creator(who.rstrip(" :,;–—-"))
            if creator is None:
                offset = qs  # words before the title stay in the note
            elif year:
                draft.date = year.group(1) or year.group(2)
    else:
        rest = s
        m = re.match(r"^(?P<who>[^:()]{2,100}?)\s*\((?P<year>\d{4})[a-z]?\)\s*[:.,]\s*(?P<rest>.+)$", s, re.S)
        if m and (c := parse_creator(m.group("who"))):
            creator, draft.date, rest = c, m.group("year"), m.group("rest")
        else:
            colon = re.match(r"^(?P<who>[^:]{2,100}?):\s+(?P<rest>.+)$", s, re.S)
            by_colon = parse_creator(colon.group("who")) if colon else None
            comma = re.match(r"^(?P<who>[^,:]{3,60}),\s+(?P<rest>.+)$", s, re.S)
            by_comma = comma is not None and is_person(comma.group("who")) and bool(
                PUBLISHER.search(comma.group("rest")) or find_dates(comma.group("rest")))
            # "Max Muster, Ein Buch, München: Verlag 2014": the colon is the place's, not the author's
            if by_colon and not (by_comma and by_colon.organization and "," in colon.group("who")):
                creator, rest = by_colon, colon.group("rest")
            elif by_comma:
                creator, rest = parse_creator(comma.group("who")), comma.group("rest")
        title, post = _split_title(rest, url, have_creator=creator is not None)
        if not title:
            return None, len(text)
        draft.title = title
    if not draft.title.strip(" .,;:"):
        return None, len(text)
    draft.title = draft.title.strip().rstrip(",;:").strip()
    if not quoted:
        draft.title = _TRAILING_NOISE.sub("", draft.title).strip(" ,;:")
    if draft.title.endswith(".") and not draft.title.endswith(("..", "Dr.", "Nr.", "St.")):
        draft.title = draft.title[:-1].rstrip()
    if creator and creator.organization and NEWSPAPER.search(creator.organization) and not PUBLISHER.search(creator.organization):
        draft.journaltitle, creator.organization = creator.organization, ""
    if creator:
        draft.authors = creator.persons
        draft.organization = creator.organization
        if creator.note:
            draft.note = creator.note
    _translation(draft)
    leftovers = _parse_post(post, draft, url)
    if leftovers:
        draft.note = ", ".join(x for x in [draft.note, *leftovers] if x)
    _classify(draft, url)
    return draft, offset


def _split_title(rest: str, url: str, have_creator: bool) -> tuple[str, str]:
    """Where an unquoted title ends: at 'bei …' / 'in: …', at the date, or before a medium part."""
    rest = rest.strip()
    marker = re.search(r"(?:,\s*|\.\s+|\s+)(?:erschienen\s+|published\s+|veröffentlicht\s+)?(?:in|bei|auf)\s*:\s*", rest, re.I)
    if not marker:
        markers = list(re.finditer(r",\s*(?:erschienen\s+|published\s+|veröffentlicht\s+)?(?:in|bei|auf|on)\s+(?=[A-ZÄÖÜ0-9„“\"])", rest))
        marker = markers[-1] if markers else None
    if marker:
        return rest[:marker.start()], rest[marker.start():]
    # "Titel. Untertitel. Ort: Verlag 2020" / "Titel. Reihe Nr. 5": the title ends at the sentence
    # after which only fields follow
    for boundary in sentence_bounds(rest):
        after = rest[boundary:]
        first = split_top(after, (", ", "; ", ". "))[:1]
        head = first[0] if first else ""
        if (PUBLISHER.search(head) and not url) or _SERIES.match(head) or parse_date(_strip_date_noise(head)) \
                or re.match(r"(?:in|In|bei|Bei)\s*:", after) or (NEWSPAPER.search(head) and _looks_like_medium(head)) \
                or (_looks_like_medium(head) and _medium_matches_host(head, url)):
            return rest[:boundary].rstrip(" ."), after
    parts = split_top(rest, (", ", "; "))
    if not parts:
        return "", ""
    tail: list[str] = []
    while len(parts) > 1 and (parse_date(_strip_date_noise(parts[-1])) or _PAGES.match(parts[-1])):
        tail.insert(0, parts.pop())
    if len(parts) > 1 and _looks_like_medium(parts[-1]) and (tail or have_creator or _medium_matches_host(parts[-1], url)):
        tail.insert(0, parts.pop())
    title = ", ".join(parts)
    # "Titel. in: Zeitung 21.06.2025" style without comma: a trailing date
    if not tail:
        dates = find_dates(title)
        if dates and dates[-1].end >= len(title.rstrip(" .")) and dates[-1].start > 0:
            tail.insert(0, title[dates[-1].start:])
            title = title[:dates[-1].start].rstrip(" ,.;")
    if not have_creator and not tail:
        return "", ""  # nothing says this is a source: the words stay in the note
    if len(_words(title)) > 40:
        return "", ""
    return title, ", ".join(tail)


def _translation(draft: Draft) -> None:
    """A foreign title followed by its German translation in brackets -> titleaddon."""
    match = re.match(r"^(?P<title>.*\S)\s*\((?P<addon>[^()]+)\)$", draft.title)
    if match and detect_language(match.group("title")) not in ("", "german") and (
            detect_language(match.group("addon")) in ("german", "") and not _same_script(match.group("title"), match.group("addon"))):
        draft.title, draft.titleaddon = match.group("title").strip(), match.group("addon").strip()


def _same_script(a: str, b: str) -> bool:
    def cyr(t):
        letters = [c for c in t if c.isalpha()]
        return bool(letters) and sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters) > 0.5
    return cyr(a) == cyr(b)


def _parse_post(post: str, draft: Draft, url: str) -> list[str]:
    """What follows the title: translation, medium, date, pages … ; returns the words that fit no field."""
    post = post.strip()
    leftovers: list[str] = []
    if post.startswith("("):
        depth, end = 0, None
        for i, ch in enumerate(post):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                end = i
                break
        if end:
            inner = post[1:end].strip()
            if not draft.titleaddon and (not _same_script(draft.title, inner) or detect_language(draft.title) not in ("", "german")) \
                    and not parse_date(inner):
                addon = inner
                quoted = find_quoted(addon)
                if quoted and quoted[0] == 0 and quoted[1] == len(addon):
                    addon = addon[1:-1]
                draft.titleaddon = addon.strip()
                post = post[end + 1:]
            elif parse_date(inner):
                draft.date = draft.date or parse_date(inner)
                post = post[end + 1:]
    post = post.strip(" ,;.:–—-")
    if not post:
        return leftovers
    parts = split_top(post, (", ", "; ", ". ", " – ", " — "))
    medium_set = False
    for index, part in enumerate(parts):
        clean = part.strip(" ,.;:")
        if not clean:
            continue
        marker = re.match(r"^(?:erschienen\s+|published\s+|veröffentlicht\s+)?(?:in|bei|auf|on)\s*:?\s+(?P<m>.+)$", clean, re.I)
        date_text = _strip_date_noise(clean)
        iso = parse_date(date_text)
        if iso and not draft.date:
            draft.date = iso
            continue
        if iso and re.match(r"(?:stand|abgerufen|aufgerufen|zugriff|accessed|retrieved)", clean, re.I) and not draft.urldate:
            draft.urldate = iso
            continue
        if marker and not medium_set:
            medium = marker.group("m").strip()
            # "Die Zeit 21.06.2025" / "Der Spiegel 12/2024"
            dates = find_dates(medium)
            if dates and dates[-1].end == len(medium) and dates[-1].start > 0 and not draft.date:
                draft.date = dates[-1].iso
                medium = medium[:dates[-1].start].rstrip(" ,.")
            _set_medium(draft, medium, explicit_in=clean.lower().startswith("in"))
            medium_set = True
            continue
        if not medium_set and index == 0 and _looks_like_medium(clean) and not _PAGES.match(clean) \
                and not (PUBLISHER.search(clean) and not url):
            series = _SERIES.match(clean)
            if series and (draft.organization or draft.authors):
                draft.series, draft.number = series.group("series"), series.group("number")
                continue
            dates = find_dates(clean)
            if dates and dates[-1].end == len(clean) and dates[-1].start > 0 and not draft.date:
                draft.date = dates[-1].iso
                clean = clean[:dates[-1].start].rstrip(" ,.")
            _set_medium(draft, clean, explicit_in=False)
            medium_set = True
            continue
        series = _SERIES.match(clean)
        if series and not draft.series and not _PAGES.match(clean):
            draft.series, draft.number = series.group("series"), series.group("number")
            continue
        if PUBLISHER.search(clean) and not draft.publisher and not url:
            place = re.match(r"^(?P<place>[A-ZÄÖÜ][\w/ -]+?):\s*(?P<pub>.+)$", clean)
            pub = place.group("pub") if place else clean
            year = re.search(r",?\s*(\d{4})$", pub)
            if year and not draft.date:
                draft.date = year.group(1)
                pub = pub[:year.start()]
            if place:
                draft.location = place.group("place")
            draft.publisher = pub.strip(" ,")
            continue
        if draft.publisher and not draft.location and re.fullmatch(r"[A-ZÄÖÜ][\w-]+(?:\s(?:am|an der|im|bei|[A-ZÄÖÜ][\w-]+)){0,3}", clean):
            draft.location = clean
            continue
        place_year = re.fullmatch(r"(?P<place>[A-ZÄÖÜ][\w -]+?)\s+(?P<year>\d{4})", clean)
        if place_year and draft.publisher and not draft.date:
            draft.location, draft.date = place_year.group("place"), place_year.group("year")
            continue
        leftovers.append(part.strip(" ,;"))
    return leftovers


_TRAILING_NOISE = re.compile(r"(?:\s+(?:vom|am|from|on|of|des|der|dated|vom|published|veröffentlicht|erschienen))+\s*$", re.I)


def _set_medium(draft: Draft, medium: str, explicit_in: bool) -> None:
    medium = _TRAILING_NOISE.sub("", medium.strip(" ,.;:")).strip(" ,.;:")
    if not medium:
        return
    if PUBLISHER.search(medium) and not draft.url:
        draft.publisher = medium
    elif explicit_in or NEWSPAPER.search(medium):
        draft.journaltitle = medium
    elif draft.organization and not draft.authors:
        draft.howpublished = medium
    else:
        draft.organization = medium


def _classify(draft: Draft, url: str) -> None:
    host = host_of(url) if url else ""
    if host and any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS):
        draft.type = "misc"
        if draft.organization and draft.authors == [] and draft.organization in ("X", "Twitter", "Telegram", "YouTube",
                                                                                   "Facebook", "Instagram", "TikTok"):
            draft.howpublished, draft.organization = draft.organization, ""
    elif draft.series or draft.number:
        draft.type = "report"
    elif draft.journaltitle:
        draft.type = "article"
    elif draft.publisher:
        draft.type = "book"
    elif url:
        draft.type = "online"
    else:
        draft.type = "misc"
    draft.langid = detect_language(draft.title)
    if draft.authors:
        draft.key_name = draft.authors[0].split(",")[0]
    elif draft.organization:
        draft.key_name = draft.organization
    else:
        draft.key_name = draft.journaltitle or draft.howpublished or draft.publisher


# ---------------------------------------------------------------- one note -> pieces


_JOINER = re.compile(r"^[\s,;.:)\]]*(?:(?:und|sowie|and|or|oder|bzw\.|as well as|also|auch|plus)\s+)?", re.I)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"“”»]?\s+(?=[A-ZÄÖÜ„“\"«»‚ЁА-Я])")
_ABBREV_END = re.compile(r"(?:\b(?:[A-ZÄÖÜa-zäöü]|Nr|No|S|Dr|Prof|St|bzw|vgl|Vgl|ca|etc|usw|Hrsg|Hg|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Oct|Nov|Dez|Dec|Mr|Mrs|Ms|Jr|Sr|Inc|Ltd|Co|Abs|Art|Bd|Vol|pp|ebd|Ebd|u\.a|z\.B|d\.h|u\.s\.w|a\.a\.O)\.)$")


def sentence_bounds(text: str) -> list[int]:
    """Positions where a new sentence starts (not after an abbreviation, an ordinal or inside a date)."""
    bounds = []
    dates = find_dates(text)
    for match in _SENTENCE.finditer(text):
        before = text[:match.start()].rstrip("\"“”»")
        if _ABBREV_END.search(before) or re.search(r"(?<!\d)\d{1,2}\.$", before):
            continue
        if any(d.start < match.start() < d.end for d in dates):
            continue
        bounds.append(match.end())
    return bounds


def _source_start(desc: str) -> int:
    """Index in desc where the source's own words begin (a lead word and commentary stay in the note)."""
    start = _JOINER.match(desc).end()
    leads = [m for m in LEAD.finditer(desc) if m.start() >= start]
    for last in reversed(leads):
        before = desc[:last.start()].rstrip()
        at_sentence = not before or before[-1] in ".!?;:(," or before == desc[:start].rstrip() or re.search(
            r"(?:^|[.;:!?(,]\s*)(?:und|sowie|and|or|oder)$", before) or LEAD.search(before + " ") and LEAD.search(before + " ").end() >= len(before)
        if at_sentence:
            start = last.end()
            start += len(desc[start:]) - len(desc[start:].lstrip(" :,"))
            break
    # a later sentence that begins like a source ("Bundesnetzagentur: …", "„Titel“ …") starts it
    for bound in sentence_bounds(desc):
        if bound <= start:
            continue
        if _starts_source(desc[bound:]) and not parse_creator(desc[start:bound].strip().rstrip(".")):
            start = bound
    return start


def _starts_source(tail: str) -> bool:
    """Does this sentence begin like a source: a quote, 'Name:', 'Institution (2021):', a lead word?"""
    if tail[:1] in QUOTE_PAIRS:
        return True
    if LEAD.match(tail):
        return True
    match = re.match(r"^([^:„“\"()]{2,100}?)(?:\s*\(\d{4}[a-z]?\))?:\s", tail)
    return bool(match and parse_creator(match.group(1)))


def parse_note(text: str, line: int = 0) -> ParsedNote:
    """Split one note into text, links and sources."""
    urls = find_urls(text)
    pieces: list[Piece] = []
    cursor = 0
    anchors = []
    for index, found in enumerate(urls):
        # an archived copy right after its original stays in the note as a link of its own
        if index and found.is_archive and not urls[index - 1].is_archive:
            between = text[urls[index - 1].end:found.start]
            if len(between) <= 80 and not _SENTENCE.search(between.strip()):
                anchors.append((found, True))
                continue
        anchors.append((found, False))
    for found, archive_copy in anchors:
        if found.start < cursor:
            continue
        wrap_start, wrap_end = found.start, found.end
        bracketed = False
        if wrap_start > 0 and wrap_end < len(text):
            opener, closer = text[wrap_start - 1], text[wrap_end]
            if (opener, closer) in (("[", "]"), ("<", ">"), ("(", ")")):
                wrap_start, wrap_end = wrap_start - 1, wrap_end + 1
                bracketed = opener == "["
        desc_region = text[cursor:wrap_start]
        if archive_copy:
            pieces.append(Piece("text", text[cursor:found.start]))
            pieces.append(Piece("url", url=found))
            cursor = found.end
            continue
        # the access date after the URL
        tail_end = wrap_end
        urldate = ""
        lead_punct = ""
        for pattern in ACCESS_TAIL:
            match = pattern.match(text[tail_end:])
            if match and parse_date(match.group("date")):
                urldate = parse_date(match.group("date"))
                lead_punct = match.group("lead")
                tail_end += match.end()
                break
        # "“Headline [URL]”, Publication." — the link target in brackets after its text
        post_text = ""
        if bracketed:
            after = text[tail_end:]
            stop = _SENTENCE.search(after)
            segment_end = stop.start() if stop else len(after)
            semi = after.find(";")
            if 0 <= semi < segment_end:
                segment_end = semi
            next_url = next((u.start for u in urls if u.start >= tail_end), None)
            if next_url is not None:
                segment_end = min(segment_end, next_url - tail_end)
            candidate = after[:segment_end]
            if len(candidate) <= 120:
                post_text = candidate.rstrip(" .")
        start_in_region = _source_start(desc_region)
        desc = desc_region[start_in_region:]
        desc_clean = CONNECTIVE_END.sub("", desc) if not bracketed else desc.rstrip()
        combined = desc_clean.rstrip() + post_text.lstrip() if post_text and post_text.lstrip()[:1] in "”“\"»«’'" else (
            desc_clean.rstrip() + (" " + post_text if post_text else ""))
        draft, offset = parse_description(combined, found.url)
        if draft is None:
            # no title: the words stay, the URL stays a link
            pieces.append(Piece("text", text[cursor:found.start]))
            pieces.append(Piece("url", url=found))
            cursor = found.end
            continue
        if urldate and not draft.urldate:
            draft.urldate = urldate
        elif urldate and draft.urldate != urldate:
            tail_end = wrap_end  # two access dates: keep the second one as text
        draft.line = line
        consumed_start = cursor + start_in_region + offset
        consumed_end = tail_end + (len(post_text) if post_text else 0)
        if post_text:
            # keep what follows the consumed post text (the sentence's end)
            consumed_end = tail_end + len(text[tail_end:tail_end + len(post_text)])
        draft.written = text[consumed_start:consumed_end]
        before = text[cursor:consumed_start]
        pieces.append(Piece("text", before))
        after_punct = "." if "." in lead_punct and not text[consumed_end:].strip() else ""
        pieces.append(Piece("source", draft=draft, url=found, after=after_punct))
        cursor = consumed_end
    pieces.append(Piece("text", text[cursor:]))
    # sources without a URL: a quoted title with author, medium or date; a book with its publisher
    result: list[Piece] = []
    for piece in pieces:
        if piece.kind == "text" and piece.text.strip():
            result.extend(_offline_sources(piece.text, line))
        else:
            result.append(piece)
    return ParsedNote([p for p in result if p.kind != "text" or p.text], urls)


def _offline_sources(text: str, line: int) -> list[Piece]:
    """Sources without a URL inside a stretch of note text (books, print articles)."""
    pieces: list[Piece] = []
    cursor = 0
    # candidate stretches: sentences / ';'-separated parts
    bounds = [0]
    for b in sentence_bounds(text):
        if not _starts_source(text[b:]):
            continue
        previous = text[bounds[-1]:b]
        lead = _source_start(previous) if previous.strip() else 0
        if parse_creator(previous[lead:].strip().rstrip(".")):
            continue  # 'Hans Müller. «Titel»': the name before belongs to this source
        bounds.append(b)
    for match in re.finditer(r";\s+", text):
        bounds.append(match.end())
    bounds = sorted(set(bounds)) + [len(text)]
    for a, b in zip(bounds, bounds[1:]):
        if a < cursor:
            continue
        stretch = text[a:b]
        body = stretch.rstrip()
        trailing = ""
        while body and body[-1] in ".;,":
            trailing = body[-1] + trailing
            body = body[:-1]
        if not body.strip():
            continue
        start = _source_start(body)
        desc = body[start:]
        has_quote = find_quoted(desc) is not None
        has_year = re.search(r"\b(1[5-9]|20)\d\d\b", desc) is not None
        bookish = (PUBLISHER.search(desc) is not None or re.search(r"(?:^|[\s.,])[Ii]n:\s", desc) is not None) and has_year
        if not (has_quote or bookish):
            continue
        if not re.search(r"^[^„“\"«»]{0,100}?:\s|[„“\"«»]", desc) and not (
                bookish and re.match(r"^[^,:]{3,60},\s", desc) and is_person(desc.split(",")[0])):
            continue
        draft, offset = parse_description(desc, "")
        if draft is None:
            continue
        structured = bool(draft.authors or draft.organization) and (draft.journaltitle or draft.publisher or draft.date or draft.organization)
        if not structured and not (has_quote and (draft.journaltitle or draft.date)):
            continue
        if draft.type == "misc" and draft.publisher:
            draft.type = "book"
        if draft.publisher and not draft.journaltitle:
            draft.type = "book"
        draft.line = line
        consumed_start = a + start + offset
        consumed_end = a + len(body)
        draft.written = text[consumed_start:consumed_end]
        pieces.append(Piece("text", text[cursor:consumed_start]))
        pieces.append(Piece("source", draft=draft))
        cursor = consumed_end
    pieces.append(Piece("text", text[cursor:]))
    return pieces


def is_ibid(text_before: str) -> bool:
    return bool(IBID.search(text_before.strip()))


def social_host(url: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS)


__all__ = ["Draft", "Piece", "ParsedNote", "parse_note", "parse_description", "find_quoted", "CONNECTIVE_WORDS",
           "is_archive_url", "parse_creator", "bibtex_name", "split_top"]
