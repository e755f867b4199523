"""The parts of a schema that need no walk of the document: a scalar's type, a field's constraints
as JSON Schema's keywords, a schema that also takes ``null``, the rule of keys that exclude each
other, and what an enum member's description says of its deprecation.
"""

from __future__ import annotations

from typing import Any

from ...model import Constraints, Deprecation, Exclusive
from ...spec.validate import portable_pattern

#: What a scalar is in JSON Schema (a YAML timestamp is a string to a JSON reader).
SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
}

#: The JSON Schema keyword of each constraint of the IDL.
KEYWORDS = {
    "minimum": "minimum",
    "exclusive_minimum": "exclusiveMinimum",
    "maximum": "maximum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "min_items": "minItems",
    "max_items": "maxItems",
    "unique_items": "uniqueItems",
}
#: The kind of constraint that applies to the values of each JSON type.
KIND_OF_TYPE = {"integer": "number", "number": "number", "string": "string", "array": "list"}


def exclusive_schema(group: Exclusive) -> dict[str, Any]:
    """The rule of a group of keys that exclude each other: exactly one (``oneOf`` the keys) or at
    most one (``not`` any two of them)."""
    if group.required:
        return {"oneOf": [{"required": [key]} for key in group.keys]}
    pairs = [[a, b] for i, a in enumerate(group.keys) for b in group.keys[i + 1 :]]
    if len(pairs) == 1:
        return {"not": {"required": pairs[0]}}
    return {"not": {"anyOf": [{"required": pair} for pair in pairs]}}


def deprecation_note(deprecated: Deprecation | None) -> str:
    """What an enum member's description says of its deprecation ('' for none)."""
    if deprecated is None:
        return ""
    return f" Deprecated: {deprecated.note.default}" if deprecated.note is not None else " Deprecated."


def constrained(schema: dict[str, Any], constraints: Constraints) -> dict[str, Any]:
    """``schema`` with the field's constraints on the (sub)schemas of the values they apply to: on a
    union's options of their kind (numbers, strings, arrays), or on the schema itself. A pattern's
    ``$`` is written so that Python's ``re`` reads it as ECMA-262 does (the end of the text)."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [constrained(option, constraints) for option in schema["anyOf"]]}
    types = schema.get("type", [])
    kinds = {KIND_OF_TYPE.get(t) for t in ([types] if isinstance(types, str) else types)}
    out = dict(schema)
    for check in constraints.checks:
        if check.kind in kinds:
            value = check.value
            out[KEYWORDS[check.keyword]] = portable_pattern(value) if isinstance(value, str) else value
    return out


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also takes ``null``."""
    if not schema:
        return schema  # Any: takes null already
    if set(schema) == {"type"} and isinstance(schema["type"], str):
        return {"type": [schema["type"], "null"]}
    if set(schema) == {"anyOf"}:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}

