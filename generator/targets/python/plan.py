"""The Python target's plan: how Python spells what the model says.

From the target-neutral :class:`~generator.model.Package` it computes what the templates of
``templates/python/`` lay out: type annotations, default expressions, attribute and local names,
how each field is read and written, which classes read and write their bases' fields, and the
function names of every codec. The expressions themselves are written by the per-kind macros of
``templates/python/kinds/`` (every kind's file defines ``test``, ``load``, ``dump_test`` and
``dump``, and ``functions`` for its module-level functions), which read a :class:`PyCodec`.

The generated code of a field is written once, in the class that declares it: each class reads
and writes its own fields (``_read``, ``_write``) and calls its bases' for theirs, so the code grows
with the number of fields, not with the depth of the hierarchy. Its parts: how Python spells types
and defaults (``pyexpr``), each codec's plan (``pycodecs``), each field's (``pyfields``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import ClassModel, Codec, Constraint, EnumModel, Exclusive, FieldModel, Package, Spellings, Text
from ...spec.names import snake
from ...spec.validate import python_pattern
from .pycodecs import PyCodec, dump_style, spelling_table
from .pydocstrings import abstract_note, documented
from .pyexpr import deprecation_note, py_default, py_type, regex_literal, shown_default, uses_dates
from .pyfields import KIND_TYPES, PyCheck, PyChecks, PyField, PyTag, field_default, read_style, reads_twice, write_order
from .pysource import py_literal

#: What other stages take from the plan (the expressions of ``pyexpr`` among them, asked by the docs).
__all__ = [
    "Planner",
    "PyClass",
    "PyCodec",
    "PyField",
    "PyPackage",
    "deprecation_note",
    "plan",
    "py_default",
    "py_type",
    "shown_default",
]


#: A base with at most this many fields (and no bases with fields) is written by its subclasses
#: themselves: a call per object costs more than those few lines.
INLINED_FIELDS = 3


@dataclass(eq=False)
class PyClass:
    """A class as the Python target writes it.

    ``parts`` are the direct bases whose ``_read``/``_write`` it calls (those with fields, themselves
    or in their bases); ``reads`` and ``writes`` the fields its own ``_read``/``_write`` handle;
    ``tag`` is the discriminator its loader checks: (document key, its value in this class, whether
    the family omits it, whether this class is the family's fallback, which keeps any other value;
    a member's value is its class's, never stored on the object).
    """

    model: ClassModel
    name: str
    snake: str
    bases: str
    abstract: bool
    concrete: bool
    description: Text
    own_fields: list[PyField]
    #: Its bases with fields (their fields come first in its own list, ``_FIELDS``).
    field_bases: list[str]
    parts: list[str]
    reads: list[PyField]
    writes: list[PyField | PyTag]
    codec: PyCodec | None
    from_dict_type: str
    abstract_note: str
    unknown_keys: str
    tag: tuple[str, str, bool, bool] | None
    #: Its subclasses call its ``_read`` and ``_write``.
    called: bool = False
    #: The spellings of its discriminator value a document may use (as written, then lowered when
    #: ``tag_casefold``), when it has other spellings than its value; else empty.
    tag_spellings: list[str] = field(default_factory=list)
    #: A member's discriminator, written first when a base's ``_write`` held it (they write none).
    tag_first: PyTag | None = None
    tag_casefold: bool = False
    #: Its loader makes objects by ``object.__new__`` (a lookup less than ``Cls.__new__``): no class
    #: of the user's (``extends``) is among its bases, which might make its objects otherwise.
    plain_new: bool = False
    #: The groups of keys that exclude each other in its documents.
    exclusive: list[Exclusive] = field(default_factory=list)
    #: Its docstring's ``Args:`` (constructor parameters) and ``Attributes:`` (read-only attributes),
    #: each (name, description); ``listed_bases``: the bases whose docstrings list the rest ('' when
    #: every field is listed).
    doc_args: list[tuple[str, Text]] = field(default_factory=list)
    doc_attributes: list[tuple[str, Text]] = field(default_factory=list)
    listed_bases: str = ""
    #: The docstring's note of a deprecated class ('' when it is not).
    deprecated: str = ""
    #: The document keys in the order its ``to_dict`` writes them, when it is not its fields' (a
    #: concrete class's that writes its documents' key order; see :func:`write_order`).
    listed_ranks: list[str] = field(default_factory=list)

    @property
    def document_order(self) -> bool:
        """Whether its loader remembers a document's key order, for ``to_dict`` to write it back."""
        return self.model.key_order == "document"

    @property
    def defines_read(self) -> bool:
        """Whether it defines ``_read``, which its subclasses' loaders call for its fields: it is a base
        they do not write themselves (see ``Planner.inlined``), with fields to read or several bases
        that have some (a concrete class's own loader reads its fields itself)."""
        return self.called and (bool(self.reads) or len(self.parts) > 1)

    @property
    def defines_write(self) -> bool:
        """Whether it defines ``_write``, which its subclasses' ``to_dict`` call for its fields."""
        return self.called and (bool(self.writes) or len(self.parts) > 1)

    @property
    def properties(self) -> list[PyField]:
        """Its read-only attributes, shown by properties (a fixed discriminator needs none)."""
        return [f for f in self.own_fields if f.readonly and f.model.fixed is None]

    @property
    def loader(self) -> str:
        return f"_load_{self.snake}"


