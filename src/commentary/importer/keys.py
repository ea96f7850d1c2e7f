"""BibTeX keys: '<lastname-or-org><year><first significant title word>', unique and prefix-free.

mkdocs-bibtex replaces '@key' by plain string replacement, so no key may be a prefix
of another — in the whole bib/, not just this article. A clash is resolved by a
further title word, else by a letter after the year ('small2025bputin'), which never
extends an existing key.
"""

from __future__ import annotations

import re
from itertools import product
from string import ascii_lowercase

from ..bib import KEY_FORM
from ..text import ascii_fold
from .language import transliterate

STOPWORDS = set(
    "der die das den dem des ein eine einen einem einer eines und oder aber wie warum was wer wo wann wenn ob dass "
    "daß zu zum zur im in am an auf aus bei mit nach von vom vor für über unter um gegen ohne durch als auch nicht "
    "noch nur so es sie er wir ihr ist sind war wird werden hat haben sich the a an and or of to in on for with by "
    "from at as is are was were be how why what who when where not no its it this that these those into about after "
    "le la les des du de un une et el los las y il lo i e di del della per".split())


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(transliterate(text)).lower())


def name_part(name: str) -> str:
    """'Small' -> 'small'; 'Neue Zürcher Zeitung' -> 'nzz'; 'OECD' -> 'oecd'; 'Amt für Netze' -> 'amt'."""
    name = re.sub(r"\([^)]*\)", " ", name).strip()
    acronym = re.search(r"\b([A-ZÄÖÜ]{2,8})\b", name)
    words = [w for w in re.findall(r"[^\W\d_]+", name)]
    significant = [w for w in words if w.lower() not in STOPWORDS]
    if not significant:
        return ""
    if acronym and len(words) == 1:
        return _fold(acronym.group(1))
    if len(significant) >= 3:
        return _fold("".join(w[0] for w in significant))
    if "," in name:  # 'Last, First'
        return _fold(name.split(",")[0].split()[-1])[:20]
    return _fold(significant[0])[:24]  # whole compounds: a cut word looks like a typo


def title_words(title: str) -> list[str]:
    words = re.findall(r"[^\W_]+", title)
    folded = [_fold(w) for w in words if w.lower() not in STOPWORDS]
    return [w for w in folded if w and not w.isdigit()] or [w for w in (_fold(x) for x in words) if w]


class KeyMaker:
    """Hands out keys that are unique and prefix-free against every key already taken."""

    def __init__(self, taken) -> None:
        self.taken: set[str] = {k.lower() for k in taken}

    def free(self, key: str) -> bool:
        if not KEY_FORM.match(key) or key in self.taken:
            return False
        return not any(other.startswith(key) or key.startswith(other) for other in self.taken)

    def make(self, name: str, year: str, title: str, fallback: str = "quelle") -> str:
        base_name = name_part(name) if name else ""
        words = title_words(title)
        if not base_name:
            base_name = words.pop(0) if len(words) > 1 else fallback
        if not base_name[0].isalpha():
            base_name = "q" + base_name
        year = year[:4] if year and year[:4].isdigit() else ""
        first = words[0][:20] if words else ""
        candidates = [base_name + year + first]
        if len(words) > 1:
            candidates.append(base_name + year + first + words[1][:20])
        if len(words) > 2:
            candidates.append(base_name + year + first + words[1][:20] + words[2][:20])
        for letter in ascii_lowercase[1:]:
            candidates.append(base_name + year + letter + first)
        for a, b in product(ascii_lowercase, repeat=2):
            candidates.append(base_name + a + b + year + first)
        for candidate in candidates:
            if self.free(candidate):
                self.taken.add(candidate)
                return candidate
        counter = 1
        while not self.free(f"{base_name}x{counter}y{year}{first}"):
            counter += 1
        key = f"{base_name}x{counter}y{year}{first}"
        self.taken.add(key)
        return key
