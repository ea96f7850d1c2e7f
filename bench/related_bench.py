"""Benchmark of the related-articles scorer on synthetic archives (not a test).

    python bench/related_bench.py --n 1000 --n 10000 [--runs 3] [--set max_words=0] [--bases 40000]
                                  [--quality] [--no-memory]

Synthetic articles, fixed seed: ~1,800 words each, drawn Zipf-like from real German stop words and
a few thousand pseudo-German words (stems with German endings, nouns capitalised), with a topic
vocabulary per article so that related articles exist; 3-5 tags of ~300, 15 cited sources of
20,000 (some popular, some topic-specific), series of 4-10 parts, some citations of earlier
articles. Reports per phase the median of the runs (cold: a fresh analyzer that stems every
word again; warm: the stems of an earlier run kept), the peak memory of one extra run measured
with tracemalloc (which slows it, so it is not timed) and, with --quality, how close the bounded
search comes to an exact reference. --bases 40000 gives a vocabulary closer to real German
(~40,000 distinct words per 1,000 articles), where cold stemming dominates. Others may be using
the CPU: the load average is printed, and CPU time next to wall time.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from commentary.related import GERMAN_STOP_WORDS, GermanAnalyzer, RelatedConfig, RelatedIndex, RelatedInput  # noqa: E402

SEED = 20240312
WORDS_PER_ARTICLE = 1800
TAGS = 300
SOURCES = 20_000
TOPICS = 120

_ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "br", "dr", "fr", "gr",
           "kr", "pr", "tr", "sch", "st", "sp", "schw", "str", "pf", "kl", "fl", "gl", "bl", "pl", "ch", ""]
_NUCLEI = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "eu", "ie"]
_CODAS = ["", "n", "r", "l", "s", "t", "ch", "ng", "nd", "rt", "st", "lt", "ck", "tz", "ß", "rk", "mm", "ff"]
_NOUN_ENDINGS = ["", "en", "e", "es", "s", "n", "ung", "ungen", "er", "ern"]
_OTHER_ENDINGS = ["", "en", "e", "er", "es", "em", "lich", "liche", "lichen", "ig", "ige", "igen", "t", "te"]


def pseudo_words(rng: random.Random, bases: int) -> list[str]:
    """Pseudo-German word forms: 1-3 syllable stems, each in 2-3 inflected forms."""
    stems: set[str] = set()
    while len(stems) < bases:
        syllables = rng.choice((1, 2, 2, 2, 3, 3))
        stems.add("".join(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS) for _ in range(syllables)))
    words = []
    for stem in sorted(stems):
        noun = rng.random() < 0.45
        endings = rng.sample(_NOUN_ENDINGS if noun else _OTHER_ENDINGS, rng.choice((2, 3)))
        words.extend((stem + e).capitalize() if noun else stem + e for e in endings)
    rng.shuffle(words)
    return words


def zipf_cumulative(n: int, s: float = 1.0) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        out.append(total)
    return out


def synthetic_archive(n: int, seed: int = SEED, bases: int = 3000) -> list[RelatedInput]:
    rng = random.Random(seed)
    stop = sorted(GERMAN_STOP_WORDS)
    rng.shuffle(stop)
    vocabulary = pseudo_words(rng, bases)
    stop_cum, vocab_cum = zipf_cumulative(len(stop)), zipf_cumulative(len(vocabulary), 1.05)
    topic_words = [rng.sample(vocabulary[300:], 80) for _ in range(TOPICS)]  # not the commonest words
    topic_cum = zipf_cumulative(80, 0.8)
    topic_tags = [rng.sample(range(TAGS), 3) for _ in range(TOPICS)]
    topic_sources = [rng.sample(range(SOURCES), 40) for _ in range(TOPICS)]
    tag_names = [f"Schlagwort{i:03d}" for i in range(TAGS)]
    tag_cum, source_cum = zipf_cumulative(TAGS, 0.7), zipf_cumulative(SOURCES, 0.6)

    articles = []
    series_left, series_name, series_topic = 0, None, 0
    start = date(2015, 1, 1)
    for i in range(n):
        if series_left == 0 and rng.random() < 0.06:  # about a third of the articles in series
            series_left, series_name, series_topic = rng.randint(4, 10), f"serie-{i}", rng.randrange(TOPICS)
        if series_left:
            series_left -= 1
            topic = series_topic
            series = series_name
            if series_left == 0:
                series_name = None
        else:
            topic, series = rng.randrange(TOPICS), None
        words = (rng.choices(stop, cum_weights=stop_cum, k=800)
                 + rng.choices(vocabulary, cum_weights=vocab_cum, k=750)
                 + rng.choices(topic_words[topic], cum_weights=topic_cum, k=250))
        rng.shuffle(words)
        for j in range(0, len(words), 14):  # sentences: capital letter, full stop
            words[j] = words[j].capitalize()
            words[j + 13 if j + 13 < len(words) else -1] += "."
        tags = {tag_names[t] for t in rng.sample(topic_tags[topic], 2)}
        while len(tags) < rng.randint(3, 5):
            tags.add(tag_names[rng.choices(range(TAGS), cum_weights=tag_cum)[0]])
        sources = set(rng.sample(topic_sources[topic], 4))
        while len(sources) < 15:
            sources.add(rng.choices(range(SOURCES), cum_weights=source_cum)[0])
        cites = set()
        if i and rng.random() < 0.3:
            cites = {f"artikel/a{rng.randrange(i):05d}.md" for _ in range(rng.randint(1, 2))}
        articles.append(RelatedInput(
            id=f"artikel/a{i:05d}.md",
            text=" ".join(words),
            tags=tuple(sorted(tags)),
            series=series,
            sources=frozenset(f"src{s:05d}" for s in sources),
            cites=frozenset(cites),
            date=start + timedelta(days=i * 3650 // max(n, 1)),
        ))
    return articles


def run(articles: list[RelatedInput], config: RelatedConfig, analyzer: GermanAnalyzer) -> dict[str, float]:
    started, cpu = time.perf_counter(), time.process_time()
    index = RelatedIndex(articles, config, analyzer)
    result = index.related()
    timings = dict(index.timings, total=time.perf_counter() - started, cpu=time.process_time() - cpu)
    timings["relations"] = sum(map(len, result.values()))
    timings["words"] = len(analyzer.stems)
    return timings


def peak_memory(articles: list[RelatedInput], config: RelatedConfig) -> float:
    """MiB allocated at the peak of one cold run, beyond the articles themselves."""
    tracemalloc.start()
    index = RelatedIndex(articles, config, GermanAnalyzer(config.min_term_length))
    index.related()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def quality(articles: list[RelatedInput], config: RelatedConfig, analyzer: GermanAnalyzer) -> float:
    """How good the bounded search is: the exact score (under a reference that reads every word,
    keeps 20 terms and cuts no champion list) of the relations chosen, as a share of the
    reference's own best relations. 1.0: as good as the reference."""
    reference = RelatedIndex(articles, replace(config, max_words=None, max_terms=max(20, config.max_terms),
                                               max_postings=10**9), analyzer)
    best = reference.related()
    chosen = RelatedIndex(articles, config, analyzer).related()
    at = reference.position
    got = sum(sum(reference.components(at[d], at[r.target]).values()) for d, rs in chosen.items() for r in rs)
    return got / sum(r.score for rs in best.values() for r in rs)


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="number of articles (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a RelatedConfig setting, e.g. max_words=0 (0: null) or max_postings=100")
    parser.add_argument("--bases", type=int, default=3000, help="pseudo-German stems in the vocabulary")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--quality", action="store_true", help="also compare with an exact reference (slow)")
    args = parser.parse_args(argv)
    settings = {}
    for item in args.set:
        key, _, value = item.partition("=")
        settings[key] = None if value in ("0", "null", "None") and key == "max_words" else float(value)
    config = RelatedConfig.from_mapping(settings)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  cpus: {os.cpu_count()}  "
          f"python {sys.version.split()[0]}  stemmer: {type(GermanAnalyzer()._stemmer).__module__}  "
          f"max_words={config.max_words} max_terms={config.max_terms} max_postings={config.max_postings}")
    rows = []
    for n in args.n or [1000, 10_000]:
        t = time.perf_counter()
        articles = synthetic_archive(n, bases=args.bases)
        words = sum(len(a.text.split()) for a in articles)
        print(f"N={n}: generated {words:,} words in {time.perf_counter() - t:.1f} s", flush=True)
        # cold: a fresh analyzer, every distinct word stemmed again (a first build);
        # warm: the analyzer of an earlier run, stems and token keys cached (a rebuild, or
        # a build given the stems of the previous one).
        cold = [run(articles, config, GermanAnalyzer(config.min_term_length)) for _ in range(args.runs)]
        analyzer = GermanAnalyzer(config.min_term_length)
        run(articles, config, analyzer)
        warm = [run(articles, config, analyzer) for _ in range(args.runs)]
        memory = float("nan") if args.no_memory else peak_memory(articles, config)
        if args.quality:
            print(f"  quality vs exact reference: {quality(articles, config, analyzer):.3f}", flush=True)
        for label, runs in (("cold", cold), ("warm", warm)):
            row = median_of(runs)
            row.update(n=n, label=label, memory=memory if label == "cold" else float("nan"))
            rows.append(row)
            totals = ", ".join(f"{r['total']:.2f}" for r in runs)
            print(f"  {label} runs (total s): {totals}", flush=True)
    print()
    print("| articles | stems | analysis s | index s | scoring s | total s | total CPU s | peak MiB | distinct words "
          "| relations |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        memory = "" if math.isnan(r["memory"]) else f"{r['memory']:.0f}"
        print(f"| {r['n']:,} | {r['label']} | {r['analysis']:.2f} | {r['index']:.2f} | {r['scoring']:.2f} | "
              f"{r['total']:.2f} | {r['cpu']:.2f} | {memory} | {r['words']:,.0f} | {r['relations']:,.0f} |")
    print(f"\nmedians of {args.runs} runs each; load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
