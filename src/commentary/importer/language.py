"""Which language a title is in (for langid), from its script and its small words."""

from __future__ import annotations

import re

_STOPWORDS = {
    "german": set("der die das und ist nicht ein eine einen dem den des mit von zu im in für auf wie warum was wer "
                  "über bei aus nach vor sich auch noch nur wird werden hat haben sind war als am um zum zur doch "
                  "wenn aber oder so kein keine man gegen unter zwischen ohne dass daß es sie er wir ihr uns mehr "
                  "schon jetzt neue neuen neues teil".split()),
    "english": set("the and is are of to in for on with by from at as an a be this that it its how why what who "
                   "was were has have will not no new after over into about against between why says said than "
                   "more most their our your his her they we you can could would should part".split()),
    "french": set("le la les et est des du un une pour dans sur avec par au aux qui que ne pas plus ce cette "
                  "son sa ses leur leurs entre contre après".split()),
    "spanish": set("el la los las y es de del un una para en con por que no más su sus entre contra sobre "
                   "como pero".split()),
    "italian": set("il lo la gli le e è di del della un una per in con su che non più tra contro come "
                   "anche".split()),
}
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")


def detect_language(text: str) -> str:
    """biblatex langid ('german', 'english', 'russian', …) or '' when unsure."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if cyrillic / len(letters) > 0.5:
        if _UKRAINIAN.search(text):
            return "ukrainian"
        return "russian"
    if sum(1 for c in letters if "\u0370" <= c <= "\u03ff") / len(letters) > 0.5:
        return "greek"
    if sum(1 for c in letters if "\u0600" <= c <= "\u06ff") / len(letters) > 0.5:
        return "arabic"
    if sum(1 for c in letters if "\u4e00" <= c <= "\u9fff") / len(letters) > 0.3:
        return "chinese"
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    if re.search(r"[äöüß]", text.lower()):
        scores["german"] += 2
    if re.search(r"\w'(s|t|re|ll|ve)\b|\w’(s|t|re|ll|ve)\b", text.lower()):
        scores["english"] += 2
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return ""
    return best


_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "ie", "g"]))


def transliterate(text: str) -> str:
    """Cyrillic -> Latin letters (for keys only)."""
    return "".join(_CYRILLIC.get(c.lower(), c) for c in text)
