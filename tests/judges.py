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
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pydantic
from hypothesis import strategies as st

from generator.model import ClassModel, Codec, Constraints, EnumModel, FieldModel, Package, Spellings, document_form
from generator.spec.validate import python_pattern
from generator.targets.pydantic import pydantic_root
from generator.targets.schema import schema_path

#: ``integer`` is a YAML ``!!int``: a Python int that is not a bool (a float is never one).
YAML_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
)
_TYPE = jsonschema.Draft202012Validator.VALIDATORS["type"]


def _yaml_type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """``type``, where a YAML timestamp (which pyyaml reads as a date, or a date and time) is the
    ``string`` its text is to a JSON reader when the schema's ``format`` is a date (and time); elsewhere
    it is no string (a name written ``2024-01-31`` is a date to the loader, as to YAML 1.1)."""
    if isinstance(instance, datetime.date) and schema.get("format") in ("date", "date-time"):
        return
    yield from _TYPE(validator, types, instance, schema)


def _bound(word: str, holds: Callable[[Any, Any], bool]) -> Callable[..., Any]:
    """A numeric bound as JSON Schema words it ("valid if the instance is greater than or exactly
    equal to..."): a YAML NaN is no such number. (``jsonschema`` tests the opposite comparison, which
    NaN passes, as the loader and pydantic do not.)"""

    def check(validator: Any, bound: Any, instance: Any, schema: dict[str, Any]) -> Any:
        if validator.is_type(instance, "number") and not holds(instance, bound):
            yield jsonschema.ValidationError(f"{instance!r} is not {word} {bound!r}")

    return check


def _multiple_of(validator: Any, step: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """``multipleOf``: "valid if division by this keyword's value results in an integer", exactly; a
    YAML NaN or infinity is no multiple (``jsonschema`` raises on them, and on integers a float
    cannot hold)."""
    from fractions import Fraction

    if validator.is_type(instance, "number") and not (math.isfinite(instance) and Fraction(instance) % Fraction(step) == 0):
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {step!r}")


YamlValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={
        "type": _yaml_type,
        "minimum": _bound("at least", lambda x, b: x >= b),
        "maximum": _bound("at most", lambda x, b: x <= b),
        "exclusiveMinimum": _bound("more than", lambda x, b: x > b),
        "exclusiveMaximum": _bound("less than", lambda x, b: x < b),
        "multipleOf": _multiple_of,
    },
    type_checker=YAML_TYPES,
)


def _iso(kind: type[datetime.date]) -> Callable[[object], bool]:
    """A format check of ``date-time`` or ``date``: what ``fromisoformat`` reads, or a YAML timestamp of that kind."""

    def check(value: object) -> bool:
        if isinstance(value, str):
            try:
                kind.fromisoformat(value)
            except ValueError:
                return False
            return True
        return isinstance(value, kind) and (kind is datetime.datetime or not isinstance(value, datetime.datetime))

    return check


#: The formats the schema uses, checked as the loader reads them (Python's ISO 8601).
FORMATS = jsonschema.FormatChecker([])
FORMATS.checks("date-time")(_iso(datetime.datetime))
FORMATS.checks("date")(_iso(datetime.date))


@dataclass
class Judges:
    """The loader, the schema and the pydantic models of one package, each giving a verdict."""

    package: Package
    entities: ModuleType
    schema: dict[str, Any]
    models: ModuleType
    validator: jsonschema.protocols.Validator = field(init=False)

    def __post_init__(self) -> None:
        self.validator = YamlValidator(self.schema, format_checker=FORMATS)
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
        if _keys_that_are_no_strings(doc) and self._only_key_problems(doc):
            # Known difference: a pydantic model whose extra is "ignore" (a class that ignores unknown
            # keys) drops a key that is no string without a word; a document's keys are strings, which
            # the loader and the schema hold to. Told here where the loader's only problems are such keys.
            return "a key that is no string (pydantic ignores it where the class ignores unknown keys)"
        return None

    def _only_key_problems(self, doc: object) -> bool:
        try:
            self.root_class.from_dict(doc)
        except self.entities.DocumentError as exc:
            return all(problem.expected == "a string key" for problem in exc.problems)
        return False

    def verdicts(self, doc: object) -> dict[str, str | None]:
        return {"loader": self.by_loader(doc), "schema": self.by_schema(doc), "pydantic": self.by_pydantic(doc)}

    def assert_agree(self, doc: object) -> bool:
        """Assert the three judges give the same verdict on ``doc``; returns it (True: accepted)."""
        verdicts = self.verdicts(doc)
        accepted = {name: message is None for name, message in verdicts.items()}
        assert len(set(accepted.values())) == 1, _disagreement(doc, verdicts)
        return accepted["loader"]


