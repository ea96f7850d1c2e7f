"""Related articles: for every article the few others a reader should see next, each with a reason.

The score of a candidate article ``e`` for an article ``d`` is a weighted sum of components, each in [0, 1]:

========================  =====================================================================
component                 value
========================  =====================================================================
``citation``              1 if ``d`` cites ``e`` or ``e`` cites ``d`` (self-citations ignored)
``shared_sources``        ``1 - 0.5 ** sum(rarity(s))`` over the bib keys both cite: every fully
                          rare shared source halves the distance to 1, a common one counts less
``series``                1 if both belong to the same series
``tags``                  cosine of the two tag sets, each tag weighted by its rarity
``text``                  cosine of stemmed German TF-IDF vectors (top ``max_terms`` terms each)
``recency``               ``0.5 ** (days_between / recency_half_life_days)``; only ever added to
                          an article that is already related through another component
========================  =====================================================================

``rarity(x) = log(1 + N / df(x)) / log(1 + N)`` for N articles of which df(x) use x: 1 for
something one article uses, towards 0 for something every article uses. Tags, sources and terms
used by more than ``max_df_ratio`` of the articles (and by more than two) are ignored altogether,
like Hugo's ``cardinalityThreshold``.

No pair of articles is ever compared blindly: inverted indexes (term, tag, source, series,
citation -> articles) produce each article's candidates, and contributions are summed only over
what two articles share. Three bounds keep the cost linear in the number of articles:

* ``max_words``: only the first words of each text are analysed (the lede states the topic;
  splitting and counting every word of 10,000 articles alone takes longer than the whole budget);
* ``max_terms``: an article's text vector keeps its heaviest terms only (like Lucene's
  "more like this"), chosen among the terms that at least one other article uses;
* ``max_postings``: the candidate search walks, per term and per tag, only the articles in which
  it weighs most ("champion lists"), and skips sources cited by more articles than that.

Then the few candidates that can still reach the top ``limit`` (recency included) are scored
exactly, so what an article shows and the components it reports always agree; the bounds only
decide which candidates are looked at and from how many words. Measured with
``bench/related_bench.py --quality`` against a reference that reads every word and cuts no list,
the relations chosen reach 99 % of the reference's score at 1,000 articles and 94 % at 10,000.

Everything is deterministic: the inputs are ordered by id first, sets are iterated sorted, scores
are rounded to 4 decimals and ties are broken by id.

This module is a plain library (no MkDocs import). The site reads its settings from ``mkdocs.yml``
through :meth:`RelatedConfig.from_mapping`; every key is optional, unknown keys are errors::

    extra:
      archive:
        related:
          limit: 5
          citation: 0.30        # weights: see RelatedConfig
          shared_sources: 0.25
          series: 0.10
          tags: 0.15
          text: 0.25
          recency: 0.05
          recency_half_life_days: 365
          min_score: 0.05
          max_df_ratio: 0.5
          min_term_length: 3
          max_terms: 15
          max_postings: 50
          max_words: 500        # null: analyse every word
          reason_tags: 3
          reason_terms: 2
"""

from __future__ import annotations

import datetime
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, fields, replace
from heapq import nlargest
from itertools import compress
from operator import mul
from typing import Any, Iterable, Mapping

import snowballstemmer

# ---------------------------------------------------------------------------------------------
# German text analysis
# ---------------------------------------------------------------------------------------------

