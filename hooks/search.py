"""German full-text search with Pagefind, built into site/pagefind/ after every build.

Pagefind stems German (it reads <html lang="de">), and readers download only the
index chunks their query needs. Only article bodies are indexed: the article
template marks them with data-pagefind-body.
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

from _site import log

EXCLUDED = ".headerlink, .footnote-ref, .footnote-backref, .ka-cited-in"


def on_env(env, config, files):
    """Pagefind stores result URLs from the site root; tell the UI where the site is mounted."""
    env.globals["ka_site_path"] = urlsplit(config.site_url or "/").path or "/"
    return env


def on_post_build(config):
    command = [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--exclude-selectors", EXCLUDED, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        log.warning("Pagefind could not build the search index: %s", (result.stderr or result.stdout).strip())
