"""A synthetic archive of N commentaries in the project's content model, with a fixed seed.

    python bench/generate.py --n 1000 --out DIR

writes DIR/docs/artikel/<slug>.md, DIR/docs/.authors.yml, DIR/docs/.series.yml,
DIR/bib/<slug>.bib and DIR/generated.json (counts, a search word, a probe article for
the live-preview benchmark). Then it checks the result with the project's own
library (commentary.article / .notes / .bib): any problem is an error.

What an article looks like (all numbers are the generator's targets, not exact):
~1,800 words of German-like running text (a Zipf-distributed vocabulary of a few
thousand pseudo-German words mixed with real German function words), an untitled
introduction and 5 ``##`` sections, 15 numbered notes at the end, each citing 1-3
sources as bare ``@key`` (some notes are commentary only), 3-5 tags out of ~300, one
category out of 6, and for ~60 % of the articles a series of 4-10 parts. Some sources
are shared (defined once, in the .bib of the first citing article, cited again by
later ones); some are cross-citations (an @online whose url is an earlier article's
original_url).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SEED = 20261125

# --- shape of the archive -----------------------------------------------------------
BODY_WORDS = 1800  # running text per article (headings and notes not counted)
SECTIONS = 5  # '##' subheadings after the untitled introduction
NOTES = 15
TAG_POOL = 300
TAGS_PER_ARTICLE = (3, 5)
CATEGORIES = ("Politik", "Wirtschaft", "Energie", "Gesellschaft", "Außenpolitik", "Kultur")
SERIES_SHARE = 0.6  # share of articles that belong to a series
SERIES_PARTS = (4, 10)
AUTHORS = 24
VOCABULARY = 4000  # pseudo-German content words
ZIPF_S = 1.0  # content words: Zipf-Mandelbrot 1 / (rank + q) ** s; the function words hold the top ranks
ZIPF_Q = 20
TOPIC_SHARE = 0.08  # content tokens drawn from the article's topic words (from its tags and series)
FUNCTION_WORD_SHARE = 0.45  # share of running-text tokens that are real German function words
COMMENTARY_ONLY_NOTES = 0.15  # notes without any source
SHARED_CITATION = 0.12  # a citation that reuses a source defined by an earlier article
CROSS_CITING_ARTICLES = 0.3  # articles that cite 1-2 earlier articles by their original_url
# per citation, so that about CROSS_CITING_ARTICLES of the articles cite at least one earlier article
CROSS_CITATION = 1 - (1 - CROSS_CITING_ARTICLES) ** (1 / (NOTES * 1.6 * (1 - COMMENTARY_ONLY_NOTES)))
FIRST_DATE = date(2014, 1, 6)
ARTICLES_PER_WEEK = 2.0

# Real German function words with rough relative frequencies (most frequent first).
FUNCTION_WORDS = (
    "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
    "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum "
    "war haben nur oder aber vor zur bis mehr durch man sein wurde sei hatte kann gegen vom "
    "können schon wenn habe seine ihre dann unter wir soll ich eines jahr zwei jahren diese "
    "dieser wieder keine seiner worden will zwischen immer was sagte gibt alle nun seit muss "
    "doch wo ihr ihrer denn weil sondern zwar selbst jedoch etwa beim damit also darauf dabei "
    "daher hier heute ohne bereits allerdings dort weder noch ob mehrere viele einige wäre "
    "würde könnte müsste sollte dürfte ebenso nämlich freilich zudem indes jedenfalls kaum"
).split()

ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st",
          "sp", "str", "kr", "gr", "br", "pf", "fl", "tr", "dr", "kl", "bl", "gl", "schw", "schl", "fr", "v")
NUCLEI = ("a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "eu", "ie", "a", "e", "e", "i", "o")
CODAS = ("", "", "n", "r", "l", "s", "t", "ch", "ng", "nd", "nt", "st", "rt", "lt", "ck", "tz", "ß",
         "m", "rn", "rk", "ft", "cht", "mp")
NOUN_SUFFIXES = ("ung", "heit", "keit", "schaft", "nis", "tum", "er", "e", "en", "el", "ismus", "ität", "")
ADJ_SUFFIXES = ("ig", "lich", "isch", "sam", "bar", "haft", "los")
ADJ_ENDINGS = ("", "e", "en", "er", "es")
VERB_ENDINGS = ("en", "t", "te", "ten", "et")

FIRST_NAMES = ("Anna", "Bernd", "Clara", "Dieter", "Elke", "Felix", "Greta", "Hans", "Ilse", "Jörg",
               "Katrin", "Lukas", "Marta", "Nils", "Olga", "Paul", "Renate", "Stefan", "Tanja", "Uwe",
               "Vera", "Wolfgang", "Yvonne", "Zoë", "Jürgen", "Sören", "Bärbel", "Gretchen", "John",
               "Maria", "Pierre", "Sergej", "Li", "Ahmet", "Ewa", "Tomás", "Ingrid", "Heinz")
SURNAMES = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
            "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
            "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Keller",
            "Jäger", "Groß", "Köhler", "Lehmann", "Weiß", "Vogel", "Friedrich", "Günther", "Böhm",
            "Small", "Johnson", "Dupont", "Iwanow", "Nowak", "Yılmaz", "García", "Rossi", "Chen",
            "Lindqvist", "Kowalski", "Petrenko", "Okafor", "Tanaka", "Haddad", "Brennan", "Moreau")
ORGANISATIONS = ("Bundesnetzagentur", "Statistisches Bundesamt", "Deutsche Bundesbank",
                 "Europäische Kommission", "Internationaler Währungsfonds", "Weltbank",
                 "Umweltbundesamt", "Bundesministerium der Finanzen", "Ifo-Institut",
                 "Deutsches Institut für Wirtschaftsforschung", "Eurostat", "OECD", "Vereinte Nationen",
                 "Internationale Energieagentur", "Bundesverfassungsgericht", "Europäische Zentralbank",
                 "Kieler Institut für Weltwirtschaft", "Bundesrechnungshof", "Agora Energiewende",
                 "Sachverständigenrat")
JOURNALS = ("Frankfurter Allgemeine Zeitung", "Süddeutsche Zeitung", "Die Zeit", "Handelsblatt",
            "Der Spiegel", "Neue Zürcher Zeitung", "Financial Times", "The Economist", "Le Monde",
            "Wirtschaftsdienst", "Blätter für deutsche und internationale Politik", "Foreign Affairs",
            "Kommersant", "Die Welt", "taz", "Der Standard", "Cicero", "Merkur")
PUBLISHERS = ("C.H. Beck", "Suhrkamp", "Campus", "Springer", "Oxford University Press", "Rowohlt",
              "Ullstein", "Nomos", "Hanser", "Verso", "Penguin", "Dietz")
HOSTS = ("tagesschau.example", "bundestag.example", "destatis.example", "bundesbank.example",
         "ec-europa.example", "imf.example", "worldbank.example", "iea.example", "faz.example",
         "sueddeutsche.example", "zeit.example", "handelsblatt.example", "spiegel.example",
         "nzz.example", "ft.example", "economist.example", "lemonde.example", "kommersant.example",
         "reuters.example", "diw.example", "ifo.example", "ifw-kiel.example", "bverfg.example")
PUBLICATIONS = ("weltblick.example", "zeitfragen.example", "standpunkt.example", "kommentar.example")
ENGLISH = ("the of and to in for on with policy energy market crisis state power war trade growth "
           "future europe debt security new global rules order limits price inflation report outlook "
           "strategy why how what after beyond between costs risks lessons age").split()
CYRILLIC = "абвгдежзиклмнопрстуфхцчшщыэюя"
VOWELS = set("aeiouäöüy")


def zipf_cumulative(n: int, s: float = ZIPF_S, q: float = 0.0) -> list[float]:
    """Cumulative Zipf(-Mandelbrot) weights 1 / (rank + q) ** s for ranks 1..n."""
    return list(itertools.accumulate(1.0 / ((rank + q) ** s) for rank in range(1, n + 1)))


class Language:
    """A pseudo-German vocabulary and the sentences built from it."""

    def __init__(self, rng: random.Random, size: int = VOCABULARY):
        self.rng = rng
        words: list[str] = []
        seen: set[str] = set()
        kinds = ("noun",) * 5 + ("verb",) * 3 + ("adj",) * 2
        while len(words) < size:
            kind = rng.choice(kinds)
            word = self._word(kind)
            if word.lower() in seen or len(word) < 3:
                continue
            seen.add(word.lower())
            words.append(word)
        self.words = words
        self.nouns = [w for w in words if w[0].isupper()]
        self.adjectives = [w for w in words if w.endswith(ADJ_SUFFIXES)]
        self.cumulative = zipf_cumulative(len(words), ZIPF_S, ZIPF_Q)
        self.topic: list[str] = []  # words the current article is about (see Archive._make_articles)
        self.function_cumulative = zipf_cumulative(len(FUNCTION_WORDS), 0.9)

    def _stem(self, syllables: int) -> str:
        rng = self.rng
        out = "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS) for _ in range(syllables))
        return out.replace("ßß", "ß")

    def _word(self, kind: str) -> str:
        rng = self.rng
        if kind == "noun":
            stem = self._stem(rng.choice((1, 1, 2, 2, 2, 3)))
            if rng.random() < 0.2:  # a compound
                stem += self._stem(rng.choice((1, 2)))
            return (stem + rng.choice(NOUN_SUFFIXES)).capitalize()
        if kind == "verb":
            stem = self._stem(rng.choice((1, 2)))
            if rng.random() < 0.3:
                stem = rng.choice(("ver", "be", "ent", "er", "zer", "an", "auf", "aus", "ein", "ge")) + stem
            return stem + rng.choice(VERB_ENDINGS)
        return self._stem(rng.choice((1, 2))) + rng.choice(ADJ_SUFFIXES) + rng.choice(ADJ_ENDINGS)

    def tokens(self, n: int) -> list[str]:
        rng = self.rng
        content = rng.choices(self.words, cum_weights=self.cumulative, k=n)
        function = rng.choices(FUNCTION_WORDS, cum_weights=self.function_cumulative, k=n)
        topic = self.topic
        out = []
        for c, f in zip(content, function):
            roll = rng.random()
            if roll < FUNCTION_WORD_SHARE:
                out.append(f)
            elif topic and roll > 1 - TOPIC_SHARE:
                out.append(rng.choice(topic))
            else:
                out.append(c)
        return out

    def sentence_length(self) -> int:
        return max(4, min(42, round(self.rng.lognormvariate(math.log(15), 0.45))))

    def sentence(self, length: int | None = None) -> str:
        rng = self.rng
        words = self.tokens(length or self.sentence_length())
        for i in range(2, len(words) - 2):
            roll = rng.random()
            if roll < 0.07:
                words[i] += ","
            elif roll < 0.085:
                words[i] = rng.choice((f"{rng.randint(2, 98)} Prozent", f"{rng.randint(1, 9)},{rng.randint(1, 9)} Milliarden",
                                       str(rng.randint(1950, 2025)), f"{rng.randint(1, 40)}.{rng.randint(100, 999)}"))
            elif roll < 0.092:
                j = min(len(words) - 2, i + rng.randint(1, 4))
                words[i] = "„" + words[i]
                words[j] = words[j].rstrip(",") + "“"
        words[-1] = words[-1].rstrip(",")
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        return text + rng.choices((".", "?", ":", "!"), weights=(92, 4, 3, 1))[0]

    def phrase(self, low: int, high: int) -> str:
        """A title-like phrase (no final punctuation)."""
        words = self.tokens(self.rng.randint(low, high))
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def noun(self, top: int = 600) -> str:
        return self.rng.choice(self.nouns[:top])


def ascii_letters(text: str) -> str:
    folded = text.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                                           "Ü": "Ue", "ı": "i", "ë": "e", "é": "e", "á": "a", "í": "i"}))
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in folded.lower() if c.isalpha())


class KeySet:
    """Citation keys: lowercase letters+digits, unique and prefix-free (see commentary.bib)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.keys: set[str] = set()
        self.prefixes: set[str] = set()

    def ok(self, key: str) -> bool:
        if key in self.keys or key in self.prefixes:
            return False
        return not any(key[:i] in self.keys for i in range(1, len(key)))

    def add(self, key: str) -> str:
        self.keys.add(key)
        self.prefixes.update(key[:i] for i in range(1, len(key)))
        return key

    def make(self, creator: str, year: str, title: str) -> str:
        base = (ascii_letters(creator.split()[-1] if " " in creator and not creator.isupper() else creator)[:14] or "quelle") + year
        words = [ascii_letters(w)[:12] for w in title.split()]
        words = [w for w in words if len(w) >= 4] or ["text"]
        for word in words:
            if self.ok(base + word):
                return self.add(base + word)
        while True:  # the title's words are taken: add a random syllable of letters
            candidate = base + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5))
            if self.ok(candidate):
                return self.add(candidate)