# Function words of German (lowercase). Stemming happens after this filter, so inflected forms
# are listed one by one. Deliberately no content words ("Jahr", "Prozent" ...): rarity handles them.
GERMAN_STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    auch auf aus bei beim bereits bin bis bisher bist bzw da dabei dadurch dafür dagegen daher
    damit dann daran darauf darum das dass davon dazu dein deine dem den denen denn dennoch der
    deren derer des deshalb dessen dich die dies diese diesem diesen dieser dieses dir doch dort
    du durch ein eine einem einen einer eines einige einigen einiger einmal er es etwa etwas euch
    euer eure für gab gar gegen gegenüber gewesen gibt hab habe haben hat hatte hätte hatten
    hätten her heute hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer
    in indem ins ist ja je jede jedem jeden jeder jedes jedoch jetzt kam kann kein keine keinem
    keinen keiner kommt konnte könnte können man manche mehr mein meine mich mir mit muss musste
    müssen nach nachdem nein nicht nichts noch nun nur ob oder ohne rund schon sehr sei seien sein
    seine seinem seinen seiner seines seit selbst sich sie sind so solche soll sollen sollte
    sondern sowie statt um und uns unser unsere unter usw viel viele vom von vor wann war waren
    wäre wären warum was weil weiter weitere welche welchem welchen welcher welches wenn wer werde
    werden wie wieder will wir wird wo wohl worden wurde würde wurden würden zu zum zur zwar
    zwischen über
    """.split()
)

_WORD_PIECE = re.compile(r"[^\W\d_]+")  # runs of letters, Unicode-aware (äöüß, é, ...)


class GermanAnalyzer:
    """Lowercase, split into words, drop stop words and short words, stem with Snowball German.

    The pure-Python Snowball stemmer costs ~0.1 ms a word (the C one, PyStemmer, which
    snowballstemmer uses by itself once installed, ~30 times less), so each distinct word is
    stemmed once. And since even a regular expression over every word of 10,000 articles is too
    slow, the text is split on whitespace (in C) and each distinct raw token ("Sanktionen,",
    "EU-Sanktionen") is resolved once to its stem key. Keep one analyzer across rebuilds, or
    pass ``stems`` from an earlier run (see :attr:`stems`), to keep that work done.
    """

    def __init__(self, min_term_length: int = 3, stop_words: Iterable[str] = GERMAN_STOP_WORDS,
                 stems: Mapping[str, str] | None = None):
        self.min_term_length = min_term_length
        self.stop_words = frozenset(stop_words)
        self._stemmer = snowballstemmer.stemmer("german")
        self.stems: dict[str, str] = dict(stems or {})  # lowercase word -> Snowball stem
        self._memo: dict[tuple[str, int | None], Counter[str]] = {}
        self._keys = _TokenKeys(self)  # raw token -> key: "", a stem, or several stems joined by " "
        self._multi: set[str] = set()  # the keys that stand for several stems
        self._forms: dict[str, dict[str, list[str]]] = {}  # stem -> written form -> raw tokens
        self.token_counts: Counter[str] = Counter()  # raw token -> occurrences, to pick surface words

    def stem(self, word: str) -> str:
        """The stem of one word, or "" if it is a stop word or too short."""
        word = word.lower()
        if len(word) < self.min_term_length or word in self.stop_words:
            return ""
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = self._stemmer.stemWord(word)
        return stem

    def counts(self, text: str, max_words: int | None = None) -> Counter[str]:
        """Stem -> occurrences in the text (in its first ``max_words`` words if given).

        Remembered per text: a preview rebuild analyses only the articles that changed.
        The result is shared, not copied: callers must not change it.
        """
        memo_key = (text, max_words)
        known = self._memo.get(memo_key)
        if known is not None:
            return known
        if len(self._memo) > 50_000:
            self._memo.clear()
        self._memo[memo_key] = counts = self._count(text, max_words)
        return counts

    def _count(self, text: str, max_words: int | None) -> Counter[str]:
        tokens = _first_words(text, max_words) if max_words else text.split()
        self.token_counts.update(tokens[:_SURFACE_SAMPLE])
        counts = Counter(map(self._keys.__getitem__, tokens))  # counted in C: no Python loop per word
        counts.pop("", None)
        for key in self._multi.intersection(counts):  # rare: "EU-Sanktionen", "Belarus/OSZE"
            n = counts.pop(key)
            for stem in key.split(" "):
                counts[stem] += n
        return counts

    def _key(self, token: str) -> str:
        stems = []
        for piece in _WORD_PIECE.findall(token):
            stem = self.stem(piece)
            if stem:
                stems.append(stem)
                self._forms.setdefault(stem, {}).setdefault(piece, []).append(token)
        key = " ".join(stems)
        if len(stems) > 1:
            self._multi.add(key)
        return key

    def surfaces(self, stems: Iterable[str]) -> dict[str, str]:
        """For each stem the word readers know it by: its most frequent form as written in the texts."""
        out = {}
        for stem in stems:
            forms = self._forms.get(stem)
            if forms:
                tally = {form: sum(self.token_counts[t] for t in tokens) for form, tokens in forms.items()}
                # Most frequent, then capitalised (a German noun), then alphabetical.
                out[stem] = min(tally, key=lambda f: (-tally[f], not f[:1].isupper(), f))
        return out


# Surface words are chosen by their frequency in the first words of each text: counting every
# word a second time would cost a third more analysis for a display detail.
_SURFACE_SAMPLE = 100


def _first_words(text: str, n: int) -> list[str]:
    """The first n whitespace-separated tokens, without splitting the whole text."""
    size = n * 9  # a German word with its space and punctuation averages ~7-8 characters
    while True:
        head = text[:size]
        tokens = head.split()
        if len(tokens) > n or len(head) == len(text):  # a word cut at the end is beyond n anyway
            return tokens[:n]
        size *= 2


class _TokenKeys(dict):
    """raw token -> stem key, filled on first sight (dict subclass so lookups stay in C)."""

    def __init__(self, analyzer: GermanAnalyzer):
        super().__init__()
        self._analyzer = analyzer

    def __missing__(self, token: str) -> str:
        key = self[token] = self._analyzer._key(token)
        return key


_DEFAULT_ANALYZER: GermanAnalyzer | None = None


def analyze(text: str, min_term_length: int = 3) -> Counter[str]:
    """Stem -> count for one text with the default German analysis (handy in tests and tools)."""
    global _DEFAULT_ANALYZER
    if _DEFAULT_ANALYZER is None or _DEFAULT_ANALYZER.min_term_length != min_term_length:
        _DEFAULT_ANALYZER = GermanAnalyzer(min_term_length)
    return _DEFAULT_ANALYZER.counts(text)


def tokenize(text: str) -> list[str]:
    """The lowercase words of a text, in order."""
    return _WORD_PIECE.findall(text.lower())


# ---------------------------------------------------------------------------------------------
# Inputs, settings, outputs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedInput:
    """What the scorer needs to know about one article."""

    id: str  # e.g. "artikel/slug.md"
    text: str = ""  # plain text of the body, notes removed
    tags: tuple[str, ...] = ()
    series: str | None = None
    sources: frozenset[str] = frozenset()  # bib keys cited
    cites: frozenset[str] = frozenset()  # ids of archive articles this one cites
    date: datetime.date | None = None

    def __post_init__(self) -> None:
        # Accept any iterables from callers; the scorer relies on set operations.
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "cites", frozenset(self.cites))


@dataclass(frozen=True)
class RelatedConfig:
    """Settings of the related-articles scorer; ``mkdocs.yml`` ``extra.archive.related`` overrides them.

    The weights multiply components that are each in [0, 1], so a weight is the most its
    component can add. Why the defaults:

    * ``citation`` 0.30: the author linked the two articles; one citation alone outranks any
      other single signal.
    * ``shared_sources`` 0.25: the same evidence; one rare shared source gives ~0.12, three ~0.21.
    * ``text`` 0.25: what both are about; a cosine of 0.3-0.5 (clearly the same topic) gives
      0.08-0.12, boilerplate overlap very little.
    * ``tags`` 0.15: editorial but coarse, usually one or two of four tags are shared (~0.04-0.08).
    * ``series`` 0.10: the series is navigable on its own; more would let a ten-part series fill
      every slot, this much makes a sibling win when everything else is equal.
    * ``recency`` 0.05: at most a tie-break between otherwise similar articles.
    """

    limit: int = 5  # related articles per article
    citation: float = 0.30
    shared_sources: float = 0.25
    series: float = 0.10
    tags: float = 0.15
    text: float = 0.25
    recency: float = 0.05
    recency_half_life_days: float = 365.0
    min_score: float = 0.05  # weaker relations are not shown at all
    max_df_ratio: float = 0.5  # ignore terms/tags/sources used by more than this share of articles
    min_term_length: int = 3  # shorter words are no terms ("EU" is, in practice, in every text)
    max_terms: int = 15  # heaviest TF-IDF terms kept per article
    max_postings: int = 50  # per term, the articles where it weighs most that are looked at
    max_words: int | None = 500  # analyse only the first N words of each text (None: all)
    reason_tags: int = 3  # at most this many tags in a reason
    reason_terms: int = 2  # at most this many "ähnliche Themen" words in a reason

    WEIGHTS = ("citation", "shared_sources", "series", "tags", "text", "recency")

    def __post_init__(self) -> None:
        for name in self.WEIGHTS:
            if getattr(self, name) < 0:
                raise ValueError(f"related: {name} must not be negative")
        for name in ("limit", "max_terms", "max_postings", "reason_tags", "reason_terms"):
            if getattr(self, name) < 0:
                raise ValueError(f"related: {name} must not be negative")
        if self.recency_half_life_days <= 0:
            raise ValueError("related: recency_half_life_days must be positive")
        if not 0 < self.max_df_ratio <= 1:
            raise ValueError("related: max_df_ratio must be in (0, 1]")
        if self.max_words is not None and self.max_words <= 0:
            raise ValueError("related: max_words must be positive or null")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> RelatedConfig:
        """Build from a mapping (``extra.archive.related``); unknown keys and wrong types are errors."""
        mapping = dict(mapping or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(mapping) - set(known))
        if unknown:
            raise ValueError(f"related: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
        defaults = cls()
        values = {}
        for name, value in mapping.items():
            default = getattr(defaults, name)
            if name == "max_words" and value is None:
                values[name] = None
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"related: {name} must be a number, not {value!r}")
            elif isinstance(default, int) or name == "max_words":
                if value != int(value):
                    raise ValueError(f"related: {name} must be a whole number, not {value!r}")
                values[name] = int(value)
            else:
                values[name] = float(value)
        return cls(**values)


@dataclass(frozen=True)
class Relation:
    target: str  # id of the related article
    score: float  # rounded to 4 decimals
    components: dict[str, float]  # component name -> weighted contribution, rounded
    reason: str = ""  # German, for readers: "3 gemeinsame Quellen · gleiche Serie"


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------


def rarity(df: int, n: int) -> float:
    """1 for something a single article uses, towards 0 for something all use (smoothed idf)."""
    return math.log(1 + n / df) / math.log(1 + n) if n else 0.0


def _too_common(df: int, n: int, ratio: float) -> bool:
    # Something only two articles share is never "too common", else tiny archives link nothing.
    return df > 2 and df > ratio * n


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.hypot(*weights.values())
    return {k: w / norm for k, w in weights.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    shared = a.keys() & b.keys()
    if len(shared) > 1:
        shared = sorted(shared)  # a set's order varies between processes, the sum must not
    return sum([a[k] * b[k] for k in shared])


Postings = dict[str, tuple[list[int], list[float]]]


_SUBLINEAR: list[float] = [0.0]


def _sublinear_tf(k: int) -> float:
    """tf -> 1 + log tf, from a table grown on demand."""
    while k >= len(_SUBLINEAR):
        _SUBLINEAR.append(1 + math.log(len(_SUBLINEAR)))
    return _SUBLINEAR[k]


def _postings(vectors: list[dict[str, float]], cap: int | None) -> Postings:
    """feature -> (articles, weights); only the ``cap`` heaviest when capped; one-article features dropped."""
    lists: dict[str, list[tuple[int, float]]] = {}
    for doc, vector in enumerate(vectors):
        for feature, weight in vector.items():
            lists.setdefault(feature, []).append((doc, weight))
    out = {}
    for feature, entries in lists.items():
        if len(entries) < 2:
            continue
        if cap is not None and len(entries) > cap:
            entries = sorted(entries, key=lambda e: (-e[1], e[0]))[:cap]
        out[feature] = ([d for d, _ in entries], [w for _, w in entries])
    return out


class RelatedIndex:
    """The indexes over one set of articles; :meth:`related` ranks the candidates of every article.

    ``timings`` records the seconds spent in "analysis", "index" and (after :meth:`related`) "scoring".
    """

    def __init__(self, inputs: Iterable[RelatedInput], config: RelatedConfig | None = None,
                 analyzer: GermanAnalyzer | None = None):
        self.config = config = config or RelatedConfig()
        self.analyzer = analyzer or GermanAnalyzer(config.min_term_length)
        if self.analyzer.min_term_length != config.min_term_length:
            raise ValueError("related: the analyzer's min_term_length differs from the config's")
        self.docs = sorted(inputs, key=lambda a: a.id)  # input order must not matter
        duplicates = sorted(i for i, k in Counter(a.id for a in self.docs).items() if k > 1)
        if duplicates:
            raise ValueError(f"related: duplicate article id(s) {', '.join(duplicates)}")
        self.position = {a.id: i for i, a in enumerate(self.docs)}
        self.timings: dict[str, float] = {}

        started = time.perf_counter()
        term_counts = [self.analyzer.counts(a.text, config.max_words) for a in self.docs]
        self.timings["analysis"] = time.perf_counter() - started

        started = time.perf_counter()
        self.text_vectors = self._text_vectors(term_counts)
        self._index_tags()
        self._index_sources()
        self.series_members: dict[str, list[int]] = {}
        for i, a in enumerate(self.docs):
            if a.series:
                self.series_members.setdefault(a.series, []).append(i)
        self.links = self._links()
        self._days = [a.date.toordinal() if a.date else 0 for a in self.docs]
        self._decay = math.log(2) / config.recency_half_life_days
        # Per article, what its candidate search walks: (articles, weights, scale) per feature.
        self._walks: list[list[tuple[list[int], list[float], float]]] = [[] for _ in self.docs]
        self._postings_by_weight: list[tuple[Postings, list[dict[str, float]], float]] = []
        for vectors, weight in ((self.text_vectors, config.text), (self.tag_vectors, config.tags)):
            if weight:
                self._add_walks(vectors, weight)
        self.timings["index"] = time.perf_counter() - started

    # -- building ---------------------------------------------------------------------------

    def _text_vectors(self, term_counts: list[Counter[str]]) -> list[dict[str, float]]:
        """Unit TF-IDF vectors (sublinear tf) over each article's ``max_terms`` heaviest shared terms.

        Terms of a single article cannot link anything and too common ones are ignored, so the
        heaviest terms are chosen among the rest (as Lucene's "more like this" does).
        """
        n = len(term_counts)
        df: Counter[str] = Counter()
        for counts in term_counts:
            df.update(counts.keys())
        idf = {t: math.log((1 + n) / (1 + k)) + 1 for t, k in df.items()
               if k > 1 and not _too_common(k, n, self.config.max_df_ratio)}
        self._idf = idf
        return [self._text_vector(counts) for counts in term_counts]

    def _text_vector(self, counts: Counter[str]) -> dict[str, float]:
        idf, m = self._idf, self.config.max_terms
        # map/filter over C callables: no Python-level loop per term (this runs 10^6 times)
        terms = list(filter(idf.__contains__, counts))
        weights = list(map(mul, map(_sublinear_tf, map(counts.__getitem__, terms)), map(idf.__getitem__, terms)))
        if len(terms) > m:
            # Cut at the m-th largest weight; ties keep text order: deterministic.
            cut = nlargest(m, weights)[-1] if m else math.inf
            keep = list(map(cut.__le__, weights))
            terms, weights = list(compress(terms, keep))[:m], list(compress(weights, keep))[:m]
        return _unit(dict(zip(terms, weights)))

    def _index_tags(self) -> None:
        self.tag_df = Counter(t for a in self.docs for t in set(a.tags))
        self.tag_vectors = [self._tag_vector(a.tags) for a in self.docs]
        # Tags as reasons name them: rarest (most telling) first, then alphabetically.
        self._tags_by_rarity = [sorted(set(a.tags), key=lambda t: (self.tag_df[t], t.casefold(), t))
                                for a in self.docs]
        self._tag_said = {t: {self.analyzer.stem(t), t.casefold()} for t in self.tag_df}

    def _index_sources(self) -> None:
        n, config = len(self.docs), self.config
        source_df = Counter(s for a in self.docs for s in a.sources)
        self.source_rarity = {s: rarity(k, n) for s, k in source_df.items()
                              if k > 1 and not _too_common(k, n, config.max_df_ratio)}
        postings = _postings([dict.fromkeys(sorted(a.sources & self.source_rarity.keys()), 1.0)
                              for a in self.docs], None)
        # A source cited by more than max_postings articles says too little to go through all of
        # them; it still counts for the candidates found otherwise.
        walk = {s: (docs, self.source_rarity[s]) for s, (docs, _) in postings.items()
                if len(docs) <= config.max_postings}
        self._source_walks = [[walk[s] for s in sorted(a.sources) if s in walk] for a in self.docs]

    def _tag_vector(self, tags: Iterable[str]) -> dict[str, float]:
        """Unit vector of a tag set, each tag weighted by its rarity; too common tags left out."""
        n = len(self.docs)
        return _unit({t: rarity(self.tag_df[t], n) for t in sorted(set(tags))
                      if not _too_common(self.tag_df[t], n, self.config.max_df_ratio)})

    def _add_walks(self, vectors: list[dict[str, float]], weight: float) -> None:
        """Champion lists of one cosine component, as each article's candidate search walks them."""
        postings = _postings(vectors, self.config.max_postings)
        self._postings_by_weight.append((postings, vectors, weight))
        for d, vector in enumerate(vectors):
            self._walks[d].extend(self._walks_of(vector, postings, weight))

    @staticmethod
    def _walks_of(vector: dict[str, float], postings: Postings, weight: float) -> list:
        return [(postings[f][0], postings[f][1], weight * w) for f, w in vector.items() if f in postings]

    def replace_text(self, doc_id: str, text: str) -> None:
        """Take an edited article's new text (a preview rebuild) without rebuilding the index.

        Its vector is made with the vocabulary and weights of the index as it is, and its
        candidate search walks the existing champion lists; the other articles keep theirs.
        A full build computes everything afresh.
        """
        d = self.position[doc_id]
        self.docs[d] = replace(self.docs[d], text=text)
        self.text_vectors[d] = self._text_vector(self.analyzer.counts(text, self.config.max_words))
        self._walks[d] = [walk for postings, vectors, weight in self._postings_by_weight
                          for walk in self._walks_of(vectors[d], postings, weight)]

    def _links(self) -> list[dict[int, str]]:
        """Per article: linked article -> "cites" / "cited" / "both" (citations either way)."""
        links: list[dict[int, str]] = [{} for _ in self.docs]
        for i, a in enumerate(self.docs):
            for target in sorted(a.cites):
                j = self.position.get(target)
                if j is None or j == i:  # outside the archive, or a self-citation
                    continue
                links[i][j] = "both" if links[i].get(j) == "cited" else "cites"
                links[j][i] = "both" if links[j].get(i) == "cites" else "cited"
        return links

    # -- scoring ----------------------------------------------------------------------------

    def _candidates(self, d: int) -> dict[int, float]:
        """Every article sharing anything with d -> its score without recency (the text and tags
        parts as far as the champion lists show them)."""
        c = self.config
        acc: dict[int, float] = {}
        get = acc.get
        for docs, weights, scale in self._walks[d]:
            for e, w in zip(docs, weights):  # the hot loop of the whole module
                acc[e] = get(e, 0.0) + scale * w
        if c.shared_sources:
            shared: dict[int, float] = {}
            for docs, r in self._source_walks[d]:
                for e in docs:
                    shared[e] = shared.get(e, 0.0) + r
            for e, total in shared.items():
                acc[e] = get(e, 0.0) + c.shared_sources * (1 - 0.5 ** total)
        series = self.docs[d].series
        if series and c.series:
            for e in self.series_members[series]:
                acc[e] = get(e, 0.0) + c.series
        if c.citation:
            for e in self.links[d]:
                acc[e] = get(e, 0.0) + c.citation
        acc.pop(d, None)
        return acc

    def _shortlist(self, d: int, acc: dict[int, float]) -> list[int]:
        """The candidates worth scoring exactly: those that can make the top ``limit`` by their
        approximate score once recency is added (exactly so when no champion list was cut)."""
        k = self.config.limit
        if len(acc) <= k:
            return list(acc)
        # Recency adds at most its weight: anything further below the k-th best cannot make it.
        # For the rest recency is cheap to add, then cut to the k best (and their ties).
        threshold = nlargest(k, acc.values())[-1] - self.config.recency - 1e-9
        candidates = list(compress(acc.keys(), map(threshold.__le__, acc.values())))
        if len(candidates) <= k or not self.config.recency:
            return candidates
        day, days, decay, weight = self._days[d], self._days, self._decay, self.config.recency
        scores = [acc[e] + (weight * math.exp(-decay * abs(day - days[e])) if day and days[e] else 0.0)
                  for e in candidates]
        threshold = nlargest(k, scores)[-1] - 1e-9
        return list(compress(candidates, map(threshold.__le__, scores)))

    def components(self, d: int, e: int) -> dict[str, float]:
        """Exact weighted components of e as related to d, rounded; zero ones left out."""
        c = self.config
        a, b = self.docs[d], self.docs[e]
        out: dict[str, float] = {}
        if e in self.links[d]:
            out["citation"] = c.citation
        shared = a.sources & b.sources
        if shared:
            rarities = [self.source_rarity.get(s, 0.0) for s in (sorted(shared) if len(shared) > 1 else shared)]
            out["shared_sources"] = c.shared_sources * (1 - 0.5 ** sum(rarities))
        if a.series and a.series == b.series:
            out["series"] = c.series
        for name, vectors in (("tags", self.tag_vectors), ("text", self.text_vectors)):
            if vectors[d] and vectors[e]:
                out[name] = getattr(c, name) * _dot(vectors[d], vectors[e])
        day, other = self._days[d], self._days[e]
        if day and other and c.recency and any(out.values()):
            out["recency"] = c.recency * math.exp(-self._decay * abs(day - other))
        out = {name: round(value, 4) for name, value in out.items()}
        return {name: value for name, value in out.items() if value > 0}

    def related(self, only: Iterable[str] | None = None) -> dict[str, list[Relation]]:
        """Every article id (or those in ``only``) -> its related articles, best first (score desc, then id)."""
        started = time.perf_counter()
        c = self.config
        wanted = None if only is None else {self.position[i] for i in only if i in self.position}
        chosen: list[list[tuple[float, int, dict[str, float]]]] = []
        for d in range(len(self.docs) if c.limit else 0):
            scored = []
            if wanted is not None and d not in wanted:
                chosen.append(scored)
                continue
            for e in self._shortlist(d, self._candidates(d)):
                parts = self.components(d, e)
                score = round(sum(parts.values()), 4)
                if parts and score >= c.min_score:
                    scored.append((score, e, parts))
            # Positions follow the ids (the docs are sorted by id): ties go to the smaller id.
            scored.sort(key=lambda s: (-s[0], s[1]))
            chosen.append(scored[: c.limit])
        chosen += [[] for _ in range(len(self.docs) - len(chosen))]
        themes = {(d, e): self._shared_terms(d, e) for d, picks in enumerate(chosen)
                  for _, e, parts in picks if "text" in parts}
        words = self.analyzer.surfaces({t for terms in themes.values() for t in terms})
        out = {
            self.docs[d].id: [Relation(self.docs[e].id, score, parts,
                                       self.reason(d, e, parts, themes.get((d, e), []), words))
                              for score, e, parts in picks]
            for d, picks in enumerate(chosen) if wanted is None or d in wanted
        }
        self.timings["scoring"] = time.perf_counter() - started
        return out

    # -- reasons ----------------------------------------------------------------------------

    def _shared_terms(self, d: int, e: int) -> list[str]:
        """Shared stems, biggest contribution to the text similarity first (then alphabetical)."""
        a, b = self.text_vectors[d], self.text_vectors[e]
        shared = sorted(a.keys() & b.keys(), key=lambda t: (-a[t] * b[t], t))
        return shared[: self.config.reason_terms + self.config.reason_tags]  # room for tag duplicates

    def reason(self, d: int, e: int, parts: dict[str, float], terms: list[str], words: dict[str, str]) -> str:
        """The short German explanation readers see: only the parts that apply, joined by " · "."""
        a, b = self.docs[d], self.docs[e]
        bits = []
        if "citation" in parts:
            bits.append({"cites": "wird hier zitiert", "cited": "zitiert diesen Artikel",
                         "both": "zitieren sich gegenseitig"}[self.links[d][e]])
        n = len(a.sources & b.sources)
        if n:
            bits.append("1 gemeinsame Quelle" if n == 1 else f"{n} gemeinsame Quellen")
        if "series" in parts:
            bits.append("gleiche Serie")
        tags = [t for t in self._tags_by_rarity[d] if t in b.tags][: self.config.reason_tags]
        if tags:
            bits.append("Schlagwörter: " + ", ".join(tags))
        # Themes only when the texts are really alike (or nothing else can be said): a few
        # shared everyday words would make a misleading reason.
        if "text" in parts and (parts["text"] >= _THEMES_MIN_COSINE * self.config.text or not bits):
            # A word already named as a tag ("Belarus") is not repeated as a theme.
            said = set().union(*(self._tag_said[t] for t in tags))
            themes = [words.get(stem, stem) for stem in terms if stem not in said]
            if themes:
                bits.append("ähnliche Themen: " + ", ".join(themes[: self.config.reason_terms]))
        return " · ".join(bits)


_THEMES_MIN_COSINE = 0.1


def related(inputs: Iterable[RelatedInput], config: RelatedConfig | None = None,
            analyzer: GermanAnalyzer | None = None) -> dict[str, list[Relation]]:
    """Every article id -> its related articles (at most ``config.limit``), best first."""
    return RelatedIndex(inputs, config, analyzer).related()
