"""The resolved model: what a spec means, in no target's terms.

``resolve`` builds it; every target reads it. It holds names, types (parsed :class:`TypeExpr`),
values, texts in the spec's languages and positions, never code: how Python (or a schema, or a
page) spells a type, a default or a loader is planned by that target. A :class:`Codec` says how
the values of one type are told apart and read from a document (its kind, its children, the
names it reaches), which the Python target turns into loaders and dumpers and the schema target
into subschemas.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import Position
from .spec.typeexpr import TypeExpr

if TYPE_CHECKING:
    from .spec.loader import Document


@dataclass(frozen=True)
class Text:
    """A text in every language of the spec, in the order the spec declares them."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **texts: str) -> Text:
        """``Text.of(en="Hello", es="Hola")``."""
        return cls(tuple(texts.items()))

    def __getitem__(self, lang: str) -> str:
        for code, text in self.values:
            if code == lang:
                return text
        raise KeyError(lang)

    @property
    def default(self) -> str:
        """The text in the spec's first language (the language of the generated code)."""
        return self.values[0][1]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.values)


@dataclass(frozen=True)
class Deprecation:
    """A class, field or enum member that is deprecated: it still loads and works; ``note`` says what
    to use instead (None for a plain ``deprecated: true``)."""

    note: Text | None = None


@dataclass(frozen=True)
class ChangelogEntry:
    """One version of the changelog: what changed, and the breaking changes it acknowledges."""

    version: str
    changes: tuple[Text, ...]
    acknowledged_breaking: tuple[str, ...] = ()


@dataclass
class EnumMember:
    """One member of an enum: its name, its document value and what it means."""

    name: str
    value: str
    description: Text
    where: Position
    #: Other spellings a document may use for it.
    aliases: tuple[str, ...] = ()
    deprecated: Deprecation | None = None


#: How a document's value is matched to an enum's members (or a family's discriminator values):
#: ``exact``, or ``case_insensitive`` (ASCII letters match whatever their case; the spellings of
#: such an enum are ASCII, so that every target, regular expressions included, agrees).
MATCHES = ("exact", "case_insensitive")


@dataclass(eq=False)
class EnumModel:
    """An enum of the spec. An ``open`` enum loads values the spec does not list; ``match`` says how
    a document's value is matched to a member's value and aliases."""

    name: str
    description: Text
    open: bool
    members: list[EnumMember]
    where: Position
    match: str = "exact"

    @property
    def spelled(self) -> bool:
        """Whether a document may spell a member otherwise than its value."""
        return self.match != "exact" or any(m.aliases for m in self.members)


def folded(text: str) -> str:
    """``text`` with its letters in lower case when it is ASCII (a match that ignores case ignores
    it for ASCII letters only: a non-ASCII text is compared as it is)."""
    return text.lower() if text.isascii() else text


@dataclass(frozen=True)
class Spellings:
    """The spellings a document may use for some values: each value with its aliases, and how they
    match. ``table`` maps each accepted spelling (lowered when the match ignores case) to its
    value."""

    match: str
    values: tuple[tuple[str, tuple[str, ...]], ...]

    def key(self, spelling: str) -> str:
        """How a spelling is looked up: as it is, or with its ASCII letters in lower case."""
        return folded(spelling) if self.match == "case_insensitive" else spelling

    @property
    def table(self) -> dict[str, str]:
        return {self.key(s): value for value, aliases in self.values for s in (value, *aliases)}

    @property
    def spelled(self) -> bool:
        """Whether any value may be spelled otherwise."""
        return self.match != "exact" or any(aliases for _, aliases in self.values)


@dataclass(frozen=True)
class Default:
    """A default: a plain document value (null, a boolean, a number, a string, an empty list or
    mapping), or a member of an enum (``member``, of ``enum``)."""

    value: Any
    enum: str = ""
    member: str = ""

    @property
    def document_value(self) -> Any:
        """The value as a document holds it."""
        return self.value


