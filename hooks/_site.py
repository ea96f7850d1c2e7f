"""What every hook needs: the archive read from disk, and problems reported MkDocs' way.

MkDocs puts this folder on sys.path while it loads a hook, so hooks import this
module by name. Nothing here formats output; it only connects MkDocs to the library.
"""

from __future__ import annotations

import logging
from pathlib import Path

from commentary.archive import Archive, load_archive
from commentary.project import load_project

log = logging.getLogger("mkdocs.hooks.kommentar")


def project_root(config) -> Path:
    return Path(config.config_file_path).parent


def archive_for(config) -> Archive:
    """The archive of this build (re-read only when a content file changed)."""
    root = project_root(config)
    project = load_project(root)
    return load_archive(config.docs_dir, project.bib_dir, root)


def settings(config) -> dict:
    return (config.extra or {}).get("archive") or {}


def report(problems) -> None:
    """Errors become warnings (a --strict build fails); notices stay informational."""
    for problem in sorted(problems):
        if problem.level == "error":
            log.warning(str(problem))
        else:
            log.info(str(problem))
