"""Make sure Playwright has a Chromium to drive before the browser tests run.

On Debian (and in CI) the system's /usr/bin/chromium is used; elsewhere the normal
route is Playwright's own download, done here once.
"""

import os
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")


def playwright_has_chromium() -> bool:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        return Path(p.chromium.executable_path).exists()


if __name__ == "__main__":
    if SYSTEM_CHROMIUM.exists() or os.environ.get("KA_CHROMIUM"):
        sys.exit(0)
    if not playwright_has_chromium():
        sys.exit(subprocess.call([sys.executable, "-m", "playwright", "install", "chromium"]))