class Planner:
    """Plans a package once: every codec and field gets one Python plan, shared where the model shares."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self._codecs: dict[int, PyCodec] = {}
        self._fields: dict[int, PyField] = {}
        self._has_parts: dict[str, bool] = {}
        #: The compiled patterns of the module: pattern → (constant name, Python pattern).
        self.patterns: dict[str, tuple[str, str]] = {}

    def codec(self, codec: Codec) -> PyCodec:
        known = self._codecs.get(id(codec))
        if known is not None:
            return known
        item = self.codec(codec.item) if codec.item is not None else None
        options = [self.codec(o) for o in codec.options]
        spellings: Spellings | None = codec.tag_spellings
        stands: dict[str, str] = {}
        if codec.kind == "enum":
            assert isinstance(codec.target, EnumModel)
            enum = codec.target
            spellings = Spellings(enum.match, tuple((m.value, m.aliases) for m in enum.members)) if enum.spelled else None
            stands = {m.value: f"{enum.name}.{m.name}" for m in enum.members}
        table = spelling_table(spellings, stands) if spellings is not None else []
        value_of = {expr: value for value, expr in stands.items()}
        planned = PyCodec(
            model=codec,
            kind=codec.kind,
            name=codec.name,
            py_type=py_type(codec.type),
            expected=codec.expected,
            style=dump_style(codec, item, options),
            item=item,
            options=options,
            classes=[c.name for c in codec.classes] if codec.kind in ("class", "family", "keyed") else [],
            members=[(tag, f"_load_{cls.snake}") for tag, cls in codec.members],
            fallback=f"_load_{codec.fallback.snake}" if codec.fallback else "",
            table=table,
            casefold=spellings is not None and spellings.match == "case_insensitive",
            table_respells=any(value_of.get(target) != spelling for spelling, target in table),
        )
        self._codecs[id(codec)] = planned
        return planned

    @property
    def fields_planned(self) -> list[PyField]:
        """Every field planned so far."""
        return list(self._fields.values())

    def field(self, f: FieldModel) -> PyField:
        known = self._fields.get(id(f))
        if known is not None:
            return known
        value = f.default.value if f.default is not None else None
        literal = "" if f.default is None or value is None else py_default(f.default)
        factory = literal if literal in ("list", "dict") else ""
        if factory:
            literal = "[]" if factory == "list" else "{}"
        # a member is a string equal to its value: compared with the value, no enum attribute is looked up
        compare = py_literal(value) if f.default is not None and f.default.member else literal
        if f.required or f.dump_always:
            write = "always"
        elif value is None:
            write = "not_none"
        else:
            write = "differs"
        planned = PyField(
            model=f,
            name=f.name,
            key=f.key,
            attr=f"_{f.name}" if f.readonly else f.name,
            local=f"f_{f.name}",
            annotation=py_type(f.type),
            default=field_default(f),
            codec=self.codec(f.codec),
            style=read_style(f.codec),
            nullable=f.nullable,
            required=f.required,
            readonly=f.readonly,
            factory=factory,
            given="" if f.dump_always else compare,
            write=write,
            default_literal=literal,
            compare=compare,
            description=f.description,
            returns=f.returns,
            respells=f.codec.respells,
            checks=self.checks(f),
            deprecated=deprecation_note(f.deprecated),
        )
        self._fields[id(f)] = planned
        return planned

    def checks(self, f: FieldModel) -> list[PyChecks]:
        """The field's constraints, grouped by the kind of value they apply to, in the order of
        ``KIND_TYPES``."""
        value = f.value_type
        options = [o.name for o in (value.args if value.name == "Union" else (value,))]
        out: list[PyChecks] = []
        for kind, types in KIND_TYPES.items():
            found = f.constraints.of_kind(kind)
            if not found:
                continue
            held = tuple(t for t in types if t in options)
            guard = held if any(o not in types for o in options) else ()
            out.append(PyChecks(kind, guard, [self.check(f, c, "float" in held) for c in found]))
        return out

    def check(self, f: FieldModel, c: Constraint, floats: bool) -> PyCheck:
        literal = py_literal(c.value)
        if c.keyword == "pattern":
            return PyCheck(c.keyword, literal, c.expected, pattern=self.pattern(f, str(c.value)))
        exact = c.keyword == "multiple_of" and not floats and isinstance(c.value, int)
        return PyCheck(c.keyword, literal, c.expected, c.unit, exact=exact, floats=floats and c.kind == "number")

    def pattern(self, f: FieldModel, pattern: str) -> str:
        """The module-level constant that holds ``pattern`` compiled (one per distinct pattern, named
        after the first field that has it)."""
        known = self.patterns.get(pattern)
        if known is None:
            stem = f"_{snake(f.owner)}_{f.name}".upper()
            taken = {name for name, _ in self.patterns.values()}
            name, n = f"{stem}_PATTERN", 1
            while name in taken:
                n += 1
                name = f"{stem}_PATTERN_{n}"
            known = self.patterns[pattern] = (name, regex_literal(python_pattern(pattern)))
        return known[0]

    def inlined(self, base: ClassModel) -> bool:
        """Whether subclasses write a base's fields themselves rather than call its ``_read`` and
        ``_write`` (a call per object costs more than a few lines). Only a base with no bases with
        fields, and either a few fields (a family root of one discriminator: the lines it adds to each
        subclass are bounded) or abstract with one subclass (its fields' code then stands once, in
        that subclass): either way the code still grows linearly with the spec."""
        few = len(base.own_fields) <= INLINED_FIELDS or (base.abstract and len(base.subclasses) == 1)
        return few and not any(self.has_parts(b) for b in base.bases)

    def tag_write(self, cls: ClassModel, f: PyField) -> PyTag:
        """The discriminator of a family member that writes its root's fields itself: its value is
        the class's own, known here."""
        family = cls.family_root
        assert family is not None and cls.discriminator_value is not None
        return PyTag(f.key, py_literal(cls.discriminator_value), cls.discriminator_value == family.discriminator_default)

    def has_parts(self, cls: ClassModel) -> bool:
        """Whether objects of ``cls`` have fields to read and write (its own or its bases')."""
        known = self._has_parts.get(cls.name)
        if known is None:
            known = self._has_parts[cls.name] = bool(cls.own_fields) or any(self.has_parts(b) for b in cls.bases)
        return known

    def py_class(self, cls: ClassModel) -> PyClass:
        codec = self.codec(cls.codec) if cls.codec is not None else None
        family = cls.family_root
        is_root = family is cls
        own = [self.field(f) for f in cls.own_fields]
        tag_name = family.discriminator if family is not None else None
        writes = [f for f in own if f.model.fixed is None]
        for f in writes:
            if is_root and f.name == tag_name and family is not None:
                f.omit = py_literal(family.discriminator_default) if family.discriminator_default is not None else ""
        tag: tuple[str, str, bool, bool] | None = None
        tag_spellings: list[str] = []
        if family is not None and not cls.abstract:
            key = cls.discriminator_key or ""
            fixed = cls.discriminator_value or ""
            omitted = fixed != "" and fixed == family.discriminator_default
            tag = (key, fixed, omitted, cls.discriminator_value is None)
            mine = Spellings(family.discriminator_match, ((fixed, cls.discriminator_aliases),))
            if fixed and mine.spelled:
                tag_spellings = [s for s, _ in spelling_table(mine, {})]
        bases = ", ".join(
            [*(b.name for b in cls.bases), *(f"{module}.{name}" for module, name in cls.extends)]
            if cls.bases
            else ["_runtime.Record", *(f"{module}.{name}" for module, name in cls.extends)]
        )
        parts: list[str] = []
        inlined: list[PyField] = []
        for base in (b for b in cls.bases if self.has_parts(b)):
            if self.inlined(base):
                inlined += [self.field(f) for f in base.own_fields if f.fixed is None]
            else:
                parts.append(base.name)
        reads, written = inlined + own, inlined + writes
        if reads_twice(cls, parts, inlined):  # its bases' readers would read a field twice
            declared, parts = {f.name: f for f in own}, []
            reads = [declared.get(f.name) or self.field(f) for f in cls.fields if f.fixed is None or f.name == tag_name]
            written = [f for f in reads if f.model.fixed is None or (f.name == tag_name and cls.discriminator_value)]
        planned = PyClass(
            model=cls,
            name=cls.name,
            snake=cls.snake,
            bases=bases,
            abstract=cls.abstract,
            concrete=not cls.abstract,
            description=cls.description,
            own_fields=own,
            field_bases=[b.name for b in cls.bases if self.has_parts(b)],
            parts=parts,
            reads=[f for f in reads if f.model.fixed is None and f.name != tag_name],
            writes=[
                self.tag_write(cls, f) if f.name == tag_name and cls.discriminator_value else f
                for f in written
                if f.model.in_document
            ],
            codec=codec,
            from_dict_type=codec.py_type if codec is not None and codec.kind == "family" else cls.name,
            abstract_note=abstract_note(cls) if cls.abstract else "",
            unknown_keys=cls.unknown_keys,
            tag=tag,
            called=bool(cls.subclasses) and not self.inlined(cls),
            tag_spellings=tag_spellings,
            tag_casefold=family is not None and family.discriminator_match == "case_insensitive",
            plain_new=not any(c.extends for c in cls.mro),
            exclusive=cls.exclusive if not cls.abstract else [],
            deprecated=deprecation_note(cls.deprecated),
        )
        if family and cls.discriminator_value and self.inlined(family) and not any(w.is_tag for w in planned.writes):
            planned.tag_first = self.tag_write(cls, next(f for f in own if f.name == tag_name))  # a base's held it
        planned.doc_args, planned.doc_attributes, planned.listed_bases = documented(cls)
        return planned


