"""Where a project's content lives and how it is configured (without importing MkDocs).

A project is the folder holding mkdocs.yml. Our own settings sit under
``extra.archive`` in mkdocs.yml; series and authors are content (docs/.series.yml,
docs/.authors.yml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import ContentError


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~20x faster


class _TolerantLoader(_SafeLoader):
    """Reads mkdocs.yml even where it uses MkDocs' own tags (!ENV, !!python/name:…)."""


def _ignore_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class Series:
    id: str
    title: str
    description: str = ""
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    bib_dir: Path
    settings: dict[str, Any] = field(default_factory=dict)  # extra.archive of mkdocs.yml

    @property
    def articles_dir(self) -> Path:
        return self.docs_dir / "artikel"

    @property
    def default_author(self) -> str | None:
        return self.settings.get("default_author")

    def relative(self, path: Path) -> str:
        """How messages name a file: relative to the project root."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise ContentError(here, 0, "no mkdocs.yml here or in any parent folder: run this inside a Kommentar-Archiv project")


def load_project(root: Path | None = None) -> Project:
    root = find_root(root)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    docs_dir = root / config.get("docs_dir", "docs")
    bib_dir = root / "bib"
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "bibtex" in plugin:
            bib_dir = root / (plugin["bibtex"] or {}).get("bib_dir", "bib")
    settings = ((config.get("extra") or {}).get("archive")) or {}
    return Project(root, docs_dir, bib_dir, settings)


def _read_yaml_mapping(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ContentError(path, mark.line + 1 if mark else 0, f"not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise ContentError(path, 1, "must be a mapping")
    return data


def load_series(docs_dir: Path) -> dict[str, Series]:
    """docs/.series.yml: ``<id>: {title, description, domains: [host, …]}``."""
    data = _read_yaml_mapping(docs_dir / ".series.yml")
    series = {}
    for series_id, fields in data.items():
        fields = fields or {}
        series[str(series_id)] = Series(
            id=str(series_id),
            title=str(fields.get("title") or series_id),
            description=str(fields.get("description") or ""),
            domains=tuple(str(d).lower().removeprefix("www.") for d in fields.get("domains") or ()),
        )
    return series


def load_authors(docs_dir: Path) -> dict[str, Author]:
    """docs/.authors.yml in Material's blog format: ``authors: {<id>: {name, description}}``."""
    data = _read_yaml_mapping(docs_dir / ".authors.yml").get("authors") or {}
    return {
        str(author_id): Author(str(author_id), str((f or {}).get("name") or author_id), str((f or {}).get("description") or ""))
        for author_id, f in data.items()
    }
