"""The Python target's plan: how Python spells what the model says.

From the target-neutral :class:`~generator.model.Package` it computes what the templates of
``templates/python/`` lay out: type annotations, default expressions, attribute and local
names, the style in which each field is loaded, the function names of every codec and how each
codec's values are written back. The expressions themselves are written by the per-kind macros
of ``templates/python/kinds/`` (each kind's file defines the same macros: ``test``, ``load``,
``dump``, ``dump_test`` and ``functions``), which read a :class:`PyCodec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import ClassModel, Codec, Default, EnumModel, FieldModel, Package, Text
from ...spec.typeexpr import TypeExpr
from .pysource import py_literal

#: The Python type of each IDL scalar, and of the names method parameters may use.
NAMED_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "Any": "Any", "None": "None",
               "PathLike": "PathLike[str]", "IO": "IO[str]"}


def py_type(expr: TypeExpr) -> str:
    """The annotation of a type: ``dict[str, Input | int] | None``."""
    if expr.name == "Union":
        return " | ".join(py_type(a) for a in expr.args)
    if expr.name == "dict":
        return f"dict[{py_type(expr.args[0])}, {py_type(expr.args[1])}]"
    if expr.name == "list":
        return f"list[{py_type(expr.args[0])}]"
    return NAMED_TYPES.get(expr.name, expr.name)


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


def document_literal(value: Default) -> str:
    """The document value of a default as a Python literal (what a loader reads when the key is absent)."""
    return py_literal(value.value)


# -- codecs ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class PyCodec:
    """A codec as the Python target writes it.

    ``style`` says how a value is written back to a document: ``as_is`` (the value itself),
    ``copy`` (a new list or dict of the same items), ``prefix`` (the prefix added when missing),
    ``method`` (``to_dict()``), ``inline`` (``to_dict()`` when the value is the union's one kind of
    object, else the value) or ``function`` (a module-level ``_dump_<name>``).
    """

    model: Codec
    kind: str
    name: str
    py_type: str
    expected: str
    style: str
    item: PyCodec | None = None
    options: list[PyCodec] = field(default_factory=list)
    #: class and family: the classes a value may be, by name
    classes: list[str] = field(default_factory=list)
    #: family: (tag, loader of the class it picks); the loader of the fallback class
    members: list[tuple[str, str]] = field(default_factory=list)
    fallback: str = ""

    @property
    def loader(self) -> str:
        return f"_load_{self.name}"

    @property
    def dumper(self) -> str:
        return f"_dump_{self.name}"

    @property
    def converted(self) -> list[PyCodec]:
        """A union's options whose values are not written as they are."""
        return [o for o in self.options if o.style != "as_is"]


def _style(codec: Codec, item: PyCodec | None, options: list[PyCodec]) -> str:
    kind = codec.kind
    if kind in ("none", "any", "scalar", "enum"):
        return "as_is"
    if kind == "prefixed":
        return "prefix"
    if kind in ("class", "family"):
        return "method"
    if kind in ("list", "dict"):
        assert item is not None
        return "copy" if item.style == "as_is" else "function"
    converted = [o for o in options if o.style != "as_is"]
    if not converted:
        return "as_is"
    if len(converted) == 1 and converted[0].kind in ("class", "family"):
        return "inline"  # one kind of object to convert, the rest written as it is: an expression, not a call
    return "function"


class Planner:
    """Plans a package once: every codec, field and class gets one Python plan, shared where the model shares."""

    def __init__(self) -> None:
        self._codecs: dict[int, PyCodec] = {}
        self._fields: dict[int, PyField] = {}

    def codec(self, codec: Codec) -> PyCodec:
        known = self._codecs.get(id(codec))
        if known is not None:
            return known
        item = self.codec(codec.item) if codec.item is not None else None
        options = [self.codec(o) for o in codec.options]
        planned = PyCodec(
            model=codec,
            kind=codec.kind,
            name=codec.name,
            py_type=py_type(codec.type),
            expected=codec.expected,
            style=_style(codec, item, options),
            item=item,
            options=options,
            classes=[c.name for c in codec.classes] if codec.kind in ("class", "family") else [],
            members=[(tag, f"_load_{cls.snake}") for tag, cls in codec.members],
            fallback=f"_load_{codec.fallback.snake}" if codec.fallback else "",
        )
        self._codecs[id(codec)] = planned
        return planned

    def field(self, f: FieldModel) -> PyField:
        known = self._fields.get(id(f))
        if known is not None:
            return known
        codec = self.codec(f.codec)
        if f.fixed is not None:
            style = "fixed"
        elif f.codec.kind in ("any", "scalar"):
            style = f.codec.kind
        else:
            style = "codec"
        planned = PyField(
            model=f,
            name=f.name,
            key=f.key,
            attr=f"_{f.name}" if f.readonly else f.name,
            local=f"f_{f.name}",
            annotation=py_type(f.type),
            default=_field_default(f),
            read_default=document_literal(f.default) if f.default is not None and f.default.value is not None else "",
            style=style,
            codec=codec,
            nullable=f.nullable,
            required=f.required,
            readonly=f.readonly,
            fixed=f.fixed,
            omit_value=f.omit_value,
            description=f.description,
            returns=f.returns,
        )
        self._fields[id(f)] = planned
        return planned


