"""The cross-link graph at scale: build_graph + related articles + source index, without MkDocs.

    .venv/bin/python bench/graph_bench.py --n 1000 --n 10000 [--rounds 3]

Generates the archive with bench/generate.py (reused while the generator is unchanged,
like `make bench`), reads it with the library (timed as "read", not part of the graph),
then times what the site computes from it per build: the citation graph with series,
backlinks and source uses (build_graph), the related articles of every article
(RelatedIndex + related(), with a fresh analyzer: a first build, nothing cached), and
the source index pages. Medians over the rounds. Not a test; no time is asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ensure_archive  # noqa: E402

from commentary.archive import load_archive  # noqa: E402
from commentary.graph import article_text, build_graph, related_inputs  # noqa: E402
from commentary.related import GermanAnalyzer, RelatedConfig, RelatedIndex  # noqa: E402
from commentary.source_index import locations, paginate_index  # noqa: E402


def one_round(archive) -> dict[str, float]:
    times = {}
    started = time.perf_counter()
    graph = build_graph(archive, "https://archiv.example/")
    times["graph"] = time.perf_counter() - started
    started = time.perf_counter()
    article_text.cache_clear()  # a first build: nothing prepared yet
    config = RelatedConfig()
    index = RelatedIndex(related_inputs(archive, graph, config.max_words), config, GermanAnalyzer(config.min_term_length))
    related = index.related()
    times["related"] = time.perf_counter() - started
    started = time.perf_counter()
    locations(paginate_index(graph))
    times["source index"] = time.perf_counter() - started
    times["total"] = sum(times.values())
    assert len(related) == len(archive.articles)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="archive sizes (default 1000 and 10000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("BENCH_OUT", HERE / "out")))
    args = parser.parse_args(argv)
    rows = []
    for n in args.n or [1000, 10000]:
        folder = ensure_archive(n, args.out)
        started = time.perf_counter()
        archive = load_archive(folder / "docs", folder / "bib", folder)
        read = time.perf_counter() - started
        gc.freeze()  # as the site's build does after reading the archive (hooks/_site.py)
        rounds = [one_round(archive) for _ in range(args.rounds)]
        median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        rows.append((n, len(archive.bibliography.sources), read, median, os.getloadavg()))
        print(f"N={n}: graph {median['graph']:.2f} s, related {median['related']:.2f} s, "
              f"source index {median['source index']:.2f} s, total {median['total']:.2f} s "
              f"(read {read:.1f} s; load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
    print("| articles | sources | graph (s) | related (s) | source index (s) | total (s) | reading the archive (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, sources, read, median, _ in rows:
        print(f"| {n:,} | {sources:,} | {median['graph']:.2f} | {median['related']:.2f} | "
              f"{median['source index']:.2f} | {median['total']:.2f} | {read:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
