"""Each codec as the Python target writes it (:class:`PyCodec`): its function names, its Python type,
how its values are written back, and its table of spellings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Codec, Spellings
from .pysource import py_literal


@dataclass(eq=False)
class PyCodec:
    """A codec as the Python target writes it.

    ``style`` says how a value is written back to a document: ``as_is`` (the value itself),
    ``member`` (an enum member as its plain value, any other value as it is), ``copy`` (a new list or
    dict of the same items; any value with each list and dict in it copied), ``method`` (the object's ``_dump()``), ``inline`` (the conversion of the
    union's one kind of value to convert, an object or a member, else the value) or ``function`` (a
    module-level ``_dump_<name>``). Writing does
    not check values: ``dump`` loads what it is about to write, so a wrong value is reported there
    with its path (see :func:`dump_style`).
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
    #: family: (tag, loader of the class it picks); keyed: (key, loader of the class it picks);
    #: the loader of the fallback class
    members: list[tuple[str, str]] = field(default_factory=list)
    fallback: str = ""
    #: enum (member attributes) and family (discriminator values): each accepted spelling with what
    #: it stands for, when a document may spell values otherwise; ``casefold``: the table also holds
    #: every spelling lowered (``_runtime.folded``), looked up when the spelling as written is not found
    table: list[tuple[str, str]] = field(default_factory=list)
    casefold: bool = False
    #: enum: some spelling of the table is not the value of the member it stands for (an alias, a
    #: spelling lowered), so that a value found in it may have been spelled otherwise
    table_respells: bool = False
    #: union: no field and no other union reads by its loader, only the loops of the lists and dicts
    #: that hold it, which test its options themselves: it has no loader function (see ``plan``)
    inlined: bool = False

    @property
    def loader(self) -> str:
        return f"_load_{self.name}"

    @property
    def dumper(self) -> str:
        return f"_dump_{self.name}"

    @property
    def lookup(self) -> str:
        """An enum's table of spellings (a module-level dict: spelling → member)."""
        return f"_{self.name.upper()}_MEMBERS"

    @property
    def converted(self) -> list[PyCodec]:
        """A union's options whose values are not written as they are."""
        return [o for o in self.options if o.style != "as_is"]


def spelling_table(spellings: Spellings, stands: dict[str, str]) -> list[tuple[str, str]]:
    """Each spelling a document may use, with what it stands for (``stands`` maps a value to its
    Python expression; a value missing from it stands for itself, as a string literal): the
    spellings as written, then, when the match ignores case, each lowered (looked up when the
    spelling as written is not found)."""
    table: dict[str, str] = {}
    for value, aliases in spellings.values:
        target = stands.get(value) or py_literal(value)
        for spelling in (value, *aliases):
            table.setdefault(spelling, target)
    if spellings.match == "case_insensitive":
        for value, aliases in spellings.values:
            target = stands.get(value) or py_literal(value)
            for spelling in (value, *aliases):
                table.setdefault(spellings.key(spelling), target)
    return list(table.items())


def dump_style(codec: Codec, item: PyCodec | None, options: list[PyCodec]) -> str:
    kind = codec.kind
    if kind == "any":
        return "copy"  # its lists and dicts: to_dict gives data of its own
    if kind in ("none", "scalar", "prefixed"):
        return "as_is"  # a prefixed string is held with its prefix, as written
    if kind == "enum":
        return "member"  # a document form is plain data: a member is written as its value
    if kind in ("class", "family", "keyed"):
        return "method"
    if kind in ("list", "dict"):
        assert item is not None
        return "copy" if item.style == "as_is" else "function"
    converted = [o for o in options if o.style != "as_is"]
    if not converted:
        return "as_is"
    if len(converted) == 1 and converted[0].kind in ("class", "family", "keyed", "enum"):
        return "inline"  # one kind of object to convert, the rest written as it is: an expression, not a call
    return "function"
