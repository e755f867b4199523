"""Each field as the Python target writes it (:class:`PyField`): its attribute and local names, how it
is read (and its constraints checked, :class:`PyCheck`) and written back; a family member's own
discriminator (:class:`PyTag`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...model import ClassModel, Codec, FieldModel, Text
from .pycodecs import PyCodec
from .pyexpr import py_default
from .pysource import py_literal

if TYPE_CHECKING:
    from .plan import PyClass

#: The Python types of a document value of each kind of constraint.
KIND_TYPES = {"number": ("int", "float"), "string": ("str",), "list": ("list",)}


@dataclass(frozen=True)
class PyCheck:
    """A constraint as the loader checks it, once the value is read (the macro ``_check`` of
    ``templates/python/load_field.py.j2`` writes the test). ``literal`` is the bound as a Python
    literal, ``expected`` what a problem says the value must be, ``unit`` what a length counts
    (``character``, ``item``); ``pattern`` names the module-level compiled pattern; ``exact``: a
    ``multiple_of`` of integers, tested with ``%`` (others by ``_runtime.is_multiple``, exactly);
    ``floats``: the value may be a float, so a bound is tested the way NaN fails it (``not x >= 1``)."""

    keyword: str
    literal: str
    expected: str
    unit: str = ""
    pattern: str = ""
    exact: bool = False
    floats: bool = False


@dataclass(frozen=True)
class PyChecks:
    """The checks of one kind of value (numbers, strings, lists). ``types``: the Python types a value
    of that kind is, when the field's type holds values of other kinds too (the checks run for those
    types only); empty when every value the field reads is of that kind."""

    kind: str
    types: tuple[str, ...]
    checks: list[PyCheck]


# -- fields and classes ---------------------------------------------------------------------------


@dataclass(eq=False)
class PyField:
    """A field as the Python target writes it.

    ``attr`` is where the dataclass stores it (``_name`` for a read-only attribute, shown by a
    property); ``local`` the variable its code reads it into. Reading: ``style`` is ``any`` (taken
    as it is), ``scalar`` (an inline type test) or ``codec`` (a loader function); ``factory`` is set
    for a list or dict default (made anew for each object); ``given`` is the literal a value is
    compared with to know that the document wrote the default itself ('' for a default of None,
    told by an explicit null, and when no default is ever omitted). Writing: ``write`` is
    ``always``, ``not_none`` or ``differs`` (from ``default_literal``); the discriminator of a family
    root is written unless it is ``omit`` (the family's default).
    """

    model: FieldModel
    name: str
    key: str
    attr: str
    local: str
    annotation: str
    default: str
    codec: PyCodec
    style: str
    nullable: bool
    required: bool
    readonly: bool
    factory: str
    given: str
    write: str
    default_literal: str
    #: What a value is compared with to tell its default (the value itself for an enum member).
    compare: str
    description: Text
    returns: Text | None
    omit: str = ""
    #: Reading it may spell the value otherwise than the document (an alias, a number read as a
    #: string): the loader then remembers what the document wrote.
    respells: bool = False
    #: The constraints checked once a value is read, by kind of value (see :class:`PyChecks`).
    checks: list[PyChecks] = field(default_factory=list)
    #: The docstring's note of a deprecated field ('' when it is not).
    deprecated: str = ""
    is_tag = False

    @property
    def entry(self) -> str:
        """The runtime's entry for the field: (name, default), with its key and attribute when either
        is not its name (see ``_runtime.fields``)."""
        default = "_runtime.MISSING" if self.required else self.default_literal or "None"
        if self.key == self.name and self.attr == self.name and self.model.in_document:
            return f"({py_literal(self.name)}, {default})"
        key = py_literal(self.key) if self.model.in_document else "None"
        return f"({py_literal(self.name)}, {default}, {key}, {py_literal(self.attr)})"


@dataclass(frozen=True)
class PyTag:
    """Where a family member writes its discriminator: ``value`` (a literal), always, or only when its
    document wrote it (``omitted``: the family assumes it)."""

    key: str
    value: str
    omitted: bool
    is_tag = True


def read_style(codec: Codec) -> str:
    """How a field's value is read: taken as it is (any), checked inline (a plain scalar), or loaded
    (a date is made of its string; everything else has a loader)."""
    if codec.kind == "any":
        return "any"
    if codec.kind == "scalar" and codec.scalar not in ("datetime", "date") and not codec.accepts:
        return "scalar"
    return "codec"


def field_default(f: FieldModel) -> str:
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


def reads_twice(cls: ClassModel, parts: list[str], inlined: list[PyField]) -> bool:
    """Whether a class's bases' readers (``parts``, each reading its class's fields) and the fields
    it reads itself (``inlined`` bases' and its own) would read a field twice, or one it declares
    again as its base declares it: its loader then reads all its fields itself, in their order."""
    bases = {b.name: b for b in cls.mro}
    seen: set[str] = set()
    tag = cls.family_root.discriminator if cls.family_root is not None else None
    for group in [[f.model for f in inlined], cls.own_fields, *(bases[name].fields for name in parts)]:
        names = {f.name for f in group if f.fixed is None and f.name != tag}  # as its readers do
        if names & seen:
            return True
        seen |= names
    return False


def write_order(cls: PyClass, by_name: dict[str, PyClass]) -> list[str]:
    """The keys ``cls.to_dict`` writes, in its order, when it is not the order of its fields (the
    usual case: ``_RANKS`` is then made of ``_FIELDS`` when the module is imported, and the code
    does not list every inherited key again, which grows with the depth of a chain); else empty. A
    member's discriminator may be written first; then what its bases' ``_write`` write (each base's
    bases' first), then its own fields."""

    def parts(c: PyClass) -> list[str]:
        return [key for base in c.parts for key in parts(by_name[base])] + [w.key for w in c.writes if not w.is_tag]

    first = [cls.tag_first.key] if cls.tag_first is not None else []
    inherited = [key for base in cls.parts for key in parts(by_name[base])]
    written = list(dict.fromkeys([*first, *inherited, *(w.key for w in cls.writes)]))
    keys = set(written)
    in_fields_order = [f.key for f in cls.model.document_fields if f.key in keys]
    return [] if in_fields_order == written else written