@dataclass
class PyPackage:
    """The whole package as the Python target writes it."""

    model: Package
    classes: list[PyClass]
    enums: list[EnumModel]
    codecs: list[PyCodec]
    root_codec: PyCodec
    imports: list[str]
    uses_dates: bool
    #: The user's own modules that hooks name (``extends``, ``implements: module:function``), imported
    #: by the models: explicit, and checked by mypy like any import.
    hook_modules: list[str] = field(default_factory=list)
    #: The compiled patterns of the constraints: (constant name, Python pattern), in first use order.
    patterns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def read_modules(self) -> list[str]:
        """The shipped modules whose functions read other forms of a document, sorted."""
        return sorted({form.module for form in self.model.reads})

    @property
    def read_function(self) -> str:
        """The private function that rewrites a document of another form and loads it (``_read_job``)."""
        return "_read_" + self.model.load_function.removeprefix("load_")

    @property
    def core(self) -> bool:
        """Whether documents are read (and dumped) as YAML 1.2, its core schema."""
        return self.model.yaml_version == "1.2"

    @property
    def document_loader(self) -> str:
        """What the load functions call on a parsed document: the root's loader, or the reader first
        when the spec reads other forms."""
        return self.read_function if self.model.reads else self.root_codec.loader

    @property
    def public_names(self) -> list[str]:
        names = [e.name for e in self.enums] + [c.name for c in self.classes]
        model = self.model
        functions = [model.load_function, model.load_all_function, model.dump_function, model.dump_all_function]
        return sorted([*names, "DocumentError", "Problem", *functions])

    @property
    def homes(self) -> list[tuple[str, str]]:
        """Each public name with the module of the package that defines it, by name: the package's
        ``__init__`` imports a module when one of its names is first used."""
        home = {"DocumentError": "_runtime", "Problem": "_runtime"}
        home.update((e.name, "enums") for e in self.enums)
        return [(name, home.get(name, "models")) for name in self.public_names]