#: Codec kinds: how a type's values are read. ``none`` is the null of a union, ``any`` any value,
#: ``scalar`` a string, integer, number or boolean, ``prefixed`` a string that starts with a given
#: text, ``class`` a mapping of one class, ``family`` a mapping whose discriminator key picks the
#: class, ``keyed`` a mapping of one of several classes picked by a key only one of them has,
#: ``list`` and ``dict`` containers of an item codec, ``union`` one of several options.
CODEC_KINDS = ("none", "any", "scalar", "prefixed", "enum", "class", "family", "keyed", "list", "dict", "union")


@dataclass(eq=False)
class Codec:
    """How the values of one type are read from and written to a document.

    ``name`` is the codec's unique name among the package's codecs (a stem such as
    ``dict_str`` or ``identity_configuration_family``; ``""`` for the kinds that need no
    functions of their own: none, any, scalar). ``expected`` says, in a document's terms, what a
    value must be ("a string", "one of ..."). A union's ``options`` are in the order a value is
    tried: null, boolean, integer, number, then the others as the spec lists them.
    """

    kind: str
    type: TypeExpr
    expected: str
    name: str = ""
    scalar: str = ""  # scalar and prefixed: str | int | float | bool
    item: Codec | None = None
    options: list[Codec] = field(default_factory=list)
    members: list[tuple[str, ClassModel]] = field(default_factory=list)
    fallback: ClassModel | None = None
    target: ClassModel | EnumModel | None = None
    #: prefixed: the texts a string may start with (one of them)
    prefix: tuple[str, ...] = ()
    tag_key: str = ""
    tag_expected: str = ""
    #: family: how a document may spell the discriminator values (None: only as they are)
    tag_spellings: Spellings | None = None
    #: scalar (a string): the other scalar types a document may write instead, read as their text
    accepts: tuple[str, ...] = ()

    @property
    def spelled(self) -> bool:
        """Whether reading a value may change how it is spelled (an enum's alias, a number read as a
        string), so that its document form is no longer what the document wrote."""
        if self.kind == "enum":
            assert isinstance(self.target, EnumModel)
            return self.target.spelled
        return bool(self.accepts)

    @property
    def respells(self) -> bool:
        """Whether this codec or one it reads values with (not through a class, which keeps its own
        document) is :attr:`spelled`."""
        return self.spelled or any(c.respells for c in self.children())

    @property
    def classes(self) -> list[ClassModel]:
        """The classes a ``class``, ``family`` or ``keyed`` codec loads (members, then the fallback)."""
        if self.kind == "class":
            assert isinstance(self.target, ClassModel)
            return [self.target]
        return [m for _, m in self.members] + ([self.fallback] if self.fallback else [])

    def children(self) -> list[Codec]:
        """The codecs this one reads its values with (a container's item, a union's options)."""
        return ([self.item] if self.item is not None else []) + self.options


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


@dataclass
class FieldModel:
    """A field of a class, as seen from one class (a discriminator is fixed in each subclass)."""

    name: str
    key: str
    type: TypeExpr
    nullable: bool
    codec: Codec
    required: bool
    readonly: bool
    description: Text
    returns: Text | None
    owner: str
    default: Default | None
    type_text: str
    where: Position
    fixed: str | None = None
    omit_value: str | None = None
    #: The texts a document's string may start with (one of them), kept as written.
    prefix: tuple[str, ...] = ()
    rename_of: str | None = None
    #: Written by ``to_dict`` even when it holds its default and the document did not give it.
    dump_always: bool = False
    #: The other scalar types a document may write for this string field, read as their text.
    accepts: tuple[str, ...] = ()
    constraints: Constraints = field(default_factory=Constraints)
    deprecated: Deprecation | None = None

    @property
    def init(self) -> bool:
        """True when the field is a constructor parameter."""
        return not self.readonly and self.fixed is None

    @property
    def value_type(self) -> TypeExpr:
        """The type without its ``None`` option (what the codec reads)."""
        if not self.nullable:
            return self.type
        rest = self.type.args[:-1]
        return rest[0] if len(rest) == 1 else TypeExpr("Union", rest)


@dataclass
class Param:
    """A method parameter."""

    name: str
    type: TypeExpr
    type_text: str
    description: Text
    default: Default | None
    variadic: bool
    where: Position

    @property
    def required(self) -> bool:
        return self.default is None and not self.variadic


