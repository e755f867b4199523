"""The resolved model: what a spec means, in no target's terms.

``resolve`` builds it; every target reads it. It holds names, types (parsed :class:`TypeExpr`),
values, texts in the spec's languages and positions, never code: how Python (or a schema, or a
page) spells a type, a default or a loader is planned by that target. A :class:`Codec` says how
the values of one type are told apart and read from a document (its kind, its children, the
names it reaches), which the Python target turns into loaders and dumpers and the schema target
into subschemas.

The model is this module and three of its parts, whose names it re-exports (import every name
from here): the texts (:mod:`.model_texts`), the enums and spellings (:mod:`.model_enums`) and the
constraints of a field (:mod:`.model_constraints`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Position
from .model_constraints import CONSTRAINT_KINDS, Constraint, Constraints, counted, document_form
from .model_enums import MATCHES, EnumMember, EnumModel, Spellings, folded
from .model_texts import ChangelogEntry, Deprecation, Text
from .spec.typeexpr import TypeExpr

if TYPE_CHECKING:
    from .spec.loader import Document

__all__ = [
    "CODEC_KINDS", "CONSTRAINT_KINDS", "MATCHES", "ChangelogEntry", "ClassModel", "Codec", "Constraint", "Constraints",
    "Default", "Deprecation", "EnumMember", "EnumModel", "Example", "Exclusive", "FieldModel", "MethodModel", "Package",
    "Param", "Raise", "Spellings", "Text", "counted", "document_form", "folded",
]  # fmt: skip


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
    #: False for a read-only attribute that is never a document key (the service sets it): documents
    #: giving its key give an unknown key, and nothing writes it.
    in_document: bool = True

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
    #: The order in which ``to_dict`` writes the keys of a mapping loaded from a document: ``spec``
    #: (its fields') or ``document`` (the document's, remembered; always so when it keeps unknown keys).
    key_order: str = "spec"
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
    def document_fields(self) -> list[FieldModel]:
        """Its fields that are document keys (all but the attributes outside documents)."""
        return [f for f in self.fields if f.in_document]

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


@dataclass(frozen=True)
class ShippedModule:
    """A hand-written module the package ships (``package.modules``): the file ``file`` (as messages name
    it), copied into the package as ``name``. Its text is the user's, not code the model writes."""

    name: str
    file: str
    text: str


@dataclass(frozen=True)
class DocumentForm:
    """Another form a document may come in (``package.document.reads``): ``function`` of the shipped
    module ``module`` rewrites a document of that form to the modelled one."""

    module: str
    function: str
    description: Text

    @property
    def id(self) -> str:
        """``module:function``, as the spec writes it."""
        return f"{self.module}:{self.function}"


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
    #: The function that writes several documents as one multi-document file (each checked first).
    dump_all_function: str
    document_description: Text | None
    enums: list[EnumModel]
    classes: list[ClassModel]
    codecs: list[Codec]
    source: Document
    languages: tuple[str, ...] = ("en",)
    changelog: list[ChangelogEntry] = field(default_factory=list)
    #: The hand-written modules the package ships, by name.
    modules: list[ShippedModule] = field(default_factory=list)
    #: The other forms of a document the load functions read, in the order they try them.
    reads: list[DocumentForm] = field(default_factory=list)
    #: The YAML version whose meaning a document's plain values have: "1.1" or "1.2".
    yaml_version: str = "1.1"
