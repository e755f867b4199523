"""A YAML example of each class's document form, built from the model.

The example of a class holds its required keys, the discriminator value that picks it in its
family, and a few of its optional keys (its own first, then inherited ones); each value is made
from the field's codec: the default when there is one, else a placeholder (``<key>``; a date
and time for those types), the first member of an enum, the prefix of a prefixed string, a
mapping of a nested class (its required keys), the first member of a family; a value its
field's constraints would reject is moved within them (a number to its bounds, a string made
from the field's pattern, a list to its least number of items). ``tests/test_docs.py`` loads
every example with the generated package.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

import yaml

from ...model import ClassModel, Codec, Constraints, EnumModel, FieldModel
from ...spec.patterns import parse
from ...spec.validate import matches

#: Optional keys an example shows beside the required ones, at its top level.
OPTIONAL_KEYS = 5
#: Nesting below which a mapping shows its required keys only.
NESTED_DEPTH = 2
#: Nesting past which nothing more is made (a spec whose required keys nest deeper cannot be shown).
MAX_DEPTH = 8
#: Which option of a union an example shows: the most telling first.
_PREFERENCE = ("class", "family", "keyed", "dict", "list", "enum", "prefixed", "scalar", "any", "none")
_SCALAR_PREFERENCE = ("str", "int", "float", "bool")
_SCALAR_VALUES: dict[str, Any] = {
    "int": 1,
    "float": 0.5,
    "bool": True,
    "date": datetime.date(2024, 1, 31),  # written as YAML timestamps: 2024-01-31
    "datetime": datetime.datetime(2024, 1, 31, 10, 0, tzinfo=datetime.UTC),
}


def example_class(cls: ClassModel) -> ClassModel | None:
    """The class an example of ``cls`` shows: itself, a family root's first member, None for a
    class no document holds on its own (an abstract class outside a family, such as a mixin)."""
    codec = cls.codec
    if codec is None:
        return None
    members = codec.classes  # a root with one concrete member has that member's class codec
    return cls if cls in members else members[0] if members else None


def document_example(cls: ClassModel) -> dict[str, Any] | None:
    """An example document of ``cls`` (see :func:`example_class`), as plain data."""
    shown = example_class(cls)
    return None if shown is None else _mapping(shown, 0)


#: libyaml's emitter, when PyYAML has it: the same text as the Python one for the plain data of most
#: examples (tests/test_docs.py compares them), in a seventh of the time.
_FAST_DUMPER: type[yaml.SafeDumper] | None = getattr(yaml, "CSafeDumper", None)


def example_yaml(data: dict[str, Any]) -> str:
    """An example as YAML text, keys in the example's order."""
    dumper = _FAST_DUMPER if _FAST_DUMPER is not None and _plain(data) else yaml.SafeDumper
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=70)
    return text


def _plain(value: Any) -> bool:
    """Whether ``value`` holds only what both emitters write alike: mappings and lists of numbers,
    booleans, None and printable ASCII text, not empty (the two write other text each their own way)."""
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, str):
        return value != "" and value.isascii() and value.isprintable()
    return value is None or isinstance(value, (bool, int, float))


def _selected(cls: ClassModel, depth: int) -> list[FieldModel]:
    """The fields an example of ``cls`` shows at ``depth``: the discriminator, the required keys,
    then optional keys (own ones first) up to :data:`OPTIONAL_KEYS` at the top, one at most
    below when nothing else would show."""
    tag = [f for f in cls.fields if f.fixed is not None and cls.family_root is not None]
    required = [f for f in cls.fields if f.init and f.required]
    own = {f.name for f in cls.own_fields}
    optional = [f for f in cls.fields if f.init and not f.required]
    optional.sort(key=lambda f: f.name not in own)  # stable: spec order within each group
    if depth == 0:
        extra = optional[:OPTIONAL_KEYS]
    elif depth < NESTED_DEPTH and not required:
        extra = optional[:1]
    else:
        extra = []
    chosen = {f.name for f in [*required, *extra]}
    return [*tag, *(f for f in cls.fields if f.name in chosen)]