@dataclass
class Raise:
    """An exception a method raises, and when."""

    type: str
    description: Text


@dataclass
class MethodModel:
    """A method whose body is one of the runtime's operations, or a call of a function of the
    user's own (``implements``: ``dump_yaml``, or ``module:function``; see :attr:`hook`)."""

    name: str
    description: Text
    implements: str
    params: list[Param]
    returns: TypeExpr
    returns_text: str
    returns_description: Text | None
    raises: list[Raise]
    where: Position

    @property
    def hook(self) -> tuple[str, str] | None:
        """(module, function) of the user's function the method calls; None for a runtime operation."""
        if ":" not in self.implements:
            return None
        module, _, function = self.implements.partition(":")
        return module, function


@dataclass
class Example:
    """An example from the spec; it runs in the tests."""

    title: Text
    code: str


@dataclass(frozen=True)
class Exclusive:
    """Fields that exclude each other in a document: at most one given, or exactly one when
    ``required``. ``keys`` are their document keys, in the order the spec lists them."""

    fields: tuple[str, ...]
    keys: tuple[str, ...]
    required: bool
    where: Position


@dataclass(eq=False)
class ClassModel:
    """A class of the spec with its resolved MRO and fields."""

    name: str
    snake: str
    description: Text
    abstract: bool
    where: Position
    bases: list[ClassModel] = field(default_factory=list)
    mro: list[ClassModel] = field(default_factory=list)
    own_fields: list[FieldModel] = field(default_factory=list)
    fields: list[FieldModel] = field(default_factory=list)
    methods: list[MethodModel] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    discriminator: str | None = None
    discriminator_default: str | None = None
    discriminator_value: str | None = None
    family_root: ClassModel | None = None
    subclasses: list[ClassModel] = field(default_factory=list)
    codec: Codec | None = None
    #: What loading does with a key the class does not model: ``forbid``, ``keep`` or ``ignore``.
    unknown_keys: str = "forbid"
    #: family root: how a document may spell the discriminator values
    discriminator_match: str = "exact"
    #: family member: other spellings of its discriminator value
    discriminator_aliases: tuple[str, ...] = ()
    #: Groups of fields that exclude each other in a document (its own and its bases').
    exclusive: list[Exclusive] = field(default_factory=list)
    #: Classes of the user's own modules it also derives from, after its bases: (module, class).
    extends: list[tuple[str, str]] = field(default_factory=list)
    deprecated: Deprecation | None = None
    #: How the document keys of the fields it declares are derived from their names (a field's
    #: ``key`` wins): ``snake_case``, ``camelCase`` or ``kebab-case``.
    key_style: str = "snake_case"

    @property
    def discriminator_key(self) -> str | None:
        """The document key of the family's discriminator (None outside a family)."""
        root = self.family_root
        if root is None or root.discriminator is None:
            return None
        return next(f.key for f in self.fields if f.name == root.discriminator)

    @property
    def init_fields(self) -> list[FieldModel]:
        return [f for f in self.fields if f.init]

    @property
    def attributes(self) -> list[FieldModel]:
        return [f for f in self.fields if not f.init]

    @property
    def all_methods(self) -> list[MethodModel]:
        seen: dict[str, MethodModel] = {}
        for cls in self.mro:
            for method in cls.methods:
                seen.setdefault(method.name, method)
        return list(seen.values())

    def descendants(self) -> list[ClassModel]:
        out: list[ClassModel] = []
        for sub in self.subclasses:
            for item in [sub, *sub.descendants()]:
                if item not in out:
                    out.append(item)
        return out


@dataclass
class Package:
    """The whole resolved spec: what every target renders from."""

    name: str
    version: str
    title: Text
    description: Text
    spec_file: str
    root: ClassModel
    root_codec: Codec
    load_function: str
    #: The function that loads every document of a multi-document file.
    load_all_function: str
    #: The function that writes a document (checked first: only a document it loads is written).
    dump_function: str
    document_description: Text | None
    enums: list[EnumModel]
    classes: list[ClassModel]
    codecs: list[Codec]
    source: Document
    languages: tuple[str, ...] = ("en",)
    changelog: list[ChangelogEntry] = field(default_factory=list)
