"""One article: its front matter (the content model) and its Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .problems import ContentError, Problem
from .text import is_web_url

# Front matter keys of the content model and whether an article must have them.
REQUIRED_KEYS = ("title", "date", "authors", "description")
OPTIONAL_KEYS = ("categories", "tags", "series", "part", "original_url", "template", "draft")


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as MkDocs reads it, except that an impossible date (2024-02-30) stays text to be reported.

    libyaml's parser where PyYAML has it: 20 times faster, which counts at thousands of articles.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any]
    lines: dict[str, int]  # key -> 1-based line number in the file
    body_line: int  # line on which the body starts


def split_front_matter(text: str, path: str | Path = "<text>") -> tuple[FrontMatter, str]:
    """Separate YAML front matter from the body, remembering each key's line."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter({}, {}, 1), text
    raw = match.group(1) or ""
    loader = _FrontMatterLoader(raw)
    try:
        node = loader.get_single_node()  # parsed once: the node gives each key's line, then the values
        values = (loader.construct_document(node) if node is not None else None) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ContentError(path, line, f"front matter is not valid YAML: {getattr(error, 'problem', error)}") from None
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        raise ContentError(path, 2, "front matter must be a mapping of keys to values")
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2  # +1 for '---', +1 for 1-based
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatter(values, lines, body_line), text[match.end():]


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return (str(value).strip(),)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()  # datetime -> date
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Article:
    """An article as the content model defines it (docs/artikel/<slug>.md)."""

    path: str  # relative to docs/, with forward slashes
    slug: str
    title: str
    date: date
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    series: str | None
    part: int | None
    original_url: str | None
    description: str
    body: str  # Markdown after the front matter
    body_line: int
    meta_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        """Site-relative URL of the built page (directory URLs)."""
        return self.path.removesuffix(".md").removesuffix("index").rstrip("/") + "/"

    @property
    def year(self) -> int:
        return self.date.year

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def parse_article(text: str, path: str, source_name: str | None = None) -> tuple[Article | None, list[Problem]]:
    """Read one article. Returns the article (None if unusable) and every problem found.

    ``path`` is relative to docs/; ``source_name`` is how problems name the file
    (defaults to ``path``).
    """
    where = source_name or path
    problems: list[Problem] = []
    try:
        front, body = split_front_matter(text, where)
    except ContentError as error:
        return None, [error.problem]
    values, lines = front.values, front.lines

    def report(key: str, message: str) -> None:
        problems.append(Problem(where, lines.get(key, 1), message))

    for key in REQUIRED_KEYS:
        if key not in values or values[key] in (None, "", []):
            report(key, f"front matter lacks '{key}'")
    for key in values:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            report(key, f"unknown front matter key '{key}'")

    published = _as_date(values.get("date"))
    if "date" in values and published is None:
        report("date", f"date must be YYYY-MM-DD, not {values.get('date')!r}")
    part = values.get("part")
    if part is not None and (not isinstance(part, int) or isinstance(part, bool) or part < 1):
        report("part", f"part must be a positive whole number, not {part!r}")
        part = None
    if part is not None and not values.get("series"):
        report("part", "part is set but series is not")
    original_url = values.get("original_url")
    if original_url is not None and not (isinstance(original_url, str) and is_web_url(original_url)):
        report("original_url", f"original_url must be an http(s) URL, not {original_url!r}")
        original_url = None
    for key in ("authors", "categories", "tags"):
        if key in values and not isinstance(values[key], (list, str)):
            report(key, f"'{key}' must be a list")

    if published is None or not values.get("title"):
        return None, problems
    slug = Path(path).stem
    return Article(
        path=path,
        slug=slug,
        title=str(values["title"]).strip(),
        date=published,
        authors=_as_list(values.get("authors")),
        categories=_as_list(values.get("categories")),
        tags=_as_list(values.get("tags")),
        series=(str(values["series"]).strip() or None) if values.get("series") else None,
        part=part,
        original_url=original_url.strip() if original_url else None,
        description=str(values.get("description") or "").strip(),
        body=body,
        body_line=front.body_line,
        meta_lines=lines,
    ), problems
