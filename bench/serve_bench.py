"""The live preview: how long after saving an edit does the served article show it?

    make bench-serve                     # N from BENCH_N (default 1000), BENCH_EDITS edits (default 5)
    python bench/serve_bench.py --n 100 --edits 5 --variants full,peer

Starts `mkdocs serve` (exactly as the Makefile's `serve` recipe runs it, read by
variants.serve_command; the same command for the peer) on a free port over
the generated archive, waits until the first build is served, then repeatedly appends a
unique marker word to a paragraph of one article (the archive's probe: part of a series
and cited by a later article) and polls the served page until the marker is there.
MkDocs' dev server holds every request while a rebuild runs, so "visible" means the
rebuild that contains the edit has finished: what a reader's browser shows when its
live-reload fires. After each edit it also checks that the page still has its series,
related and backlink sections (full variant only). The file is restored afterwards.
Last line: `edit visible after: X.X s median (N=...)`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import variants  # noqa: E402
from run import RESULTS, ensure_archive, load, machine  # noqa: E402

# Sections that must survive an edit (CSS class selectors on the article page, full variant).
SERIES_SELECTOR = ".ka-series"
RELATED_SELECTOR = ".ka-related"
CITEDBY_SELECTOR = ".ka-citedby"
SECTIONS = (SERIES_SELECTOR, RELATED_SELECTOR, CITEDBY_SELECTOR)

POLL_INTERVAL = 0.05  # seconds between two requests for the page
REQUEST_TIMEOUT = 900  # a request may wait for a whole rebuild
SETTLE = 1.0  # seconds of quiet after an edit became visible, before the next edit


class _Classes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.classes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())


def sections_present(html: str) -> dict[str, bool]:
    parser = _Classes()
    parser.feed(html)
    return {selector: selector.lstrip(".") in parser.classes for selector in SECTIONS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def edit(text: str, marker: str) -> str:
    """Append ` marker` to the second paragraph of the body (a plain paragraph, not a heading or note)."""
    head, sep, body = text.partition("\n---\n")  # end of the front matter (the peer's too)
    blocks = body.split("\n\n")
    plain = [i for i, b in enumerate(blocks) if b.strip() and not b.lstrip().startswith(("#", "[^", "<!--", "---"))]
    index = plain[1] if len(plain) > 1 else plain[0]
    blocks[index] = blocks[index].rstrip() + " " + marker
    return head + sep + "\n\n".join(blocks)


class Server:
    """`mkdocs serve` in its own process group, its log in a file."""

    def __init__(self, folder: Path, log: Path, env: dict, command: list[str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [part.replace("{addr}", f"127.0.0.1:{self.port}") for part in command]
        self.log = log
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=folder, env=env, stdout=open(log, "w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def bench_variant(name: str, folder: Path, post: Path, url_path: str, edits: int, logs: Path,
                  first_build_limit: float, command: list[str]) -> dict:
    result: dict = {"page": "/" + url_path, "file": str(post.relative_to(folder)), "command": shown(command)}
    original = post.read_bytes()
    server = Server(folder, logs / f"serve-{name}.log", variants.full_env(folder) if name == "full" else variants.ENV,
                    command)
    page_url = server.url + url_path
    try:
        # 1. the first build: wait until the article is served
        deadline = time.monotonic() + first_build_limit
        while True:
            status, html = fetch(page_url)
            if status == 200:
                break
            if not server.alive():
                raise RuntimeError(f"mkdocs serve exited with {server.process.returncode}; see {server.log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the page was not served within {first_build_limit:.0f} s; see {server.log}")
            time.sleep(0.5)
        result["first_build_served_s"] = round(time.perf_counter() - server.started, 1)
        result["sections_before"] = sections_present(html) if name == "full" else None
        time.sleep(SETTLE)
        # 2. the edits
        seconds: list[float] = []
        sections_after: list[dict] = []
        stamp = datetime.now().strftime("%H%M%S")
        for i in range(edits):
            marker = f"Bankmarke{stamp}x{i}"
            text = edit(post.read_text(encoding="utf-8"), marker)
            post.write_text(text, encoding="utf-8")
            saved = time.perf_counter()
            while True:
                status, html = fetch(page_url)
                if status == 200 and marker in html:
                    break
                if not server.alive():
                    raise RuntimeError(f"mkdocs serve exited with {server.process.returncode}; see {server.log}")
                if time.perf_counter() - saved > REQUEST_TIMEOUT:
                    raise RuntimeError(f"edit {i + 1} not visible after {REQUEST_TIMEOUT} s; see {server.log}")
                time.sleep(POLL_INTERVAL)
            seconds.append(time.perf_counter() - saved)
            if name == "full":
                sections_after.append(sections_present(html))
            print(f"{name}: edit {i + 1}: visible after {seconds[-1]:.2f} s (load {load()})", file=sys.stderr, flush=True)
            time.sleep(SETTLE)
        result.update({
            "edits": len(seconds), "runs_s": [round(s, 2) for s in seconds],
            "median_s": statistics.median(seconds), "min_s": min(seconds), "max_s": max(seconds),
        })
        if name == "full":
            before = result["sections_before"]
            result["sections_after"] = {s: all(a[s] for a in sections_after) for s in SECTIONS}
            result["sections_kept"] = all(result["sections_after"][s] or not before[s] for s in SECTIONS)
            result["sections_complete"] = all(before.values()) and all(result["sections_after"].values())
    finally:
        post.write_bytes(original)
        server.stop()
    return result


def shown(command: list[str]) -> str:
    return " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seconds from saving an edit to seeing it in `mkdocs serve`.")
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 1000)))
    parser.add_argument("--edits", type=int, default=int(os.environ.get("BENCH_EDITS", 5)))
    parser.add_argument("--variants", default=os.environ.get("BENCH_SERVE_VARIANTS", "full"),
                        help="comma-separated: full, peer (default full; the peer rebuilds everything on each edit)")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("BENCH_OUT", HERE / "out")))
    parser.add_argument("--first-build-limit", type=float, default=1800, help="seconds to wait for the first build")
    parser.add_argument("--ref", default=os.environ.get("BENCH_REF") or None,
                        help="take the full variant's files from this git commit (default: the working tree)")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args(argv)
    if args.edits < 1:
        parser.error("--edits must be at least 1")
    wanted = [v.strip() for v in args.variants.split(",") if v.strip()]

    started = datetime.now()
    report: dict = {"date": started.isoformat(timespec="seconds"), "n": args.n, "machine": machine(),
                    "load_before": load(), "variants": {}}
    source, report["full_source"] = variants.repo_source(args.ref, args.out / "repo-snapshot-serve")
    command = variants.serve_command(source)  # as `make serve` runs it, for both variants
    report["command"] = shown(command)
    archive = ensure_archive(args.n, args.out)
    probe = variants.archive_summary(archive)["probe"]
    logs = args.out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        try:
            if name == "full":
                missing = variants.full_missing(source)
                if missing:
                    raise RuntimeError(missing)
                folder = variants.prepare_full(archive, args.out / f"serve-full-N{args.n}", source)
                post, url_path = folder / "docs" / "artikel" / f"{probe['slug']}.md", variants.full_url(probe["slug"])
            else:
                folder = variants.prepare_peer(archive, args.out / f"serve-peer-N{args.n}")
                post, url_path = folder / variants.peer_post_path(probe["slug"]), variants.peer_url(probe["slug"], probe["date"])
            load_before = load()
            report["variants"][name] = bench_variant(name, folder, post, url_path, args.edits, logs,
                                                     args.first_build_limit, command)
            report["variants"][name].update({"date": datetime.now().isoformat(timespec="seconds"),
                                             "load_before": load_before, "load_after": load()})
        except Exception as error:
            report["variants"][name] = {"error": f"{type(error).__name__}: {error}"}
            print(f"{name}: {error}", file=sys.stderr)
    report["load_after"] = load()
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{started:%Y-%m-%d}-serve-N{args.n}.json"
        if path.is_file():  # keep the other variant measured the same day (e.g. a peer-only run)
            earlier = json.loads(path.read_text(encoding="utf-8")).get("variants", {})
            report["variants"] = {**{k: v for k, v in earlier.items() if k not in report["variants"]}, **report["variants"]}
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(variants.REPO)}", file=sys.stderr)

    print(f"\nMachine: {report['machine']['cores']} cores; load before {report['load_before']}, "
          f"after {report['load_after']}; article {probe['slug']}")
    src = report["full_source"]
    dirty = f", with uncommitted changes in {', '.join(src['uncommitted'])}" if src["uncommitted"] else ""
    print(f"full variant from the {src['source']} at {src['commit']}{dirty}\n")
    print(f"| N = {args.n} | command | first build served (s) | edit visible, median (s) | min–max (s) | edits | sections kept |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for name, data in report["variants"].items():
        if "error" in data:
            print(f"| {name} | – | – | – | – | – | {data['error']} |")
            continue
        kept = "n/a (no such sections)" if name != "full" else (
            ", ".join(f"{s} {'yes' if data['sections_after'][s] else ('NO' if data['sections_before'][s] else 'absent before')}"
                      for s in SECTIONS))
        print(f"| {name} | `{data.get('command', '?')}` | {data['first_build_served_s']:.1f} | {data['median_s']:.1f} | "
              f"{data['min_s']:.1f}–{data['max_s']:.1f} | {data['edits']} | {kept} |")
    print()
    main_variant = "full" if "full" in wanted else wanted[0]
    data = report["variants"].get(main_variant, {})
    if "median_s" in data:
        label = "" if main_variant == "full" else f", {main_variant}"
        print(f"edit visible after: {data['median_s']:.1f} s median (N={args.n}{label})")
        return 0 if data.get("sections_kept", True) else 1
    print(f"edit visible after: n/a ({main_variant}: {data.get('error', 'not measured')}, N={args.n})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
