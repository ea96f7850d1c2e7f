"""A problem found in the content, reported as ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    # "error" breaks a strict build; "notice" (e.g. an entry nobody cites yet) is
    # only reported by the build, while `commentary check` treats both as failures.
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when a file cannot be read into the content model at all."""

    def __init__(self, path: str | Path, line: int, message: str):
        self.problem = Problem(str(path), line, message)
        super().__init__(str(self.problem))
