"""Every link and anchor of the built site resolves (lychee, offline: no request leaves the machine)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

LYCHEE = Path(sys.executable).parent / "lychee"


def lychee(site: Path) -> subprocess.CompletedProcess:
    command = [str(LYCHEE), "--offline", "--include-fragments", "--index-files", "index.html",
               "--exclude-path", r"404\.html$", "--no-progress", "--format", "detailed", f"{site}/**/*.html"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_no_broken_link_or_anchor_in_the_whole_site(demo_site):
    result = lychee(demo_site)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = int(re.search(r"Successful\.*\s*(\d+)", result.stdout + result.stderr).group(1))
    assert checked > 1000  # notes, sources, series, backlinks, listings: the site is densely linked


def test_the_check_catches_a_broken_anchor(demo_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(demo_site, site, ignore=shutil.ignore_patterns("pagefind"))
    article = next((site / "artikel").iterdir()) / "index.html"
    article.write_text(article.read_text(encoding="utf-8").replace('href="#fn:1"', 'href="#fn:99"', 1), encoding="utf-8")
    result = lychee(site)
    assert result.returncode != 0
    assert "fn:99" in result.stdout + result.stderr