def _keys_that_are_no_strings(value: object) -> bool:
    if isinstance(value, dict):
        return any(not isinstance(k, str) or _keys_that_are_no_strings(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_keys_that_are_no_strings(item) for item in value)
    return False


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


#: Dates and times as a YAML document holds them: timestamps (naive or with a timezone) and ISO strings.
DATETIMES = st.datetimes(timezones=st.none() | st.just(datetime.UTC)) | st.datetimes().map(lambda d: d.isoformat())
DATES = st.dates() | st.dates().map(lambda d: d.isoformat())


def spellings_of(spellings: Spellings) -> st.SearchStrategy[str]:
    """A spelling a document may use: a value or an alias, in any case when the match ignores it."""
    words = st.sampled_from([w for value, aliases in spellings.values for w in (value, *aliases)])
    if spellings.match != "case_insensitive":
        return words
    return words.flatmap(lambda w: st.sampled_from([w, w.upper(), w.lower(), w.title(), w.swapcase()]))


def enum_spellings(enum: EnumModel) -> Spellings:
    return Spellings(enum.match, tuple((m.value, m.aliases) for m in enum.members))


def tag_spellings(cls: ClassModel) -> Spellings:
    """The spellings of a family member's discriminator value."""
    family = cls.family_root
    assert family is not None and cls.discriminator_value is not None
    return Spellings(family.discriminator_match, ((cls.discriminator_value, cls.discriminator_aliases),))


#: What a string that ``accepts`` other scalars may also be.
ACCEPTED = {"int": st.integers(), "float": st.floats(), "bool": st.booleans()}


#: A key no spec of the tests models: what a class that keeps (or ignores) unknown keys may meet.
EXTRA_KEY = "someKeyOfAnotherVersion"


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
        if kind == "scalar" and codec.accepts:
            return st.one_of([TEXT, *(ACCEPTED[t] for t in codec.accepts)])
        if kind in ("scalar", "any", "none"):
            return {
                "str": TEXT,
                "int": st.integers(),
                "float": st.floats() | st.integers(),
                "bool": st.booleans(),
                "datetime": DATETIMES,
                "date": DATES,
                "None": st.none(),
                "Any": ANY_VALUES,
            }[scalar_name(codec)]
        if kind == "prefixed":
            return st.tuples(st.sampled_from(codec.prefix), TEXT).map("".join)
        if kind == "enum":
            assert isinstance(codec.target, EnumModel)
            values = spellings_of(enum_spellings(codec.target))
            return values | TEXT if codec.target.open else values
        if kind == "class":
            assert isinstance(codec.target, ClassModel)
            return self.mapping(codec.target, depth, tag="optional")
        if kind == "family":
            return self.family(codec, depth)
        if kind == "keyed":
            return st.one_of([self.mapping(cls, depth, tag="optional") for cls in codec.classes])
        size = 3 if depth < MAX_DEPTH else 0
        if kind == "list":
            assert codec.item is not None
            return st.lists(self.codec(codec.item, depth + 1), max_size=size)
        if kind == "dict":
            assert codec.item is not None
            return st.dictionaries(TEXT, self.codec(codec.item, depth + 1), max_size=size)
        if kind == "union":
            return st.one_of([self.codec(o, depth) for o in codec.options])
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
            # the root takes any other value of the key, or none at all unless the family has a default
            need = root.discriminator_default is not None
            options.append(self.mapping(codec.fallback, depth, tag="required" if need else "optional", avoid=known))
        return st.one_of(options)

    def mapping(self, cls: ClassModel, depth: int, *, tag: str, avoid: set[str] | None = None) -> st.SearchStrategy[Any]:
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        deep = depth >= MAX_DEPTH
        for f in cls.document_fields:
            if f.fixed is not None:
                spelled = tag_spellings(cls)
                (required if tag == "required" else optional)[f.key] = spellings_of(spelled) if spelled.spelled else st.just(f.fixed)
                continue
            is_tag = avoid is not None and cls.family_root is not None and f.name == cls.family_root.discriminator
            if deep and not f.required and not (is_tag and tag == "required"):
                continue
            value = self.codec(f.codec, depth + 1)
            if is_tag:
                value = value.filter(lambda v, known=frozenset(avoid or ()): v not in known)
            if f.constraints:
                value = self.constrained(f, depth + 1)
            if f.nullable:
                value = st.none() | value
            (required if f.required or (is_tag and tag == "required") else optional)[f.key] = value
        if cls.unknown_keys != "forbid":  # a class that keeps or ignores keys it does not model
            optional[EXTRA_KEY] = ANY_VALUES
        # keys that exclude each other: one of each group at most (exactly one when it is required)
        groups: list[st.SearchStrategy[dict[str, Any]]] = []
        for group in cls.exclusive:
            choices = [st.fixed_dictionaries({k: optional.pop(k)}) for k in group.keys if k in optional]
            groups.append(st.one_of(choices) if group.required else st.one_of([st.just({}), *choices]))
        base = st.fixed_dictionaries(required, optional=optional)
        if not groups:
            return base
        return st.tuples(base, *groups).map(lambda parts: {k: v for part in parts for k, v in part.items()})


    def constrained(self, f: FieldModel, depth: int) -> st.SearchStrategy[Any]:
        """Values of a field with constraints that keep them, often at their bounds (each option of a
        union of its kind)."""
        codec = f.codec
        options = codec.options if codec.kind == "union" else [codec]
        made = [self.kept(f.constraints, o, depth) for o in options]
        return st.one_of(made) if len(made) > 1 else made[0]

    def kept(self, constraints: Constraints, codec: Codec, depth: int) -> st.SearchStrategy[Any]:
        kind = value_kind(codec)
        checks = constraints.of_kind(kind) if kind else []
        plain = self.codec(codec, depth)
        if not checks:
            return plain
        c = constraints
        if kind == "number":
            made = numbers_within(c, integers=codec.scalar == "int")
        elif kind == "string":
            low, high = c.min_length or 0, c.max_length
            if c.pattern is not None:
                made = st.from_regex(python_pattern(c.pattern), alphabet=st.characters(exclude_categories=("Cs",)))
                made = made.filter(lambda t: low <= len(t) and (high is None or len(t) <= high))
            else:
                made = st.text(st.characters(exclude_categories=("Cs",)), min_size=low, max_size=high if high is not None else low + 6)
            if codec.kind == "prefixed":
                made = made.filter(lambda t, p=codec.prefix: t.startswith(p))
        else:
            assert codec.item is not None
            low = c.min_items or 0
            high = c.max_items if c.max_items is not None else low + (3 if depth < MAX_DEPTH else 0)
            unique = document_form if c.unique_items else None
            made = st.lists(self.codec(codec.item, depth + 1), min_size=low, max_size=high, unique_by=unique)
        return made.filter(lambda v: all(check.violation(v) is None for check in checks))


def value_kind(codec: Codec) -> str:
    """The kind of constraint that applies to a codec's values (number, string, list), or ''."""
    if codec.kind == "scalar" and codec.scalar in ("int", "float"):
        return "number"
    if (codec.kind == "scalar" and codec.scalar == "str") or codec.kind == "prefixed":
        return "string"
    return "list" if codec.kind == "list" else ""


def numbers_within(c: Constraints, *, integers: bool) -> st.SearchStrategy[Any]:
    """Numbers that keep a field's bounds and ``multiple_of``, the bounds themselves often."""
    lows = [v for v in (c.minimum, c.exclusive_minimum) if v is not None]
    highs = [v for v in (c.maximum, c.exclusive_maximum) if v is not None]
    low, high = (max(lows) if lows else -1000), (min(highs) if highs else 1000)
    step = c.multiple_of
    if step is not None:
        first, last = math.ceil(low / step), math.floor(high / step)
        return st.integers(first, last).map(lambda n: n * step) | st.sampled_from([first * step, last * step])
    edges = [v for v in (low, high) if v is not None]
    if integers:
        whole = st.integers(math.floor(low), math.ceil(high))
        return whole | st.sampled_from([e for b in edges for e in (math.floor(b), math.ceil(b), math.floor(b) + 1, math.ceil(b) - 1)])
    floats = st.floats(low, high, allow_nan=False) | st.integers(math.ceil(low), math.floor(high))
    return floats | st.sampled_from([*edges, *(math.nextafter(b, math.inf) for b in edges), *(math.nextafter(b, -math.inf) for b in edges)])


def constraint_misses(f: FieldModel, value: Any) -> list[Any]:
    """Values just beyond a field's constraints (and at them): what a person writes one off."""
    c = f.constraints
    out: list[Any] = []
    for bound in (c.minimum, c.exclusive_minimum, c.maximum, c.exclusive_maximum):
        if bound is not None:
            out += [bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5, float(bound)]
    if c.multiple_of is not None:
        out += [c.multiple_of, c.multiple_of * 3, c.multiple_of * 1.5, c.multiple_of + 1, 0, -c.multiple_of]
    for size in (c.min_length, c.max_length):
        if size is not None:
            out += ["a" * max(size - 1, 0), "a" * size, "a" * (size + 1)]
    if c.pattern is not None:
        out += ["", "A", "a b", "a\n", "0", "é"]
    sample = value[0] if isinstance(value, list) and value else "x"
    for size in (c.min_items, c.max_items):
        if size is not None:
            out += [[copy.deepcopy(sample) for _ in range(n)] for n in (max(size - 1, 0), size, size + 1)]
    if c.unique_items:
        out += [[sample, copy.deepcopy(sample)], [1, 1.0], [1, True], [{"a": 1, "b": 2}, {"b": 2, "a": 1}]]
        if isinstance(value, list) and value:
            out.append([*value, copy.deepcopy(value[0])])
    return out


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
    prefixes = sorted({p for cls in package.classes for f in cls.fields for p in f.prefix})
    values: list[Any] = [
        None, True, False, 0, 1, -3, 7.0, 1.5, float("inf"), "", "7", "true", "x", "Command",
        [], ["a"], [1], {}, {"a": "b"}, {"a": 1}, {1: "a"}, b"bytes", datetime.date(2024, 1, 31),
        *tags, *enum_values, *(p + "x" for p in prefixes), *(p[:-1] for p in prefixes),
    ]  # fmt: skip
    return keys, tag_keys, values


# -- mutations that know what a position expects ------------------------------------------------------


@dataclass
class Position:
    """A value inside a document, with the codec the loader reads it with (and its class, for a mapping)."""

    path: tuple[Any, ...]
    codec: Codec
    cls: ClassModel | None = None
    #: The field whose value it is (None for the document, and the items of a container).
    field: FieldModel | None = None


def scalar_name(codec: Codec) -> str:
    """The IDL name of a none, any or scalar codec's type: ``None``, ``Any``, ``str``..."""
    return {"none": "None", "any": "Any"}.get(codec.kind) or codec.scalar


def _branch(codec: Codec, value: Any) -> Codec | None:
    """The branch of a union the loader takes for ``value`` (None: no branch takes it)."""
    for sub in codec.options:
        name = scalar_name(sub)
        if value is None:
            if name == "None":
                return sub
        elif isinstance(value, bool):
            if name == "bool":
                return sub
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if name in ("int", "float") and (name == "float" or isinstance(value, int)):
                return sub
        elif isinstance(value, str):
            if sub.kind in ("enum", "prefixed") or name == "str":
                return sub
        elif isinstance(value, list):
            if sub.kind == "list":
                return sub
        elif isinstance(value, dict) and sub.kind in ("dict", "class", "family", "keyed"):
            return sub
    return None


def positions(codec: Codec, value: Any, path: tuple[Any, ...] = (), field: FieldModel | None = None) -> list[Position]:
    """Every value of a (valid) document with what the loader expects there, the way the loader walks it."""
    if codec.kind == "union":
        sub = _branch(codec, value)
        return [Position(path, codec, field=field), *(positions(sub, value, path)[1:] if sub is not None else [])]
    out = [Position(path, codec, field=field)]
    cls: ClassModel | None = None
    if codec.kind == "class" and isinstance(codec.target, ClassModel):
        cls = codec.target
    elif codec.kind == "family" and isinstance(value, dict) and isinstance(codec.target, ClassModel):
        tag = value.get(codec.tag_key, codec.target.discriminator_default)
        if codec.tag_spellings is not None and isinstance(tag, str):
            tag = codec.tag_spellings.table.get(codec.tag_spellings.key(tag), tag)
        cls = next((member for value_tag, member in codec.members if value_tag == tag), codec.fallback)
    elif codec.kind == "keyed" and isinstance(value, dict):
        cls = next((member for key, member in codec.members if key in value), codec.fallback)
    if cls is not None and isinstance(value, dict):
        out[0].cls = cls
        for f in cls.document_fields:
            if f.fixed is None and value.get(f.key) is not None:
                out += positions(f.codec, value[f.key], (*path, f.key), f)
    elif codec.kind == "list" and codec.item is not None and isinstance(value, list):
        for i, item in enumerate(value):
            out += positions(codec.item, item, (*path, i))
    elif codec.kind == "dict" and codec.item is not None and isinstance(value, dict):
        for key, item in value.items():
            out += positions(codec.item, item, (*path, key))
    return out


def near_misses(package: Package, codec: Codec) -> list[Any]:
    """Values close to what ``codec`` takes: other scalar types that a lax reader would convert, and so on."""
    date = datetime.date(2024, 1, 31)
    kind, py = codec.kind, scalar_name(codec)
    other_enum_values = [m.value for e in package.enums for m in e.members]
    if kind == "union":
        return [v for o in codec.options for v in near_misses(package, o)]
    if kind in ("scalar", "any", "none"):
        return {
            "str": [1, True, b"text", date, ["a"], {"a": "b"}],
            "int": [7.0, True, False, "7", 1.5, 2**70, -0, float("nan")],
            "float": [True, "1.5", 3, 2**70, float("inf"), float("nan"), -0.0],
            "bool": [1, 0, "true", "yes", 1.0],
            "None": [0, "", False, "null"],
            "datetime": ["2024-01-31", "yesterday", "2024-13-01T00:00:00", 1706700000, date],
            "date": ["2024-01-31T10:00:00", "31/01/2024", 20240131, datetime.datetime(2024, 1, 31)],
            "Any": [date, {1: 2}, [None], b"x"],
        }[py]
    if kind == "prefixed":
        return [v for p in codec.prefix for v in (p, p[:-1], p.upper() + "x", " " + p, "x" + p)] + ["", 5]
    if kind == "enum":
        assert isinstance(codec.target, EnumModel)
        first = codec.target.members[0].value
        aliases = [a for m in codec.target.members for a in m.aliases]
        spelled = [w for a in aliases[:4] for w in (a.upper(), a + "_", "é" + a)]
        return ["", first.upper(), first + " ", "x", 1, True, *other_enum_values[:8], *spelled]
    if kind == "list":
        return [{}, "a", (), [None], [1], [{}], [[]]]
    if kind == "dict":
        return [[], "a", {1: "a"}, {"k": None}, {"k": 1}, {"k": {}}, {"k": []}, {"": "v"}]
    if kind == "keyed":  # a mapping with the keys of two classes, or of none
        both = {key: "x" for key, _ in codec.members}
        return [[], "x", 0, {}, {"unknown": 1}, both]
    return [[], "x", 0, {}, {"unknown": 1}]


def mapping_mutations(draw: Callable[[st.SearchStrategy[Any]], Any], package: Package, target: dict[Any, Any], cls: ClassModel) -> None:
    """Change a mapping the way a person gets one wrong: a key missing, a stray key, another kind."""
    family = cls.family_root
    tag_key = next((f.key for f in cls.fields if family is not None and f.name == family.discriminator), None)
    siblings = [c for c in package.classes if family is not None and c.family_root is family and not c.abstract]
    sibling_keys = sorted({f.key for c in siblings for f in c.document_fields} - {f.key for f in cls.document_fields})
    tags = [c.discriminator_value for c in siblings if c.discriminator_value] + ["", "unknown", None, 1]
    tags += [w.swapcase() for c in siblings for w in c.discriminator_aliases]
    kind = draw(st.sampled_from(["delete", "stray", "sibling", "retag", "untag"]))
    if kind == "delete" and target:
        del target[draw(st.sampled_from(sorted(target, key=repr)))]
    elif kind == "stray":
        names = [f.name for f in cls.fields if f.name != f.key]
        target[draw(st.sampled_from(["unknown", 5, "Type", *names]))] = "x"
    elif kind == "sibling" and sibling_keys:
        key = draw(st.sampled_from(sibling_keys))
        field = next(f for c in siblings for f in c.document_fields if f.key == key)
        target[key] = draw(Documents(package).codec(field.codec, 3)) if field.fixed is None else field.fixed
    elif kind == "retag" and tag_key is not None:
        target[tag_key] = draw(st.sampled_from(tags))
    elif kind == "untag" and tag_key is not None:
        target.pop(tag_key, None)


def mutate(draw: Callable[[st.SearchStrategy[Any]], Any], package: Package, doc: Any) -> Any:
    """``doc`` changed in one to three places, mostly where the model says what belongs there."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 3)) == 0:
            doc = blind_mutation(draw, package, doc)
            continue
        found = positions(package.root_codec, doc)
        codecs = list({id(p.codec): p.codec for p in found}.values())  # each kind of position as likely
        codec = draw(st.sampled_from(codecs))
        where = draw(st.sampled_from([p for p in found if p.codec is codec]))
        target = at(doc, where.path)
        if where.cls is not None and isinstance(target, dict) and draw(st.booleans()):
            mapping_mutations(draw, package, target, where.cls)
            continue
        misses = near_misses(package, where.codec) + (constraint_misses(where.field, target) if where.field is not None else [])
        value = copy.deepcopy(draw(st.sampled_from([None, *misses])))
        if where.path:
            at(doc, where.path[:-1])[where.path[-1]] = value
        else:
            doc = value
    return doc


def blind_mutation(draw: Callable[[st.SearchStrategy[Any]], Any], package: Package, doc: Any) -> Any:
    """One change that knows nothing of the model: a value replaced, a key removed, added or retagged."""
    keys, tag_keys, values = vocabulary(package)
    kind = draw(st.sampled_from(["replace", "delete", "add", "retag"]))
    if kind == "replace" and nodes(doc):
        path = draw(st.sampled_from(nodes(doc)))
        value = draw(st.sampled_from(values) | st.builds(lambda p: at(doc, p), st.sampled_from(nodes(doc))))
        at(doc, path[:-1])[path[-1]] = copy.deepcopy(value)
        return doc
    target = at(doc, draw(st.sampled_from(containers(doc)))) if containers(doc) else None
    if target is None:
        return doc
    if kind == "delete" and target:
        del target[draw(st.sampled_from(sorted(target, key=repr)))]
    elif kind == "add":
        key = draw(st.sampled_from([*keys, "unknown", "Type", 5]))
        target[key] = copy.deepcopy(draw(st.sampled_from(values)))
    elif kind == "retag" and tag_keys:
        target[draw(st.sampled_from(tag_keys))] = copy.deepcopy(draw(st.sampled_from(values)))
    return doc


# -- every single change -------------------------------------------------------------------------------


def sample(package: Package, codec: Codec, depth: int = 0) -> Any:
    """A small value the loader takes for ``codec`` (its first choice everywhere)."""
    kind = codec.kind
    if kind in ("scalar", "any", "none"):
        return {"str": "s", "int": 1, "float": 1.5, "bool": True, "None": None, "Any": "a"}[scalar_name(codec)]
    if kind == "prefixed":
        return codec.prefix[0] + "x"
    if kind == "enum":
        assert isinstance(codec.target, EnumModel)
        return codec.target.members[0].value
    if kind == "list":
        return []
    if kind == "dict":
        return {}
    if kind == "union":
        return sample(package, next(o for o in codec.options if o.kind != "none"), depth)
    if kind == "keyed":
        return sample_mapping(package, codec.classes[0], depth)
    if kind == "family":
        tag, member = codec.members[0] if codec.members else (None, codec.fallback)
        assert member is not None
        out = sample_mapping(package, member, depth)
        if tag is not None:
            out[codec.tag_key] = tag
        return out
    assert isinstance(codec.target, ClassModel)
    return sample_mapping(package, codec.target, depth)


def sample_mapping(package: Package, cls: ClassModel, depth: int) -> dict[str, Any]:
    out = {f.key: sample(package, f.codec, depth + 1) for f in cls.fields if f.required and f.fixed is None}
    for group in cls.exclusive:
        if group.required:  # one of the group's keys is needed: its first
            first = next(f for f in cls.fields if f.key == group.keys[0])
            out[first.key] = sample(package, first.codec, depth + 1)
    return out


def neighbours(package: Package, doc: Any) -> list[tuple[str, Any]]:
    """Every document one change away from ``doc``: each value replaced by each near miss, and each
    mapping with a key removed, a stray or another class's key added, its discriminator changed."""
    out: list[tuple[str, Any]] = []

    def changed(what: str, path: tuple[Any, ...], change: Callable[[Any], Any]) -> None:
        copied = copy.deepcopy(doc)
        if path:
            parent = at(copied, path[:-1])
            parent[path[-1]] = change(parent[path[-1]])
        else:
            copied = change(copied)
        out.append((f"{'.'.join(map(str, path)) or '<document>'}: {what}", copied))

    def put(key: Any, value: Any) -> Callable[[Any], Any]:
        return lambda mapping: {**mapping, key: copy.deepcopy(value)}

    def drop(key: Any) -> Callable[[Any], Any]:
        return lambda mapping: {k: v for k, v in mapping.items() if k != key}

    for where in positions(package.root_codec, doc):
        value = at(doc, where.path)
        misses = near_misses(package, where.codec) + (constraint_misses(where.field, value) if where.field is not None else [])
        for miss in [None, *misses]:
            changed(f"{miss!r} for {value!r}", where.path, lambda _old, miss=miss: copy.deepcopy(miss))
        cls = where.cls
        if cls is None or not isinstance(value, dict):
            continue
        for key in value:
            changed(f"without {key!r}", where.path, drop(key))
        for f in cls.fields:
            if f.key not in value and f.fixed is None:
                changed(f"with {f.key!r}", where.path, put(f.key, sample(package, f.codec, 1)))
        for stray in ["unknown", 5, *(f.name for f in cls.fields if f.name != f.key)]:
            changed(f"with stray key {stray!r}", where.path, put(stray, "x"))
        family = cls.family_root
        if family is None:
            continue
        tag_key = next(f.key for f in cls.fields if f.name == family.discriminator)
        members = [c for c in [family, *family.descendants()] if not c.abstract]
        for other in members:
            for f in other.fields:
                if f.key not in value and all(g.key != f.key for g in cls.fields):
                    changed(f"with {other.name}'s key {f.key!r}", where.path, put(f.key, sample(package, f.codec, 1)))
        for tag in [*(c.discriminator_value for c in members if c.discriminator_value), None, "", "unknown", 1]:
            changed(f"{tag_key} {tag!r}", where.path, put(tag_key, tag))
    return out
