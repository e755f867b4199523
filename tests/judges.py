"""Three independent judges of a document, and hypothesis strategies of documents built from the model.

The judges: the generated loader (``<Root>.from_dict``, raising ``DocumentError``), the generated
JSON Schema (through the ``jsonschema`` library) and the pydantic models that datamodel-code-generator
made from that schema. Documents are plain data as a YAML parser gives them.

One thing the JSON Schema cannot say: JSON has one number type, so ``integer`` takes ``7.0``
(JSON Schema 2020-12, "integer": any number with a zero fractional part), while a YAML document
tells ``7`` (``!!int``) from ``7.0`` (``!!float``) and the loader (like pydantic's ``StrictInt``)
takes only the first where an int is expected. The schema judge therefore validates with the YAML
data model: its type checker maps ``integer`` to Python ``int`` (never ``bool``), which is
``jsonschema``'s documented way of mapping another data model onto JSON Schema's types.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pydantic
from hypothesis import strategies as st

from generator.jsonschema_target import pydantic_root, schema_path
from generator.model import ClassModel, Codec, Package

#: ``integer`` is a YAML ``!!int``: a Python int that is not a bool (a float is never one).
YAML_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
YamlValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=YAML_TYPES)


@dataclass
class Judges:
    """The loader, the schema and the pydantic models of one package, each giving a verdict."""

    package: Package
    entities: ModuleType
    schema: dict[str, Any]
    models: ModuleType
    validator: jsonschema.protocols.Validator = field(init=False)

    def __post_init__(self) -> None:
        self.validator = YamlValidator(self.schema)
        self.root_model: type[pydantic.BaseModel] = getattr(self.models, pydantic_root(self.package))
        self.root_class = getattr(self.entities, self.package.root.name)

    @classmethod
    def load(cls, package: Package, out: Path, entities: ModuleType, models: ModuleType) -> Judges:
        schema = json.loads((out / schema_path(package)).read_text(encoding="utf-8"))
        return cls(package, entities, schema, models)

    def by_loader(self, doc: object) -> str | None:
        """None when the loader takes ``doc``, else its message."""
        try:
            self.root_class.from_dict(doc)
        except self.entities.DocumentError as exc:
            return str(exc)
        return None

    def by_schema(self, doc: object) -> str | None:
        # (not best_match: it sorts error paths, and a document's keys need not all be strings)
        error = next(iter(self.validator.iter_errors(doc)), None)
        return None if error is None else f"{error.json_path}: {error.message}"

    def by_pydantic(self, doc: object) -> str | None:
        try:
            self.root_model.model_validate(doc)
        except pydantic.ValidationError as exc:
            return str(exc)
        return None

    def verdicts(self, doc: object) -> dict[str, str | None]:
        return {"loader": self.by_loader(doc), "schema": self.by_schema(doc), "pydantic": self.by_pydantic(doc)}

    def assert_agree(self, doc: object) -> bool:
        """Assert the three judges give the same verdict on ``doc``; returns it (True: accepted)."""
        verdicts = self.verdicts(doc)
        accepted = {name: message is None for name, message in verdicts.items()}
        assert len(set(accepted.values())) == 1, _disagreement(doc, verdicts)
        return accepted["loader"]


def _disagreement(doc: object, verdicts: dict[str, str | None]) -> str:
    lines = [f"the judges disagree on {doc!r}"]
    for name, message in verdicts.items():
        lines.append(f"  {name}: {'accepts' if message is None else 'rejects: ' + message[:600]}")
    return "\n".join(lines)


# -- documents -------------------------------------------------------------------------------------

#: Text without lone surrogates (no YAML or JSON document holds one).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
#: How deep optional parts of a generated document go (recursive types stop there).
MAX_DEPTH = 3
ANY_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(TEXT, inner, max_size=2),
    max_leaves=4,
)


class Documents:
    """Strategies of documents the loader accepts, built from the codecs of a package."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.memo: dict[tuple[int, int, str], st.SearchStrategy[Any]] = {}

    def document(self) -> st.SearchStrategy[Any]:
        return self.codec(self.package.root_codec, 0)

    def codec(self, codec: Codec, depth: int) -> st.SearchStrategy[Any]:
        key = (id(codec), depth, "")
        if key not in self.memo:
            self.memo[key] = self._codec(codec, depth)
        return self.memo[key]

    def _codec(self, codec: Codec, depth: int) -> st.SearchStrategy[Any]:
        kind = codec.kind
        if kind in ("scalar", "any"):
            return {
                "str": TEXT,
                "int": st.integers(),
                "float": st.floats() | st.integers(),
                "bool": st.booleans(),
                "None": st.none(),
                "Any": ANY_VALUES,
            }[codec.py_type]
        if kind == "prefixed":
            return TEXT.map(lambda s, prefix=codec.prefix: prefix + s)
        if kind == "enum":
            values = st.sampled_from([m.value for m in codec.target.members])  # type: ignore[union-attr]
            return values | TEXT if codec.target.open else values  # type: ignore[union-attr]
        if kind == "class":
            assert isinstance(codec.target, ClassModel)
            return self.mapping(codec.target, depth, tag="optional")
        if kind == "family":
            return self.family(codec, depth)
        size = 3 if depth < MAX_DEPTH else 0
        if kind == "list":
            assert codec.item is not None
            return st.lists(self.codec(codec.item, depth + 1), max_size=size)
        if kind == "dict":
            assert codec.item is not None
            return st.dictionaries(TEXT, self.codec(codec.item, depth + 1), max_size=size)
        if kind == "union":
            return st.one_of([self.codec(b.codec, depth) for b in codec.branches])
        raise AssertionError(kind)

    def family(self, codec: Codec, depth: int) -> st.SearchStrategy[Any]:
        root = codec.target
        assert isinstance(root, ClassModel)
        options = [
            self.mapping(member, depth, tag="optional" if tag == root.discriminator_default else "required")
            for tag, member in codec.members
        ]
        if codec.fallback is not None:
            known = {tag for tag, _ in codec.members}
            options.append(self.mapping(codec.fallback, depth, tag="optional", avoid=known))
        return st.one_of(options)

    def mapping(self, cls: ClassModel, depth: int, *, tag: str, avoid: set[str] | None = None) -> st.SearchStrategy[Any]:
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        deep = depth >= MAX_DEPTH
        for f in cls.fields:
            if f.fixed is not None:
                (required if tag == "required" else optional)[f.key] = st.just(f.fixed)
                continue
            if deep and not f.required:
                continue
            value = self.codec(f.codec, depth + 1)
            if avoid and cls.family_root is not None and f.name == cls.family_root.discriminator:
                value = value.filter(lambda v, known=frozenset(avoid): v not in known)
            if f.nullable:
                value = st.none() | value
            (required if f.required else optional)[f.key] = value
        return st.fixed_dictionaries(required, optional=optional)


