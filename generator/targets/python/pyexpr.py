"""How Python spells what the model says: a type's annotation, a default's expression, a regular
expression's literal, a deprecation's note (the plan's expressions, asked by the docs too)."""

from __future__ import annotations

from ...model import Default, Deprecation, Package
from ...spec.typeexpr import TypeExpr
from .pysource import py_literal

#: The Python type of each IDL scalar, and of the names method parameters may use.
NAMED_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "Any": "Any", "None": "None",
               "datetime": "datetime.datetime", "date": "datetime.date", "PathLike": "PathLike[str]", "IO": "IO[str]"}


def py_type(expr: TypeExpr) -> str:
    """The annotation of a type: ``dict[str, Input | int] | None``."""
    if expr.name == "Union":
        return " | ".join(py_type(a) for a in expr.args)
    if expr.name == "dict":
        return f"dict[{py_type(expr.args[0])}, {py_type(expr.args[1])}]"
    if expr.name == "list":
        return f"list[{py_type(expr.args[0])}]"
    return NAMED_TYPES.get(expr.name, expr.name)


def uses_dates(package: Package) -> bool:
    """Whether any type of the package is a date or a date and time (the models import ``datetime``)."""
    return any(leaf.name in ("datetime", "date") for cls in package.classes for f in cls.own_fields for leaf in f.type.leaves())


def py_default(value: Default) -> str:
    """A default as a Python expression: a literal, an enum member, or ``list``/``dict`` (a factory)."""
    if value.member:
        return f"{value.enum}.{value.member}"
    if value.value == [] or value.value == {}:
        return "list" if value.value == [] else "dict"
    return py_literal(value.value)


def shown_default(value: Default | None) -> str:
    """A default the way a signature shows it (``[]`` for a list factory); '' for none."""
    if value is None:
        return ""
    if value.member:
        return f"{value.enum}.{value.member}"
    return py_literal(value.value)


def regex_literal(pattern: str) -> str:
    """A regular expression as a Python literal: raw (``r"^\\d+\\Z"``) when it can be, else escaped."""
    if pattern.isprintable() and '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return py_literal(pattern)


def deprecation_note(deprecated: Deprecation | None) -> str:
    """What a docstring says of a deprecated class, field or member ('' when it is not)."""
    if deprecated is None:
        return ""
    return f"Deprecated: {deprecated.note.default}" if deprecated.note is not None else "Deprecated."