def bib_value(text: str) -> str:
    """A BibTeX field value: braces and LaTeX specials are never produced, so just wrap it."""
    assert not any(c in text for c in "{}\\%&#_$"), text
    return "{" + text + "}"


@dataclass
class Source:
    key: str
    type: str
    fields: dict[str, str]
    url: str = ""


@dataclass
class Article:
    index: int
    slug: str
    title: str
    date: date
    authors: list[str]
    category: str
    tags: list[str]
    series: str | None
    part: int | None
    original_url: str
    description: str
    body: str = ""
    new_sources: list[Source] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    cross_cited: list[int] = field(default_factory=list)  # indexes of earlier articles cited


class Archive:
    def __init__(self, n: int, seed: int = SEED):
        self.n = n
        self.rng = random.Random(seed)
        self.lang = Language(self.rng)
        self.keys = KeySet(self.rng)
        self.url_counter = itertools.count(1)
        self.sources: list[Source] = []  # in order of definition (shared-citation pool)
        self.by_url: dict[str, str] = {}  # url -> key
        self._make_people()
        self._make_tags()
        self._make_articles()

    # --- people, tags, series ----------------------------------------------------------
    def _make_people(self) -> None:
        rng = self.rng
        self.authors: dict[str, dict] = {}
        while len(self.authors) < AUTHORS:
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            author_id = ascii_letters(first)[0] + ascii_letters(last)
            if author_id in self.authors:
                continue
            self.authors[author_id] = {"name": f"{first} {last}", "description": self.lang.phrase(3, 7)}
        self.author_ids = list(self.authors)
        self.author_cumulative = zipf_cumulative(len(self.author_ids), 0.8)

    def _make_tags(self) -> None:
        rng = self.rng
        tags: list[str] = []
        seen: set[str] = set()
        while len(tags) < TAG_POOL:
            noun = self.lang.noun(1500)
            if rng.random() < 0.8:
                tag = noun
            else:
                adjective = rng.choice(self.lang.adjectives).rstrip("enrs") or "neu"
                tag = f"{adjective[0].upper()}{adjective[1:]}e {noun}"
            if ascii_letters(tag) in seen:
                continue
            seen.add(ascii_letters(tag))
            tags.append(tag)
        self.tags = tags
        self.tag_topics = {tag: rng.sample(self.lang.words[100:], 12) for tag in tags}
        self.tag_cumulative = zipf_cumulative(len(tags), 0.9)

    def _plan_series(self) -> list[tuple[str | None, int | None]]:
        """Which article (in date order) belongs to which series, and as which part."""
        rng, n = self.rng, self.n
        lengths: list[int] = []
        while sum(lengths) < SERIES_SHARE * n and sum(lengths) + SERIES_PARTS[0] <= n:
            lengths.append(rng.randint(*SERIES_PARTS))
        if lengths and sum(lengths) > n:
            lengths[-1] -= sum(lengths) - n
        self.series: dict[str, dict] = {}
        self.series_topics: dict[str, list[str]] = {}
        slots: list[tuple[float, str | None]] = []
        for length in lengths:
            while True:
                series_id = ascii_letters(self.lang.noun(2500))[:20]
                if len(series_id) >= 4 and series_id not in self.series:
                    break
            self.series[series_id] = {
                "title": self.lang.phrase(2, 5),
                "description": self.lang.sentence(rng.randint(10, 20)),
                "domains": [f"{series_id}.example"],
            }
            self.series_topics[series_id] = rng.sample(self.lang.words[100:], 20)
            centre = rng.uniform(0, n)
            slots += [(centre + rng.gauss(0, max(3.0, n * 0.015)), series_id) for _ in range(length)]
        slots += [(rng.uniform(0, n), None) for _ in range(n - len(slots))]
        slots.sort()
        parts: dict[str, int] = {}
        plan = []
        for _, series_id in slots:
            if series_id is None:
                plan.append((None, None))
            else:
                parts[series_id] = parts.get(series_id, 0) + 1
                plan.append((series_id, parts[series_id]))
        return plan

    # --- articles ----------------------------------------------------------------------
    def _make_articles(self) -> None:
        rng = self.rng
        plan = self._plan_series()
        self.articles: list[Article] = []
        slugs: set[str] = set()
        day = FIRST_DATE
        from commentary.text import slugify  # the project's own slug rule

        for index, (series_id, part) in enumerate(plan):
            day += timedelta(days=max(0, round(rng.expovariate(ARTICLES_PER_WEEK / 7))))
            tags = rng.choices(self.tags, cum_weights=self.tag_cumulative, k=12)
            tags = list(dict.fromkeys(tags))[: rng.randint(*TAGS_PER_ARTICLE)]
            self.lang.topic = [w for t in tags for w in self.tag_topics[t]] + self.series_topics.get(series_id, [])
            title = self.lang.phrase(3, 9)
            slug = slugify(title) or f"artikel-{index}"
            while slug in slugs:
                slug += f"-{rng.randint(2, 99)}"
            slugs.add(slug)
            host = self.series[series_id]["domains"][0] if series_id else rng.choice(PUBLICATIONS)
            authors = rng.choices(self.author_ids, cum_weights=self.author_cumulative, k=rng.choice((1, 1, 1, 1, 2)))
            article = Article(
                index=index, slug=slug, title=title, date=day, authors=list(dict.fromkeys(authors)),
                category=rng.choices(CATEGORIES, weights=(30, 25, 15, 15, 10, 5))[0], tags=tags,
                series=series_id, part=part,
                original_url=f"https://{host}/{day:%Y/%m}/{slug}/",
                description=" ".join(self.lang.sentence(rng.randint(10, 22)) for _ in range(rng.choice((1, 2)))),
            )
            self.articles.append(article)
            article.body = self._body(article)
        self.lang.topic = []

    def _body(self, article: Article) -> str:
        rng, lang = self.rng, self.lang
        sentences: list[str] = []
        words = 0
        while words < BODY_WORDS:
            sentence = lang.sentence()
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        # paragraphs of 2-7 sentences
        paragraphs: list[list[str]] = []
        i = 0
        while i < len(sentences):
            size = rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6, 7))
            paragraphs.append(sentences[i:i + size])
            i += size
        # note references after 15 distinct sentences, in order
        flat = [(p, s) for p, para in enumerate(paragraphs) for s in range(len(para))]
        positions = sorted(rng.sample(range(len(flat)), min(NOTES, len(flat))))
        for number, position in enumerate(positions, 1):
            p, s = flat[position]
            paragraphs[p][s] += f"[^{number}]"
        # the introduction, then SECTIONS titled sections of about equal size
        cuts = sorted(rng.sample(range(2, len(paragraphs) - 1), SECTIONS))
        blocks: list[str] = []
        for p, para in enumerate(paragraphs):
            if p in cuts:
                blocks.append("## " + lang.phrase(2, 6))
            blocks.append(" ".join(para))
        notes = [f"[^{number}]: {self._note(article)}" for number in range(1, len(positions) + 1)]
        return "\n\n".join(blocks) + "\n\n" + "\n".join(notes) + "\n"

    def _note(self, article: Article) -> str:
        rng, lang = self.rng, self.lang
        comment = lang.sentence(rng.randint(6, 18)) if rng.random() < 0.6 else ""
        if rng.random() < COMMENTARY_ONLY_NOTES:
            return comment or lang.sentence(rng.randint(6, 18))
        keys: list[str] = []
        for _ in range(rng.choices((1, 2, 3), weights=(55, 30, 15))[0]):
            key = self._cite(article)
            if key not in keys:
                keys.append(key)
        article.cited += [k for k in keys if k not in article.cited]
        cites = [f"@{k}" for k in keys]
        lead = rng.choice(("Siehe", "Vgl.", "Quelle:", "Zitiert nach", "Dazu ausführlich", "Siehe etwa"))
        text = f"{lead} {cites[0]}"
        if rng.random() < 0.2:
            text += f", S. {rng.randint(3, 380)}"
        text += "."
        if len(cites) == 2:
            text += f" Vgl. auch {cites[1]}."
        elif len(cites) == 3:
            text += f" Vgl. auch {cites[1]} und {cites[2]}."
        return f"{comment} {text}".strip()

    def _cite(self, article: Article) -> str:
        rng = self.rng
        earlier = article.index
        if earlier and rng.random() < CROSS_CITATION and len(article.cross_cited) < 2:
            # cite an earlier article: preferably an earlier part of the same series
            same_series = [a.index for a in self.articles[:earlier] if article.series and a.series == article.series]
            target = rng.choice(same_series) if same_series and rng.random() < 0.6 else rng.randrange(earlier)
            if target not in article.cross_cited:
                article.cross_cited.append(target)
                cited = self.articles[target]
                if cited.original_url in self.by_url:
                    return self.by_url[cited.original_url]
                names = [self.authors[a]["name"] for a in cited.authors]
                host = cited.original_url.split("/")[2]
                return self._define(article, "online", names, None, {
                    "title": cited.title, "date": cited.date.isoformat(),
                    "urldate": article.date.isoformat(), "url": cited.original_url,
                    "organization": host.split(".")[0].capitalize(), "langid": "german"})
        if self.sources and rng.random() < SHARED_CITATION:
            # a shared source: recently defined ones are cited more often
            pool = self.sources[-400:]
            return pool[min(len(pool) - 1, int(rng.expovariate(1 / 60)))].key if rng.random() < 0.5 else rng.choice(self.sources).key
        return self._new_source(article)

    def _new_source(self, article: Article) -> str:
        rng, lang = self.rng, self.lang
        kind = rng.choices(("online", "article", "report", "book", "misc"), weights=(45, 25, 10, 10, 10))[0]
        published = article.date - timedelta(days=rng.randint(0, 900) if kind != "book" else rng.randint(100, 9000))
        langid = rng.choices(("german", "english", "french", "russian"), weights=(70, 22, 4, 4))[0]
        persons = [f"{rng.choice(SURNAMES)}, {rng.choice(FIRST_NAMES)}" for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        fields: dict[str, str] = {}
        if langid == "german":
            fields["title"] = lang.phrase(3, 11)
        elif langid == "russian":
            fields["title"] = " ".join("".join(rng.choice(CYRILLIC) for _ in range(rng.randint(3, 9))) for _ in range(rng.randint(3, 7))).capitalize()
            fields["titleaddon"] = lang.phrase(3, 8)
        else:
            fields["title"] = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(3, 9))).capitalize()
            if rng.random() < 0.5:
                fields["titleaddon"] = lang.phrase(3, 8)
        precision = rng.choices((10, 7, 4), weights=(75, 15, 10))[0]
        fields["date"] = published.isoformat()[:precision]
        fields["langid"] = langid
        url = f"https://{rng.choice(HOSTS)}/{published:%Y}/{ascii_letters(lang.noun())[:16]}-{next(self.url_counter)}"
        creator_org = None
        if kind == "online":
            if rng.random() < 0.4:
                creator_org, persons = rng.choice(ORGANISATIONS), []
                fields["organization"] = creator_org
            else:
                fields["organization"] = rng.choice(JOURNALS)
            fields["url"], fields["urldate"] = url, article.date.isoformat()
        elif kind == "article":
            fields["journaltitle"] = rng.choice(JOURNALS)
            if rng.random() < 0.6:
                fields["url"], fields["urldate"] = url, article.date.isoformat()
        elif kind == "report":
            creator_org, persons = rng.choice(ORGANISATIONS), ([] if rng.random() < 0.7 else persons)
            fields["organization"] = creator_org
            fields["number"] = f"{published.year}/{rng.randint(1, 40)}"
            fields["url"], fields["urldate"] = url, article.date.isoformat()
        elif kind == "book":
            fields["publisher"] = rng.choice(PUBLISHERS)
            fields["date"] = str(published.year)
        else:  # misc: a speech, an interview, or a note-only entry
            if rng.random() < 0.5:
                fields = {"note": lang.sentence(rng.randint(6, 14)), "date": fields["date"], "langid": "german"}
                persons = [] if rng.random() < 0.5 else persons
            else:
                fields["howpublished"] = rng.choice(("Rede", "Interview", "Pressekonferenz", "Vortrag", "Stellungnahme"))
        if rng.random() < 0.08 and "note" not in fields:
            fields["note"] = lang.sentence(rng.randint(5, 12))
        return self._define(article, kind, [self._person_name(p) for p in persons], creator_org, fields)

    @staticmethod
    def _person_name(bib_name: str) -> str:
        last, first = bib_name.split(", ")
        return f"{first} {last}"

    def _define(self, article: Article, kind: str, names: list[str], org: str | None, fields: dict[str, str]) -> str:
        creator = names[0] if names else (org or fields.get("organization") or fields.get("title") or fields.get("note", "quelle"))
        year = (fields.get("date") or "0000")[:4]
        key = self.keys.make(creator, year, fields.get("title") or fields.get("note", ""))
        if names:
            fields = {"author": " and ".join(f"{n.split(' ', 1)[1]}, {n.split(' ', 1)[0]}" for n in names), **fields}
        source = Source(key, kind, fields, fields.get("url", ""))
        article.new_sources.append(source)
        self.sources.append(source)
        if source.url:
            self.by_url[source.url] = key
        return key

    # --- output ------------------------------------------------------------------------
    def write(self, out: Path) -> dict:
        docs, bib = out / "docs", out / "bib"
        for folder in (docs, bib):
            if folder.exists():
                shutil.rmtree(folder)
        (docs / "artikel").mkdir(parents=True)
        bib.mkdir(parents=True)
        (docs / ".authors.yml").write_text(yaml_dump({"authors": self.authors}), encoding="utf-8")
        (docs / ".series.yml").write_text(yaml_dump(self.series), encoding="utf-8")
        for a in self.articles:
            meta = {
                "title": a.title, "date": a.date.isoformat(), "authors": a.authors, "categories": [a.category],
                "tags": a.tags,
            }
            if a.series:
                meta["series"], meta["part"] = a.series, a.part
            meta["original_url"] = a.original_url
            meta["description"] = a.description
            front = "\n".join(f"{k}: {v if k in ('date', 'part', 'series') else json.dumps(v, ensure_ascii=False)}"
                              for k, v in meta.items())
            (docs / "artikel" / f"{a.slug}.md").write_text(f"---\n{front}\n---\n\n{a.body}", encoding="utf-8")
            (bib / f"{a.slug}.bib").write_text("\n".join(format_entry(s) for s in a.new_sources), encoding="utf-8")
        return self.summary()

    def summary(self) -> dict:
        cross_cited = {t for a in self.articles for t in a.cross_cited}
        # the live-preview probe: a series article, cited by a later one, from the middle
        candidates = [a for a in self.articles if a.series and a.index in cross_cited] or \
                     [a for a in self.articles if a.series] or self.articles
        probe = candidates[len(candidates) // 2]
        # a search word: a noun that occurs in about 5 % of the articles
        in_articles: dict[str, int] = {}
        nouns = set(self.lang.nouns)
        for a in self.articles:
            for word in set(a.body.split()):
                if word in nouns:
                    in_articles[word] = in_articles.get(word, 0) + 1
        query = min(sorted(in_articles), key=lambda w: abs(in_articles[w] - 0.05 * self.n))
        return {
            "seed": SEED, "articles": self.n, "sources": len(self.sources),
            "citations": sum(len(a.cited) for a in self.articles),
            "series": len(self.series), "articles_in_series": sum(1 for a in self.articles if a.series),
            "cross_cited_articles": len(cross_cited), "authors": len(self.authors), "tags": len(self.tags),
            "query": query.lower(), "query_articles": in_articles[query],
            "probe": {"slug": probe.slug, "path": f"docs/artikel/{probe.slug}.md", "date": probe.date.isoformat(),
                      "series": probe.series, "part": probe.part},
        }


def yaml_dump(data) -> str:
    import yaml
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def format_entry(source: Source) -> str:
    lines = [f"@{source.type}{{{source.key},"]
    lines += [f"  {name} = {bib_value(value)}," for name, value in source.fields.items()]
    return "\n".join(lines) + "\n}\n"


def validate(out: Path) -> list[str]:
    """Check the archive with the project's own library; return every problem as text."""
    from commentary.article import parse_article
    from commentary.bib import load_bibliography
    from commentary.notes import parse_notes
    from commentary.project import load_authors, load_series

    problems: list[str] = []
    bibliography = load_bibliography(out / "bib")
    problems += [str(p) for p in bibliography.problems]
    authors, series = load_authors(out / "docs"), load_series(out / "docs")
    defined_by: dict[str, str] = {}
    for source in bibliography.sources.values():
        defined_by[source.key] = Path(source.file).stem
    articles = []
    for path in sorted((out / "docs" / "artikel").glob("*.md")):
        rel = f"artikel/{path.name}"
        article, found = parse_article(path.read_text(encoding="utf-8"), rel)
        problems += [str(p) for p in found]
        if article is None:
            continue
        articles.append(article)
        parsed = parse_notes(article.body, article.body_line, rel)
        problems += [str(p) for p in parsed.problems]
        if len(parsed.notes) != NOTES:
            problems.append(f"{rel}: {len(parsed.notes)} notes, expected {NOTES}")
        for citation in parsed.citations:
            if citation.key not in bibliography.sources:
                problems.append(f"{rel}:{citation.line}: unknown key @{citation.key}")
            if citation.in_note is None:
                problems.append(f"{rel}:{citation.line}: @{citation.key} outside a note")
        problems += [f"{rel}: unknown author {a}" for a in article.authors if a not in authors]
        if article.series and article.series not in series:
            problems.append(f"{rel}: unknown series {article.series}")
    # a shared source is defined by the article that cited it first
    first_citer: dict[str, tuple] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        for citation in parse_notes(article.body).citations:
            first_citer.setdefault(citation.key, (article.date, article.slug))
    dates = {a.slug: a.date for a in articles}
    for key, (first_date, slug) in first_citer.items():
        owner = defined_by.get(key)
        if owner and dates.get(owner) and dates[owner] > first_date:
            problems.append(f"bib/{owner}.bib: {key} is defined after its first citation in {slug}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write docs/ and bib/ into")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-check", action="store_true", help="skip the validation with the project's library")
    args = parser.parse_args(argv)
    archive = Archive(args.n, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = archive.write(args.out)
    summary["seed"] = args.seed
    (args.out / "generated.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.no_check:
        problems = validate(args.out)
        if problems:
            print("\n".join(problems[:50]), file=sys.stderr)
            print(f"{len(problems)} problem(s) in the generated archive", file=sys.stderr)
            return 1
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