# -- mutations -------------------------------------------------------------------------------------


def nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every value inside ``doc`` (not ``doc`` itself)."""
    out: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        out.append((*path, key))
        out.extend(nodes(value, (*path, key)))
    return out


def containers(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every mapping in ``doc``, ``doc`` itself included."""
    out = [path] if isinstance(doc, dict) else []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        out.extend(containers(value, (*path, key)))
    return out


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def vocabulary(package: Package) -> tuple[list[str], list[str], list[Any]]:
    """Keys (and field names), discriminator keys and values of a package's documents: what mutations use."""
    keys = sorted({f.key for cls in package.classes for f in cls.fields} | {f.name for cls in package.classes for f in cls.fields})
    tag_keys = sorted({f.key for cls in package.classes if cls.family_root for f in cls.fields if f.name == cls.family_root.discriminator})
    tags = sorted({cls.discriminator_value for cls in package.classes if cls.discriminator_value})
    enum_values = sorted({m.value for e in package.enums for m in e.members})
    prefixes = sorted({f.prefix for cls in package.classes for f in cls.fields if f.prefix})
    values: list[Any] = [
        None, True, False, 0, 1, -3, 7.0, 1.5, float("inf"), "", "7", "true", "x", "Command",
        [], ["a"], [1], {}, {"a": "b"}, {"a": 1}, {1: "a"}, b"bytes", datetime.date(2024, 1, 31),
        *tags, *enum_values, *(p + "x" for p in prefixes), *(p[:-1] for p in prefixes),
    ]  # fmt: skip
    return keys, tag_keys, values


def mutate(draw: Callable[[st.SearchStrategy[Any]], Any], package: Package, doc: Any) -> Any:
    """``doc`` changed in one to three places: a value replaced, a key removed, added or retagged."""
    keys, tag_keys, values = vocabulary(package)
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["replace", "delete", "add", "retag"]))
        if kind == "replace" and nodes(doc):
            path = draw(st.sampled_from(nodes(doc)))
            value = draw(st.sampled_from(values) | st.builds(lambda p: at(doc, p), st.sampled_from(nodes(doc))))
            at(doc, path[:-1])[path[-1]] = copy.deepcopy(value)
            continue
        target = at(doc, draw(st.sampled_from(containers(doc)))) if containers(doc) else None
        if target is None:
            continue
        if kind == "delete" and target:
            del target[draw(st.sampled_from(sorted(target, key=repr)))]
        elif kind == "add":
            key = draw(st.sampled_from([*keys, "unknown", "Type", 5]))
            target[key] = copy.deepcopy(draw(st.sampled_from(values)))
        elif kind == "retag" and tag_keys:
            target[draw(st.sampled_from(tag_keys))] = copy.deepcopy(draw(st.sampled_from(values)))
    return doc
