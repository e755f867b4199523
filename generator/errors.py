"""Errors found in a spec: data with a position, turned into text in one place."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A place in a spec file, 1-based like editors show it."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class SpecProblem:
    """One mistake in a spec, at a position."""

    where: Position
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class SpecError(Exception):
    """A spec cannot be generated from: carries every problem found, sorted by position."""

    def __init__(self, problems: Iterable[SpecProblem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.where, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' for the closest candidate, or ''."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def describe_path(path: tuple[str | int, ...]) -> str:
    """A spec path told the way a person names it: ``field "sku" of class "Item"``."""
    names = {"classes": "class", "enums": "enum", "fields": "field", "methods": "method", "members": "member", "params": "parameter"}
    parts: list[str] = []
    i = 0
    while i < len(path):
        head = path[i]
        if head in names and i + 1 < len(path):
            parts.append(f'{names[str(head)]} "{path[i + 1]}"')
            i += 2
        else:
            parts.append(f'"{head}"' if isinstance(head, str) else f"item {head + 1}")
            i += 1
    if not parts:
        return "the spec"
    return " of ".join(reversed(parts))
