"""Defaults of fields and parameters: a value the type takes, kept as a plain value."""

from __future__ import annotations

import json
import math
from typing import Any

from ..model import Default
from ..spec.loader import Path
from ..spec.typeexpr import TypeExpr
from .context import Resolution


def default(res: Resolution, value: Any, expr: TypeExpr, path: Path, what: str, type_text: str) -> Default | None:
    """The default ``value`` of a field or parameter (``what``) of type ``expr``; None after
    reporting that the type does not take it."""
    options = list(expr.args) if expr.name == "Union" else [expr]
    shown = json.dumps(value, ensure_ascii=False, default=str)
    for opt in options:
        if value is None and opt.name == "None":
            return Default(None)
        if isinstance(value, bool):
            if opt.name == "bool":
                return Default(value)
            continue
        if isinstance(value, int) and opt.name in ("int", "float"):
            return Default(value)
        if isinstance(value, float) and not math.isfinite(value):
            shown = ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
            res.fail(path, f"{what}: default {shown} is not a finite number")
            return None
        if isinstance(value, float) and opt.name == "float":
            return Default(value)
        if isinstance(value, str):
            if opt.name == "str":
                return Default(value)
            enum = res.enums.get(opt.name)
            if enum is not None:
                for member in enum.members:
                    if member.value == value:
                        return Default(value, enum.name, member.name)
        if value == [] and opt.name == "list":
            return Default([])
        if value == {} and opt.name == "dict":
            return Default({})
        if opt.name == "Any" and (value is None or isinstance(value, (str, int, float))):
            return Default(value)
    res.fail(path, f'{what}: default {shown} does not match its type "{type_text}"')
    return None
