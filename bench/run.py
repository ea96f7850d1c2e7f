"""Build the full site and the peer (a plain Material blog) side by side and compare them.

    make bench                      # N from BENCH_N (default 1000), BENCH_ROUNDS rounds (default 3)
    python bench/run.py --n 100 --rounds 5 --variants peer

One run: generate (or reuse) the synthetic archive, set up both variants (see variants.py),
then build them alternately, round after round (full-peer, peer-full, ...: drift on a
shared machine hits both), and report medians and ratios, peak memory, the size of
site/, and the bytes a reader's browser fetches for the first search (measured in
headless Chromium). Writes bench/results/<date>-N<n>.json and prints a Markdown table;
the last line reads `full/peer build ratio: X.XX (full A s, peer B s, N=...)`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import variants  # noqa: E402

RESULTS = HERE / "results"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def ensure_archive(n: int, out: Path) -> Path:
    """Generate the archive for N, or reuse it if the generator has not changed since."""
    archive = out / f"archive-N{n}"
    generator = (HERE / "generate.py").read_bytes()
    stamp = hashlib.sha256(generator + str(n).encode()).hexdigest()
    stamp_file = archive / ".stamp"
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return archive
    print(f"generating {n} articles into {archive} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--n", str(n), "--out", str(archive)],
                   check=True, stdout=subprocess.DEVNULL)
    stamp_file.write_text(stamp)
    return archive


def build(variant: str, folder: Path, logs: Path, label: str) -> measure.Build:
    measure.clean(folder / "site")
    result = measure.Build()
    command = variants.FULL_BUILD if variant == "full" else variants.PEER_BUILD
    env = variants.full_env(folder) if variant == "full" else variants.ENV
    result.add(measure.run_timed(command, folder, env, logs / f"{label}.log"))
    if variant == "full" and result.ok and not (folder / "site" / "pagefind").is_dir():
        result.add(measure.run_timed(variants.FULL_SEARCH_INDEX, folder, env, logs / f"{label}-pagefind.log"))
    return result


def machine() -> dict:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "mkdocs-bibtex", "pagefind"):
        try:
            from importlib.metadata import version
            versions[package] = version(package)
        except Exception:  # not installed
            versions[package] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=variants.REPO, capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(memory, 1), "python": platform.python_version(),
            "versions": versions, "commit": commit}


def summarise(builds: list[measure.Build]) -> dict:
    ok = [b for b in builds if b.ok]
    if not ok:
        return {"ok": False}
    seconds = [b.seconds for b in ok]
    return {
        "ok": len(ok) == len(builds),
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "runs_s": [round(s, 2) for s in seconds],
        "cpu_median_s": statistics.median(b.cpu_seconds for b in ok),
        "peak_rss_mb": max(b.peak_rss_mb for b in ok),
        "steps_median_s": {" ".join(Path(c).name for c in step.command[:2]): statistics.median(b.steps[i].seconds for b in ok)
                           for i, step in enumerate(ok[0].steps)},
    }


def mb(value: float | int | None) -> str:
    return "–" if value is None else f"{value / 1e6:.1f}"


def table(report: dict) -> str:
    full, peer = report["variants"].get("full", {}), report["variants"].get("peer", {})

    def cell(data: dict, key: str, fmt) -> str:
        value = data.get(key)
        return fmt(value) if value is not None else "–"

    def ratio(key: str) -> str:
        a, b = full.get(key), peer.get(key)
        return f"{a / b:.2f}" if a and b else "–"

    rows = [
        ("build, median (s)", "median_s", lambda v: f"{v:.1f}"),
        ("build, min–max (s)", None, None),
        ("build CPU time, median (s)", "cpu_median_s", lambda v: f"{v:.1f}"),
        ("peak memory (MB)", "peak_rss_mb", lambda v: f"{v:.0f}"),
        ("site/ size (MB)", "site_bytes", mb),
        ("site/ files", "site_files", str),
        ("first search, bytes sent (MB)", "search_bytes", mb),
        ("first search, gzipped (MB)", "search_bytes_gzip", mb),
        ("first search, requests", "search_requests", str),
        ("first search, results after (s)", "results_after_s", lambda v: f"{v:.1f}"),
    ]
    out = [f"| N = {report['n']}, {report['rounds']} rounds | full | peer | full/peer |", "| --- | ---: | ---: | ---: |"]
    for title, key, fmt in rows:
        if key is None:
            span = lambda d: f"{d['min_s']:.1f}–{d['max_s']:.1f}" if "min_s" in d else "–"  # noqa: E731
            out.append(f"| {title} | {span(full)} | {span(peer)} | |")
        else:
            out.append(f"| {title} | {cell(full, key, fmt)} | {cell(peer, key, fmt)} | {ratio(key)} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Full site vs. plain Material blog, side by side.")
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 1000)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    parser.add_argument("--variants", default=os.environ.get("BENCH_VARIANTS", "full,peer"),
                        help="comma-separated: full, peer (default both)")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("BENCH_OUT", HERE / "out")),
                        help="work folder for the archive and the builds (default bench/out)")
    parser.add_argument("--ref", default=os.environ.get("BENCH_REF") or None,
                        help="take the full variant's config, hooks, overrides and library from this git commit "
                             "(default: the working tree as it is when the run starts)")
    parser.add_argument("--no-search", action="store_true", help="skip the first-search measurement in Chromium")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args(argv)
    wanted = [v.strip() for v in args.variants.split(",") if v.strip()]

    started = datetime.now()
    report: dict = {"date": started.isoformat(timespec="seconds"), "n": args.n, "rounds": args.rounds,
                    "machine": machine(), "load_before": load(), "variants": {}, "notes": []}
    archive = ensure_archive(args.n, args.out)
    summary = variants.archive_summary(archive)
    report["archive"] = {k: v for k, v in summary.items() if k != "probe"}
    folders: dict[str, Path] = {}
    if "full" in wanted:
        source, report["full_source"] = variants.repo_source(args.ref, args.out / "repo-snapshot")
        missing = variants.full_missing(source)
        if missing:
            report["variants"]["full"] = {"ok": False, "error": missing}
        else:
            folders["full"] = variants.prepare_full(archive, args.out / f"full-N{args.n}", source)
    if "peer" in wanted:
        folders["peer"] = variants.prepare_peer(archive, args.out / f"peer-N{args.n}")

    logs = args.out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    builds: dict[str, list[measure.Build]] = {name: [] for name in folders}
    failed: dict[str, str] = {}
    for round_no in range(args.rounds):
        order = list(folders) if round_no % 2 == 0 else list(reversed(folders))
        for name in order:
            if name in failed:
                continue
            label = f"N{args.n}-{name}-{round_no + 1}"
            result = build(name, folders[name], logs, label)
            builds[name].append(result)
            state = "ok" if result.ok else "FAILED"
            print(f"round {round_no + 1}: {name:4} {result.seconds:7.1f} s ({result.cpu_seconds:.1f} s CPU)  "
                  f"{result.peak_rss_mb:6.0f} MB  {state}  (load {load()})",
                  file=sys.stderr, flush=True)
            if not result.ok:
                bad = next(s for s in result.steps if s.returncode)
                failed[name] = f"`{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(bad.command))}` exited {bad.returncode}"
                report["variants"][name] = {"ok": False, "error": failed[name], "log": bad.log,
                                            "log_tail": measure.log_tail(bad.log)}
                print(f"{name} build failed; last lines of {bad.log}:\n{measure.log_tail(bad.log)}", file=sys.stderr)

    for name, folder in folders.items():
        if name in failed:
            continue
        data = summarise(builds[name])
        data["site_bytes"], data["site_files"] = measure.tree_size(folder / "site")
        if not args.no_search:
            try:
                probe = summary["probe"]
                start = variants.full_url(probe["slug"]) if name == "full" else variants.peer_url(probe["slug"], probe["date"])
                data.update(measure.first_search(folder / "site", name, summary["query"], start))
            except Exception as error:  # no browser here: the build numbers still count
                data["search_error"] = f"{type(error).__name__}: {error}"
                print(f"first-search measurement failed for {name}: {data['search_error']}", file=sys.stderr)
        report["variants"][name] = data
    report["load_after"] = load()
    report["seconds_total"] = round((datetime.now() - started).total_seconds())

    full, peer = report["variants"].get("full", {}), report["variants"].get("peer", {})
    if full.get("median_s") and peer.get("median_s"):
        report["ratio"] = round(full["median_s"] / peer["median_s"], 3)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{started:%Y-%m-%d}-N{args.n}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(variants.REPO)}", file=sys.stderr)

    print(f"\nMachine: {report['machine']['cores']} cores, {report['machine']['cpu']}, {report['machine']['memory_gb']} GB; "
          f"load before {report['load_before']}, after {report['load_after']} (1/5/15 min)\n")
    print(table(report))
    if report.get("full_source"):
        src = report["full_source"]
        dirty = f", with uncommitted changes in {', '.join(src['uncommitted'])}" if src["uncommitted"] else ""
        print(f"\nfull variant from the {src['source']} at {src['commit']}{dirty}")
    for name in ("full", "peer"):
        data = report["variants"].get(name, {})
        if data.get("method"):
            print(f"\n{name} first search: from {data['start_page']}, query '{data['query']}', {data['method']}, "
                  f"{data.get('results_shown', 0)} results shown")
            if data.get("browser_errors"):
                print(f"{name} browser errors: {'; '.join(data['browser_errors'])}")
        if data.get("steps_median_s") and len(data["steps_median_s"]) > 1:
            print(f"{name} steps (median s): " + ", ".join(f"{k} {v:.1f}" for k, v in data["steps_median_s"].items()))
        if data.get("error"):
            print(f"\n{name}: not measured: {data['error']}")
    print()
    if "ratio" in report:
        print(f"full/peer build ratio: {full['median_s'] / peer['median_s']:.2f} (full {full['median_s']:.1f} s, peer {peer['median_s']:.1f} s, N={args.n})")
        return 0
    reason = full.get("error") or ("not requested" if "full" not in wanted else "failed")
    peer_part = f"peer {peer['median_s']:.1f} s" if peer.get("median_s") else "peer n/a"
    print(f"full/peer build ratio: n/a (full: {reason}; {peer_part}, N={args.n})")
    return 0 if "full" not in wanted else 1


if __name__ == "__main__":
    sys.exit(main())
