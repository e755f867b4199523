"""The render-ready model: everything a template needs, computed once by ``resolve``.

Templates only lay these out. Python annotations, default expressions, YAML keys, the MRO,
the codec (load/dump functions) of every type, and the imports of every module live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Position
from .typeexpr import TypeExpr

if TYPE_CHECKING:
    from .changelog import ChangelogEntry


@dataclass(frozen=True)
class Text:
    """A text in every language of the docs."""

    en: str
    es: str

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.es


@dataclass
class EnumMember:
    """One member of an enum: its Python name, its document value and what it means."""

    name: str
    value: str
    description: Text


@dataclass(eq=False)
class EnumModel:
    """An enum of the spec. An ``open`` enum loads values the spec does not list."""

    name: str
    description: Text
    open: bool
    members: list[EnumMember]
    where: Position


@dataclass
class Branch:
    """One alternative of a union codec: the test that selects it and the codec that loads it."""

    check: str
    codec: Codec
    expected: str
    result: str = "{}"
    dump_check: str = ""


@dataclass
class Codec:
    """How the values of one type are read from and written to a document.

    ``load`` and ``dump`` are call templates with one ``{}`` for the value expression;
    ``dump`` is ``"{}"`` when a value is written as it is. ``function`` is the name-stem of the
    module-level functions this codec needs (``_load_<function>``), or ``""`` for none.
    """

    key: str
    kind: str  # scalar | any | prefixed | enum | class | family | list | dict | union
    py_type: str
    expected: str
    load: str
    dump: str
    function: str = ""
    item: Codec | None = None
    branches: list[Branch] = field(default_factory=list)
    members: list[tuple[str, ClassModel]] = field(default_factory=list)
    fallback: ClassModel | None = None
    target: ClassModel | EnumModel | None = None
    prefix: str = ""
    scalar_check: str = ""
    tag_expected: str = ""

    @property
    def dumps_as_is(self) -> bool:
        """True when a value is written to the document as it is."""
        return self.dump == "{}"

    def check(self, expr: str) -> str:
        """The test that ``expr`` has this codec's scalar type (``scalar_check`` filled in)."""
        return self.scalar_check.replace("{0}", expr).replace("{}", expr)

    @property
    def dump_function(self) -> bool:
        """True when values are written by a module-level ``_dump_<function>``."""
        return self.dump.startswith("_dump_")

    @property
    def loader(self) -> str:
        """Name of the module-level function that loads this type."""
        return f"_load_{self.function}"


@dataclass
class FieldModel:
    """A field of a class, as seen from one class (its defaults may differ in a subclass)."""

    name: str
    attr: str
    key: str
    type: TypeExpr
    py_type: str
    nullable: bool
    codec: Codec
    required: bool
    readonly: bool
    description: Text
    returns: Text | None
    owner: str
    default_py: str | None
    default_doc: str | None
    type_text: str
    where: Position
    local: str = ""
    fixed: str | None = None
    omit_value: str | None = None
    prefix: str = ""
    rename_of: str | None = None

    @property
    def init(self) -> bool:
        """True when the field is a constructor parameter."""
        return not self.readonly and self.fixed is None

    @property
    def load_style(self) -> str:
        """How the class loader reads it: ``fixed`` (a discriminator to check), ``any`` (taken
        as it is), ``scalar`` (an inline type test) or ``codec`` (a loader function)."""
        if self.fixed is not None:
            return "fixed"
        if self.codec.kind in ("any", "scalar"):
            return self.codec.kind
        return "codec"


@dataclass
class Param:
    """A method parameter."""

    name: str
    py_type: str
    type_text: str
    description: Text
    default_py: str | None
    variadic: bool


@dataclass
class Raise:
    """An exception a method raises, and when."""

    type: str
    description: Text


@dataclass
class MethodModel:
    """A method whose body is one of the runtime's operations (``implements``)."""

    name: str
    description: Text
    implements: str
    params: list[Param]
    returns_py: str
    returns_text: str
    returns_description: Text | None
    raises: list[Raise]


@dataclass
class Example:
    """An example from the spec; it runs in the tests."""

    title: Text
    code: str


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
    keys_constant: str = ""

    @property
    def abstract_note(self) -> str:
        """What the docstring of an abstract class says about it."""
        text = "This class is abstract: it cannot be instantiated"
        if self.family_root is self:
            key = next(f.key for f in self.fields if f.name == self.discriminator)
            return f"{text}; a document loads as one of its subclasses, chosen by ``{key}``."
        return f"{text}."

    @property
    def init_fields(self) -> list[FieldModel]:
        return [f for f in self.fields if f.init]

    @property
    def attributes(self) -> list[FieldModel]:
        return [f for f in self.fields if not f.init]

    @property
    def loadable(self) -> bool:
        return not self.abstract

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
    """The whole resolved spec: what every template renders from."""

    name: str
    version: str
    title: Text
    description: Text
    spec_file: str
    root: ClassModel
    root_codec: Codec
    load_function: str
    document_description: Text | None
    enums: list[EnumModel]
    classes: list[ClassModel]
    codecs: list[Codec]
    model_imports: list[str]
    changelog: list[ChangelogEntry] = field(default_factory=list)

    @property
    def public_names(self) -> list[str]:
        names = [e.name for e in self.enums] + [c.name for c in self.classes]
        return sorted([*names, "DocumentError", "Problem", self.load_function])
