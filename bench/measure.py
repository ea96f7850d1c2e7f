"""Measuring one build and one site: wall time, peak memory, output size, first-search bytes."""

from __future__ import annotations

import gzip
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

TIME = "/usr/bin/time"

# Chromium as the tests drive it (see ../shared/reference/tooling.md).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# How a reader opens search and where they type, tried in this order: (button to click
# first or None, input). The site's header button opens a dialog with the Pagefind UI.
SEARCH_UI = (
    ("[data-ka-search-open]", ".pagefind-ui__search-input"),
    (None, "input.md-search__input"),  # Material's built-in search
    (None, ".pagefind-ui__search-input"),
    (None, "input[type=search]"),
)
# A search result on the page (Material, Pagefind UI, Pagefind modular UI).
SEARCH_RESULT = ".md-search-result__item, .pagefind-ui__result, .pagefind-modular-list-result"
RESULTS_LIMIT = 120  # seconds to wait for the first result after the last keystroke
# Which requests belong to search, per variant.
SEARCH_FILES = {
    "peer": re.compile(r"/search/search_index\.json$|/assets/javascripts/workers/|/assets/javascripts/lunr/"),
    "full": re.compile(r"/pagefind/"),
}


@dataclass
class Step:
    command: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    log: str
    cpu_seconds: float = 0.0  # user + system, the process and its children


@dataclass
class Build:
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    ok: bool = True
    steps: list[Step] = field(default_factory=list)

    def add(self, step: Step) -> None:
        self.steps.append(step)
        self.seconds += step.seconds
        self.cpu_seconds += step.cpu_seconds
        self.peak_rss_mb = max(self.peak_rss_mb, step.peak_rss_mb)
        self.ok = self.ok and step.returncode == 0


def run_timed(command: list[str], cwd: Path, env: dict, log: Path) -> Step:
    """Run a command; wall seconds from here, peak RSS from /usr/bin/time -v (else wait4's rusage)."""
    with open(log, "w", encoding="utf-8") as out:
        if os.access(TIME, os.X_OK):
            with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as report:
                started = time.perf_counter()
                code = subprocess.call([TIME, "-v", "-o", report.name, *command], cwd=cwd, env=env,
                                       stdout=out, stderr=subprocess.STDOUT)
                seconds = time.perf_counter() - started
                text = Path(report.name).read_text()
            os.unlink(report.name)
            match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
            peak_kb = int(match.group(1)) if match else 0
            cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
            status = re.search(r"Exit status: (\d+)", text)
            code = int(status.group(1)) if status else code
        else:
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = code = os.waitstatus_to_exitcode(status)
            peak_kb = usage.ru_maxrss  # kilobytes on Linux
            cpu = usage.ru_utime + usage.ru_stime
    return Step(command, seconds, peak_kb / 1024, code, str(log), cpu)


def log_tail(path: str, lines: int = 15) -> str:
    try:
        tail = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return "\n".join(line if len(line) <= 300 else line[:300] + " …" for line in tail)
    except OSError:
        return ""


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) below folder."""
    total = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            total += os.path.getsize(os.path.join(root, name))
            files += 1
    return total, files


# --- a static server that counts what it sends --------------------------------------------
class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.server.sent.append((self.path.split("?")[0], int(value)))
        super().send_header(keyword, value)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


class CountingServer:
    """http.server over a folder on 127.0.0.1:<free port>; `sent` lists (path, body bytes)."""

    def __init__(self, folder: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_CountingHandler, directory=str(folder)))
        self.httpd.sent = []
        self.folder = folder
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def sent(self) -> list[tuple[str, int]]:
        return self.httpd.sent

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _gzip_size(path: Path) -> int:
    """Bytes a compressing host sends; Pagefind's .pf_* files are gzip already and go as they are."""
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def _wait_quiet(page, server: CountingServer, quiet: float = 1.5, limit: float = 30.0) -> None:
    """Wait until the browser has asked for nothing new for `quiet` seconds."""
    deadline = time.monotonic() + limit
    count, since = len(server.sent), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        if len(server.sent) != count:
            count, since = len(server.sent), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def first_search(site: Path, variant: str, query: str, start: str = "") -> dict:
    """Load the page `start` (site-relative) in headless Chromium, type `query`, count every byte sent.

    Returns the bytes of the search files (SEARCH_FILES[variant]) and of everything, both as
    sent (uncompressed, as http.server sends them) and gzip-compressed (as a compressing host
    would send them), how the query was entered, and how many results the page showed.
    """
    from playwright.sync_api import sync_playwright

    pattern = SEARCH_FILES[variant]
    result: dict = {"query": query, "start_page": "/" + start}
    with CountingServer(site) as server, sync_playwright() as p:
        launch = {"headless": True, "args": CHROMIUM_ARGS}
        if os.access(CHROMIUM, os.X_OK):
            launch["executable_path"] = CHROMIUM
        browser = p.chromium.launch(**launch)
        try:
            page = browser.new_context().new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: message.type == "error" and errors.append(message.text.split("\n")[0]))
            page.goto(server.url + start, wait_until="load")
            _wait_quiet(page, server)
            result["page_load_bytes"] = sum(size for _, size in server.sent)
            method = None
            for opener, selector in SEARCH_UI:
                if opener and not (page.locator(opener).count() and page.locator(opener).first.is_visible()):
                    continue
                if opener:
                    page.locator(opener).first.click()
                    try:
                        page.locator(selector).first.wait_for(state="visible", timeout=15000)
                    except Exception:
                        continue
                box = page.locator(selector).first
                if not (box.count() and box.is_visible()):
                    continue
                box.click()
                page.wait_for_timeout(300)
                box.press_sequentially(query, delay=40)
                method = f"{'clicked ' + opener + ', ' if opener else ''}typed into {selector}"
                break
            if method:
                typed = time.perf_counter()
                try:
                    page.locator(SEARCH_RESULT).first.wait_for(state="attached", timeout=RESULTS_LIMIT * 1000)
                    result["results_after_s"] = round(time.perf_counter() - typed, 2)
                except Exception:
                    result["results_after_s"] = None  # nothing found within the limit
                _wait_quiet(page, server, quiet=2.0)
            if variant == "full" and not any(pattern.search(path) for path, _ in server.sent):
                # No search box wired to Pagefind (yet): ask Pagefind directly, loading the
                # first five results' fragments as its UI does.
                page.evaluate("""async (q) => {
                    const pagefind = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
                    const found = await pagefind.search(q);
                    await Promise.all(found.results.slice(0, 5).map(r => r.data()));
                    return found.results.length;
                }""", query)
                _wait_quiet(page, server)
                method = "Pagefind JS API (no search box found)"
            result["method"] = method or "no search box found"
            result["browser_errors"] = errors[:5]
            result["results_shown"] = page.locator(SEARCH_RESULT).count()
        finally:
            browser.close()
    search = [(path, size) for path, size in server.sent if pattern.search(path)]
    result["search_requests"] = len(search)
    result["search_bytes"] = sum(size for _, size in search)
    result["search_bytes_gzip"] = sum(_gzip_size(site / path.lstrip("/")) for path, _ in search
                                      if (site / path.lstrip("/")).is_file())
    result["total_bytes"] = sum(size for _, size in server.sent)
    result["search_files"] = sorted({path for path, _ in search})[:40]
    return result


def clean(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
