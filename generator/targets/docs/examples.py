"""A YAML example of each class's document form, built from the model.

The example of a class holds its required keys, the discriminator value that picks it in its
family, and a few of its optional keys (its own first, then inherited ones); each value is made
from the field's codec: the default when there is one, else a placeholder (``<key>``; a date
and time for those types), the first member of an enum, the prefix of a prefixed string, a
mapping of a nested class (its required keys), the first member of a family.
``tests/test_docs.py`` loads every example with the generated package.
"""

from __future__ import annotations

import datetime
from typing import Any

import yaml

from ...model import ClassModel, Codec, EnumModel, FieldModel

#: Optional keys an example shows beside the required ones, at its top level.
OPTIONAL_KEYS = 5
#: Nesting below which a mapping shows its required keys only.
NESTED_DEPTH = 2
#: Nesting past which nothing more is made (a spec whose required keys nest deeper cannot be shown).
MAX_DEPTH = 8
#: Which option of a union an example shows: the most telling first.
_PREFERENCE = ("class", "family", "dict", "list", "enum", "prefixed", "scalar", "any", "none")
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


def example_yaml(data: dict[str, Any]) -> str:
    """An example as YAML text, keys in the example's order."""
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=70)
    return text


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
    return out


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
    if kind in ("class", "family"):
        classes = codec.classes
        return _mapping(classes[0], depth) if classes else {}
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
        return f"{codec.prefix}<{hint}>"
    if kind == "scalar":
        return _SCALAR_VALUES.get(codec.scalar, f"<{hint}>")
    if kind == "any":
        return f"<{hint}>"
    return None
