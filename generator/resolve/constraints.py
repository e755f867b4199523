"""Step: the constraints of every field (``minimum``, ``max_length``, ``pattern``, ``unique_items``...).

Each constraint applies to the field's values of its kind: numbers (``int``, ``float``), strings
(``str``) or lists; in a union, to the options of that kind. A constraint the field's type has no
value for, bounds that leave no value (or no integer, for an ``int``), a pattern that does not compile (or that
only Python reads, or that can take exponential time to match), a bound that is not a finite
number and a default that breaks a constraint are problems, at the constraint (or the default).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from typing import Any

from ..model import CONSTRAINT_KINDS, ClassModel, Constraint, Constraints, FieldModel
from ..spec.loader import Path
from ..spec.patterns import pattern_problem
from ..spec.typeexpr import TypeExpr
from .context import Resolution

#: The types whose values each kind of constraint applies to, as messages name them.
NEEDS = {"number": "an int or float type", "string": "a str type", "list": "a list type"}
#: The bounds that, taken together, may leave no value: (lower, upper).
_RANGES = (
    ("minimum", "maximum"),
    ("minimum", "exclusive_maximum"),
    ("exclusive_minimum", "maximum"),
    ("exclusive_minimum", "exclusive_maximum"),
    ("min_length", "max_length"),
    ("min_items", "max_items"),
)


def run(res: Resolution) -> None:
    for cls in res.order:
        raw_fields = res.raw_class(cls.name).get("fields", {})
        for f in cls.own_fields:
            raw = raw_fields[f.name]
            if any(keyword in raw for keyword in CONSTRAINT_KINDS):
                f.constraints = constraints(res, cls, f, raw, ("classes", cls.name, "fields", f.name))


def kinds(expr: TypeExpr) -> set[str]:
    """The kinds of value a (non-null) type holds: number, string, list."""
    options = expr.args if expr.name == "Union" else (expr,)
    names = {"int": "number", "float": "number", "str": "string", "list": "list"}
    return {names[o.name] for o in options if o.name in names}


def kind_of(value: Any) -> str | None:
    """The kind of a document value (None for null, booleans, mappings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "list" if isinstance(value, list) else None


def constraints(res: Resolution, cls: ClassModel, f: FieldModel, raw: dict[str, Any], path: Path) -> Constraints:
    """The field's constraints; the problems of each are recorded (a problem's constraint is left out)."""
    held = kinds(f.value_type)
    values: dict[str, Any] = {}
    for keyword, kind in CONSTRAINT_KINDS.items():
        if keyword not in raw:
            continue
        value, where = raw[keyword], (*path, keyword)
        if kind not in held:
            res.fail(where, f'field "{f.name}": {keyword} needs {NEEDS[kind]}, not "{f.type_text}"', key=True)
        elif isinstance(value, float) and not math.isfinite(value):
            shown = ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
            res.fail(where, f'field "{f.name}": {keyword} {shown} is not a finite number')
        elif keyword == "pattern" and f.prefix:
            res.fail(where, f'field "{f.name}": a pattern and a prefix cannot be combined: write the prefix into the pattern', key=True)
        elif keyword == "pattern" and (problem := pattern_problem(value)):
            res.fail(where, f'field "{f.name}": pattern {Constraint(keyword, value).shown} {problem}')
        else:
            values[keyword] = value
    empty = False
    for low, high in _RANGES:
        if low in values and high in values:
            lo, hi = values[low], values[high]
            if lo > hi or (lo == hi and (low.startswith("exclusive") or high.startswith("exclusive"))):
                res.fail((*path, low), f'field "{f.name}": {low} {Constraint(low, lo).shown} and {high} {Constraint(high, hi).shown} leave no value')
                empty = True
    if not empty and _integers_only(f.value_type) and (keys := _no_integer(values)):
        parts = [f"{k} {Constraint(k, values[k]).shown}" for k in keys]
        res.fail((*path, keys[0]), f'field "{f.name}": {", ".join(parts[:-1])} and {parts[-1]} leave no integer')
    made = Constraints(**values)
    default = f.default.value if f.default is not None else None
    default_kind = kind_of(default)
    if default_kind is not None and default_kind in held:
        for check in made.of_kind(default_kind):
            found = check.violation(default)
            if found is not None:
                res.fail(
                    (*path, "default"),
                    f'field "{f.name}": default {json.dumps(default, ensure_ascii=False)} breaks {check.keyword}: expected {check.expected}, found {found}',
                )
    return made


def _integers_only(expr: TypeExpr) -> bool:
    """Whether the numbers of a (non-null) type are integers: it has ``int``, not ``float``."""
    names = {o.name for o in (expr.args if expr.name == "Union" else (expr,))}
    return "int" in names and "float" not in names


def _no_integer(values: dict[str, Any]) -> list[str]:
    """The numeric constraints among ``values`` that, together, leave no integer (none: [])."""
    lows = [(_least(k, values[k]), k) for k in ("minimum", "exclusive_minimum") if k in values]
    highs = [(_greatest(k, values[k]), k) for k in ("maximum", "exclusive_maximum") if k in values]
    if not lows or not highs:
        return []
    (lo, low), (hi, high) = max(lows), min(highs)
    if "multiple_of" in values:  # the integers that are multiples of p/q are the multiples of p
        step = Fraction(values["multiple_of"]).numerator
        lo = -(-lo // step) * step
        return [low, high, "multiple_of"] if lo > hi else []
    return [low, high] if lo > hi else []


def _least(keyword: str, bound: float) -> int:
    """The least integer a lower bound keeps."""
    return math.floor(Fraction(bound)) + 1 if keyword == "exclusive_minimum" else math.ceil(Fraction(bound))


def _greatest(keyword: str, bound: float) -> int:
    """The greatest integer an upper bound keeps."""
    return math.ceil(Fraction(bound)) - 1 if keyword == "exclusive_maximum" else math.floor(Fraction(bound))