def _field_default(f: FieldModel) -> str:
    """The ``= ...`` part of a dataclass field."""
    if f.fixed is not None:
        return f" = field(default={py_literal(f.fixed)}, init=False)"
    if f.readonly:
        return " = field(default=None, init=False)"
    if f.default is None:
        return ""
    expr = py_default(f.default)
    if expr in ("list", "dict"):
        return f" = field(default_factory={expr})"
    return f" = {expr}"


@dataclass(eq=False)
class PyField:
    """A field as the Python target writes it.

    ``attr`` is where the dataclass stores it (``_name`` for a read-only attribute, shown by a
    property); ``local`` the variable a loader reads it into; ``read_default`` the literal a loader
    reads when the key is absent ('' for none); ``style`` how a loader reads it: ``fixed`` (a
    discriminator to check), ``any`` (taken as it is), ``scalar`` (an inline type test) or
    ``codec`` (a loader function).
    """

    model: FieldModel
    name: str
    key: str
    attr: str
    local: str
    annotation: str
    default: str
    read_default: str
    style: str
    codec: PyCodec
    nullable: bool
    required: bool
    readonly: bool
    fixed: str | None
    omit_value: str | None
    description: Text
    returns: Text | None

    @property
    def init(self) -> bool:
        return self.model.init


@dataclass(eq=False)
class PyClass:
    """A class as the Python target writes it."""

    model: ClassModel
    name: str
    snake: str
    bases: str
    abstract: bool
    description: Text
    fields: list[PyField]
    own_fields: list[PyField]
    codec: PyCodec | None
    from_dict_type: str
    abstract_note: str

    @property
    def init_fields(self) -> list[PyField]:
        return [f for f in self.fields if f.init]

    @property
    def loaded_attributes(self) -> list[PyField]:
        """Read-only attributes a loader sets after construction (discriminators are fixed)."""
        return [f for f in self.fields if f.readonly and f.fixed is None]

    @property
    def keys_constant(self) -> str:
        return f"_{self.snake.upper()}_KEYS"

    @property
    def loader(self) -> str:
        return f"_load_{self.snake}"


def _abstract_note(cls: ClassModel) -> str:
    """What the docstring of an abstract class says about it."""
    text = "This class is abstract: it cannot be instantiated"
    if cls.family_root is cls:
        return f"{text}; a document loads as one of its subclasses, chosen by ``{cls.discriminator_key}``."
    return f"{text}."


@dataclass
class PyPackage:
    """The whole package as the Python target writes it."""

    model: Package
    classes: list[PyClass]
    enums: list[EnumModel]
    codecs: list[PyCodec]
    root_codec: PyCodec
    imports: list[str]

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def has_abstract(self) -> bool:
        return any(c.abstract for c in self.classes)

    @property
    def public_names(self) -> list[str]:
        names = [e.name for e in self.enums] + [c.name for c in self.classes]
        return sorted([*names, "DocumentError", "Problem", self.model.load_function])


def plan(package: Package) -> PyPackage:
    """The Python plan of ``package``."""
    planner = Planner()
    classes: list[PyClass] = []
    for cls in package.classes:
        codec = planner.codec(cls.codec) if cls.codec is not None else None
        bases = ", ".join(b.name for b in cls.bases) if cls.bases else ("abc.ABC" if cls.abstract else "")
        classes.append(
            PyClass(
                model=cls,
                name=cls.name,
                snake=cls.snake,
                bases=bases,
                abstract=cls.abstract,
                description=cls.description,
                fields=[planner.field(f) for f in cls.fields],
                own_fields=[planner.field(f) for f in cls.own_fields],
                codec=codec,
                from_dict_type=codec.py_type if codec is not None and codec.kind == "family" else cls.name,
                abstract_note=_abstract_note(cls) if cls.abstract else "",
            )
        )
    return PyPackage(
        model=package,
        classes=classes,
        enums=package.enums,
        codecs=[planner.codec(c) for c in package.codecs],
        root_codec=planner.codec(package.root_codec),
        imports=["from os import PathLike", "from typing import IO, Any"],
    )