def plan(package: Package) -> PyPackage:
    """The Python plan of ``package``."""
    planner = Planner(package)
    imports = ["from os import PathLike", "from typing import IO, Any, ClassVar"]
    classes = [planner.py_class(cls) for cls in package.classes]
    by_name = {planned.name: planned for planned in classes}
    for planned in classes:
        planned.listed_ranks = write_order(planned, by_name) if planned.concrete and planned.document_order else []
    codecs = [planner.codec(c) for c in package.codecs]
    root_codec = planner.codec(package.root_codec)
    # what calls a union's loader: a field of it, a union it is an option of, the document; the
    # lists and dicts of it test its options in their loops
    called = {id(f.codec) for f in planner.fields_planned} | {id(root_codec)}
    called |= {id(o) for c in codecs if c.kind == "union" for o in c.options}
    for c in codecs:
        c.inlined = c.kind == "union" and id(c) not in called
    return PyPackage(
        model=package,
        classes=classes,
        enums=package.enums,
        codecs=codecs,
        root_codec=root_codec,
        imports=imports,
        uses_dates=uses_dates(package),
        hook_modules=hook_modules(package),
        patterns=list(planner.patterns.values()),
    )


def hook_modules(package: Package) -> list[str]:
    """The modules of the user's own that the package's hooks name, sorted."""
    modules = {module for cls in package.classes for module, _ in cls.extends}
    modules |= {m.hook[0] for cls in package.classes for m in cls.methods if m.hook is not None}
    return sorted(modules)
