"""The model's constraints of a field (``minimum``, ``pattern``, ``min_items``...): what each means
in a document's terms, and whether a document value keeps it.

Part of :mod:`generator.model` (which re-exports every name).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

#: The constraints of the IDL, in the order they are checked, with the kind of value each applies to.
CONSTRAINT_KINDS = {
    "minimum": "number",
    "exclusive_minimum": "number",
    "maximum": "number",
    "exclusive_maximum": "number",
    "multiple_of": "number",
    "min_length": "string",
    "max_length": "string",
    "pattern": "string",
    "min_items": "list",
    "max_items": "list",
    "unique_items": "list",
}
#: What the value of a kind is counted in (lengths and numbers of items).
_UNITS = {"string": "character", "list": "item"}


def counted(count: int, unit: str) -> str:
    """``1 character``, ``3 items``."""
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _number(value: float) -> str:
    """A number the way a document writes it (``1``, ``0.5``)."""
    return json.dumps(value)


@dataclass(frozen=True)
class Constraint:
    """One constraint of a field: its keyword (as the IDL spells it) and its value. It applies to the
    field's values of its ``kind`` (numbers, strings or lists; in a union, to the options of that kind)."""

    keyword: str
    value: int | float | str | bool

    @property
    def kind(self) -> str:
        return CONSTRAINT_KINDS[self.keyword]

    @property
    def unit(self) -> str:
        """What a length or a number of items counts (``character``, ``item``; '' for the others)."""
        return _UNITS[self.kind] if self.keyword.startswith(("min_", "max_")) else ""

    @property
    def shown(self) -> str:
        """The value as the spec writes it: ``1``, ``0.5``, ``"^[a-z]+$"``, ``true``."""
        return json.dumps(self.value, ensure_ascii=False)

    @property
    def expected(self) -> str:
        """What a value must be, in a document's terms: ``at least 1``, ``at most 3 items``."""
        value = self.value
        if self.keyword == "pattern":
            return f"a string matching {self.shown}"
        if self.keyword == "unique_items":
            return "unique items"
        if self.keyword == "multiple_of":
            return f"a multiple of {_number(value)}"  # type: ignore[arg-type]
        shown = counted(value, self.unit) if self.unit else _number(value)  # type: ignore[arg-type]
        words = {"minimum": "at least", "min_length": "at least", "min_items": "at least", "maximum": "at most",
                 "max_length": "at most", "max_items": "at most", "exclusive_minimum": "more than",
                 "exclusive_maximum": "less than"}  # fmt: skip
        return f"{words[self.keyword]} {shown}"

    def violation(self, value: Any) -> str | None:
        """What a document value of this constraint's kind breaks it with (the loader's "found"), or
        None when it keeps it. Numbers compare exactly (``multiple_of`` too); lengths count code points;
        a pattern is searched for (anchored only where it says), ``$`` being the end of the text;
        items are unique when no two are equal as document values (``1`` and ``1.0`` are, ``1`` and
        ``true`` are not)."""
        from .spec.validate import matches  # the IDL's own reading of a JSON Schema pattern

        keyword, bound = self.keyword, self.value
        if self.kind == "number":
            return None if _keeps(keyword, value, bound) else _number(value)
        if keyword == "pattern":
            return None if matches(str(bound), value) else json.dumps(value, ensure_ascii=False)
        if keyword == "unique_items":
            seen = [document_form(item) for item in value]
            return None if not bound or len(set(seen)) == len(seen) else "a repeated item"
        size = len(value)
        broken = size < bound if keyword.startswith("min_") else size > bound  # type: ignore[operator]
        return counted(size, self.unit) if broken else None


def _keeps(keyword: str, value: Any, bound: Any) -> bool:
    """Whether a number keeps a numeric constraint (NaN keeps no bound, and is no multiple)."""
    if keyword == "minimum":
        return bool(value >= bound)
    if keyword == "maximum":
        return bool(value <= bound)
    if keyword == "exclusive_minimum":
        return bool(value > bound)
    if keyword == "exclusive_maximum":
        return bool(value < bound)
    return math.isfinite(value) and Fraction(value) % Fraction(bound) == 0


def document_form(value: Any) -> Any:
    """A hashable form of a document value in which two values are equal when they are the same
    document value: numbers by value (``1`` is ``1.0``), a boolean no number, mappings whatever
    their order."""
    if isinstance(value, bool):
        return (bool, value)
    if isinstance(value, list):
        return (list, tuple(document_form(item) for item in value))
    if isinstance(value, dict):
        return (dict, frozenset((key, document_form(item)) for key, item in value.items()))
    return value


@dataclass(frozen=True)
class Constraints:
    """The constraints of a field: values, as the spec gives them (None: not constrained)."""

    minimum: int | float | None = None
    exclusive_minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False

    @property
    def checks(self) -> list[Constraint]:
        """The constraints set, in the order the loader checks them (``unique_items: false`` is none)."""
        out: list[Constraint] = []
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None and value is not False:
                out.append(Constraint(item.name, value))
        return out

    def of_kind(self, kind: str) -> list[Constraint]:
        """The constraints that apply to values of ``kind`` (number, string, list)."""
        return [c for c in self.checks if c.kind == kind]

    def __bool__(self) -> bool:
        return bool(self.checks)