def _mapping(cls: ClassModel, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _selected(cls, depth):
        if f.key in out:
            continue
        if f.fixed is not None:
            out[f.key] = f.fixed
        elif f.default is not None and f.default.document_value not in (None, [], {}):
            out[f.key] = f.default.document_value
        else:
            out[f.key] = _value(f.codec, f.key, depth + 1)
        if f.constraints:
            out[f.key] = _kept(f.constraints, out[f.key])
    return out


def _kept(constraints: Constraints, value: Any) -> Any:
    """``value`` moved within the constraints of its kind, when it can be (else as it was)."""
    checks = [c for c in constraints.checks if _kind(value) == c.kind]
    if all(c.violation(value) is None for c in checks):
        return value
    c = constraints
    moved = value
    if _kind(value) == "number":
        whole = isinstance(value, int)
        lows = [b for b in (c.minimum, c.exclusive_minimum) if b is not None]
        highs = [b for b in (c.maximum, c.exclusive_maximum) if b is not None]
        low, high = max(lows, default=None), min(highs, default=None)
        if low is not None and high is not None:
            moved = (low + high) / 2
        elif low is not None:
            moved = low + 1
        elif high is not None:
            moved = high - 1
        if c.multiple_of is not None:
            moved = math.ceil(moved / c.multiple_of) * c.multiple_of
        if whole and float(moved).is_integer():
            moved = int(moved)
    elif _kind(value) == "string":
        moved = _matching(c.pattern) if c.pattern is not None else value
        if moved is not None and c.min_length is not None and len(moved) < c.min_length:
            moved += (moved[-1:] or "x") * (c.min_length - len(moved))
        if moved is not None and c.max_length is not None:
            moved = moved[: c.max_length]
    elif _kind(value) == "list" and value:
        moved = (value * (c.min_items or 1))[: max(c.min_items or 1, 1)]
    return moved if moved is not None and all(check.violation(moved) is None for check in checks) else value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    return "number" if isinstance(value, (int, float)) else "string" if isinstance(value, str) else "list" if isinstance(value, list) else ""


def _matching(pattern: str) -> str | None:
    """A short string the (IDL) pattern finds (None when it is beyond this simple reading)."""
    try:
        parsed = parse(pattern)[0]  # what Python warns about is caught
    except (re.error, OverflowError, RecursionError):
        return None
    groups: dict[int, str] = {}

    def text(items: Any) -> str | None:
        out = ""
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out += chr(arg)
            elif name == "IN":
                first = next(((o, a) for o, a in arg if str(o) in ("LITERAL", "RANGE", "CATEGORY")), None)
                if first is None:
                    return None
                part = text([first])
                if part is None:
                    return None
                out += part
            elif name == "RANGE":
                out += chr(arg[0])
            elif name == "CATEGORY":
                out += {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}.get(str(arg), "")
                if str(arg) not in ("CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_SPACE"):
                    return None
            elif name == "ANY":
                out += "a"
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, _, sub = arg
                part = text(sub)
                if part is None:
                    return None
                out += part * low
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                part = text(arg[-1])
                if part is None:
                    return None
                if name == "SUBPATTERN" and arg[0] is not None:
                    groups[arg[0]] = part
                out += part
            elif name == "BRANCH":
                part = text(arg[1][0])
                if part is None:
                    return None
                out += part
            elif name == "GROUPREF":
                out += groups.get(arg, "")
            elif name != "AT":
                return None  # lookarounds, conditionals: not read here
        return out

    found = text(parsed)
    return found if found is not None and matches(pattern, found) else None


def _choose(options: list[Codec]) -> Codec:
    def rank(c: Codec) -> tuple[int, int]:
        scalar = _SCALAR_PREFERENCE.index(c.scalar) if c.kind == "scalar" and c.scalar in _SCALAR_PREFERENCE else 0
        return _PREFERENCE.index(c.kind), scalar

    return min(options, key=rank)


def _value(codec: Codec, hint: str, depth: int) -> Any:
    """A value ``codec`` reads, for a key named ``hint``."""
    if depth > MAX_DEPTH:
        return None
    kind = codec.kind
    if kind == "union":
        return _value(_choose(codec.options), hint, depth)
    if kind in ("class", "family", "keyed"):
        classes = codec.classes  # keyed: the classes told by a key, then the fallback, which shows best
        shown = codec.fallback if kind == "keyed" and codec.fallback is not None else classes[0] if classes else None
        return _mapping(shown, depth) if shown is not None else {}
    if kind == "list":
        assert codec.item is not None
        return [_value(codec.item, hint, depth)]
    if kind == "dict":
        assert codec.item is not None
        return {"<name>": _value(codec.item, hint, depth)}
    if kind == "enum":
        assert isinstance(codec.target, EnumModel)
        return codec.target.members[0].value if codec.target.members else f"<{hint}>"
    if kind == "prefixed":
        return f"{codec.prefix[0]}<{hint}>"
    if kind == "scalar":
        return _SCALAR_VALUES.get(codec.scalar, f"<{hint}>")
    if kind == "any":
        return f"<{hint}>"
    return None
