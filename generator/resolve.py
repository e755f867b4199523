"""Stage 3: turn a validated spec into the render-ready model.

Steps, in order: enums → classes and bases (unknown names, cycles) → parents-before-children
order → C3 MRO → fields (types, overrides, defaults, names) → discriminated families →
codecs of every field type → methods → the document root. Every problem found is collected
with its position; the spec is rejected with all of them.
"""

from __future__ import annotations

import builtins
import json
import keyword
import math
import re
import sys
from typing import Any

from .changelog import check_changelog, read_changelog
from .errors import Position, SpecError, SpecProblem, did_you_mean
from .loader import Document, Path
from .model import (
    Branch,
    ClassModel,
    Codec,
    EnumMember,
    EnumModel,
    Example,
    FieldModel,
    MethodModel,
    Package,
    Param,
    Raise,
    Text,
)
from .pysource import py_literal, py_str
from .typeexpr import OPAQUE, SCALARS, TypeExpr, TypeSyntaxError, parse_type

#: Names a field cannot take: the generated class body uses them, or they are generated members.
RESERVED_MEMBERS = frozenset(
    {"to_dict", "from_dict", "field", "dataclass", "property", "classmethod", "staticmethod", "ClassVar", "Any"}
)
#: Builtins the generated class bodies use in annotations and code: a field of that name would shadow them.
SHADOWED_BUILTINS = frozenset({"str", "int", "float", "bool", "list", "dict", "object", "isinstance", "super", "None"})
#: Names the generated modules import or define at module level: a type or function of the spec cannot take them.
GENERATED_NAMES = frozenset(
    {"DocumentError", "Problem", "Invalid", "StrEnum", "Mapping", "PathLike", "IO", "Any", "ClassVar", "abc", "dataclass",
     "field", "annotations"}
)
#: Modules the generated package imports: a package of the same name would shadow them.
IMPORTED_MODULES = frozenset({"yaml"}) | frozenset(sys.stdlib_module_names)

_SCALAR_CHECKS = {
    "str": ("isinstance({}, str)", "a string"),
    "bool": ("isinstance({}, bool)", "a boolean"),
    "int": ("_runtime.is_int({})", "an integer"),
    "float": ("_runtime.is_number({})", "a number"),
}


def snake(name: str) -> str:
    """``HttpRequest`` → ``http_request``; ``XMLReader`` → ``xml_reader``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text).lower()


def _ascii_stem(text: str) -> str:
    """``text`` reduced to ASCII letters, digits and ``_`` (a part of a function name)."""
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "x"


def _text(raw: dict[str, str]) -> Text:
    return Text(raw["en"], raw["es"])


def _c3(cls: str, bases: dict[str, list[str]], memo: dict[str, list[str]]) -> list[str] | None:
    """C3 linearization of ``cls``; None when the bases' orders cannot be merged."""
    if cls in memo:
        return memo[cls]
    seqs: list[list[str]] = []
    for base in bases[cls]:
        lin = _c3(base, bases, memo)
        if lin is None:
            return None
        seqs.append(list(lin))
    seqs.append(list(bases[cls]))
    out = [cls]
    while any(seqs):
        for seq in seqs:
            if not seq:
                continue
            head = seq[0]
            if not any(head in s[1:] for s in seqs):
                break
        else:
            return None
        out.append(head)
        for seq in seqs:
            if seq and seq[0] == head:
                del seq[0]
    memo[cls] = out
    return out


class Resolver:
    """Builds a :class:`Package` from a validated spec, collecting problems."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.spec: dict[str, Any] = doc.data
        self.problems: list[SpecProblem] = []
        self.enums: dict[str, EnumModel] = {}
        self.classes: dict[str, ClassModel] = {}
        self.codecs: dict[str, Codec] = {}
        #: The first codec made for each (function, kind): two spellings of one type share it.
        self.codec_by_function: dict[tuple[str, str], Codec] = {}
        self.stems: dict[str, str] = {}

    def claim(self, stem: str, owner: str) -> str:
        """A module-level function stem for ``owner``, unique: a taken stem gets ``_2``, ``_3``..."""
        candidate, n = stem, 1
        while self.stems.setdefault(candidate, owner) != owner:
            n += 1
            candidate = f"{stem}_{n}"
        return candidate

    # -- reporting -------------------------------------------------------------------------
    def fail(self, path: Path, message: str, *, key: bool = False) -> None:
        self.problems.append(SpecProblem(self.doc.where(path, key=key), message))

    def at(self, path: Path, *, key: bool = False) -> Position:
        return self.doc.where(path, key=key)

    # -- the steps -------------------------------------------------------------------------
    def run(self) -> Package:
        self.resolve_enums()
        order = self.resolve_class_graph()
        if self.problems:
            raise SpecError(self.problems)
        self.resolve_fields(order)
        self.resolve_families(order)
        if self.problems:
            raise SpecError(self.problems)
        self.resolve_codecs(order)
        self.resolve_methods(order)
        package = self.resolve_package(order)
        if self.problems:
            raise SpecError(self.problems)
        return package

    def resolve_enums(self) -> None:
        for name, raw in self.spec.get("enums", {}).items():
            path: Path = ("enums", name)
            self.check_type_name(name, path, "enum")
            members: list[EnumMember] = []
            seen: dict[str, str] = {}
            for member, body in raw["members"].items():
                value = body["value"]
                if value in seen:
                    self.fail(
                        ("enums", name, "members", member, "value"),
                        f'enum "{name}": member "{member}" repeats the value "{value}" of member "{seen[value]}"',
                    )
                seen[value] = member
                members.append(EnumMember(member, value, _text(body["description"])))
            self.enums[name] = EnumModel(name, _text(raw["description"]), bool(raw.get("open")), members, self.at(path))

    def resolve_class_graph(self) -> list[ClassModel]:
        raw_classes: dict[str, Any] = self.spec.get("classes", {})
        for name, raw in raw_classes.items():
            path: Path = ("classes", name)
            if name in self.enums:
                self.fail(path, f'class "{name}" has the same name as an enum', key=True)
            self.check_type_name(name, path, "class")
            self.classes[name] = ClassModel(
                name=name,
                snake=snake(name),
                description=_text(raw["description"]),
                abstract=bool(raw.get("abstract")),
                where=self.at(path, key=True),
            )
        snakes: dict[str, str] = {}
        for cls in self.classes.values():
            self.claim(cls.snake, f"class {cls.name}")  # a class's loader is _load_<snake>: codecs yield to it
            if cls.snake in snakes:
                self.fail(("classes", cls.name), f'class "{cls.name}" and class "{snakes[cls.snake]}" have the same snake_case name "{cls.snake}"', key=True)
            snakes[cls.snake] = cls.name
        bases: dict[str, list[str]] = {}
        for name, raw in raw_classes.items():
            bases[name] = []
            for i, base in enumerate(raw.get("bases", [])):
                path = ("classes", name, "bases", i)
                if base == name:
                    self.fail(path, f'class "{name}" cannot be its own base')
                elif base not in self.classes:
                    hint = did_you_mean(base, self.classes)
                    what = "an enum" if base in self.enums else "unknown"
                    self.fail(path, f'class "{name}": base "{base}" is {what}{hint}')
                elif base in bases[name]:
                    self.fail(path, f'class "{name}": base "{base}" is listed twice')
                else:
                    bases[name].append(base)
        if self.problems:
            return []
        # cycles, and an order with every base before the classes that use it (spec order otherwise)
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = [*trail[trail.index(name):], name]
                self.fail(("classes", name), "inheritance cycle: " + " → ".join(cycle), key=True)
                return
            state[name] = 1
            for base in bases[name]:
                visit(base, [*trail, name])
            state[name] = 2
            order.append(name)

        for name in self.classes:
            visit(name, [])
        if self.problems:
            return []
        memo: dict[str, list[str]] = {}
        for name in order:
            cls = self.classes[name]
            cls.bases = [self.classes[b] for b in bases[name]]
            for base in cls.bases:
                base.subclasses.append(cls)
            lin = _c3(name, bases, memo)
            if lin is None:
                listed = ", ".join(bases[name])
                self.fail(("classes", name, "bases"), f'class "{name}": no consistent method resolution order (MRO) for bases {listed}')
                continue
            cls.mro = [self.classes[n] for n in lin]
        return [self.classes[n] for n in order]

    # -- types -----------------------------------------------------------------------------
    def parse(self, text: Any, path: Path, *, opaque_ok: bool = False, none_ok: bool = False) -> TypeExpr | None:
        if not isinstance(text, str):
            self.fail(path, "a type must be a string")
            return None
        try:
            expr = parse_type(text)
        except TypeSyntaxError as exc:
            where = self.at(path)
            self.problems.append(SpecProblem(Position(where.file, where.line, where.col + exc.offset), f'type "{text}": {exc}'))
            return None
        ok = True
        for node in self.nodes(expr):
            if (node.name != "Union" and TypeExpr("None") in node.args) or (node is expr and expr.name == "None" and not none_ok):
                self.fail(path, f'type "{text}": None is only allowed in Optional[T] or a union with other types')
                return None
        for leaf in self.leaves(expr):
            if leaf.name in SCALARS or leaf.name == "None" or leaf.name in self.classes or leaf.name in self.enums:
                continue
            if leaf.name in OPAQUE:
                if not opaque_ok:
                    self.fail(path, f'type "{text}": {leaf.name} is allowed in method parameters only')
                    ok = False
                continue
            hint = did_you_mean(leaf.name, [*self.classes, *self.enums, *SCALARS])
            self.fail(path, f'type "{text}": unknown type "{leaf.name}"{hint}')
            ok = False
        for node in self.nodes(expr):
            if node.name == "dict" and node.args[0] != TypeExpr("str"):
                self.fail(path, f'type "{text}": dictionary keys must be str')
                ok = False
        return expr if ok else None

    def leaves(self, expr: TypeExpr) -> list[TypeExpr]:
        return [n for n in self.nodes(expr) if not n.args and n.name not in ("dict", "list", "Union")]

    def nodes(self, expr: TypeExpr) -> list[TypeExpr]:
        out = [expr]
        for arg in expr.args:
            out.extend(self.nodes(arg))
        return out

    def py_type(self, expr: TypeExpr) -> str:
        if expr.name == "Union":
            return " | ".join(self.py_type(a) for a in expr.args)
        if expr.name == "dict":
            return f"dict[{self.py_type(expr.args[0])}, {self.py_type(expr.args[1])}]"
        if expr.name == "list":
            return f"list[{self.py_type(expr.args[0])}]"
        if expr.name in OPAQUE:
            return OPAQUE[expr.name]
        return SCALARS.get(expr.name, expr.name)

    # -- fields ----------------------------------------------------------------------------
    def check_type_name(self, name: str, path: Path, what: str) -> None:
        if keyword.iskeyword(name):
            self.fail(path, f'{what} "{name}" is a Python keyword', key=True)
        elif name in SCALARS or name in OPAQUE or hasattr(builtins, name):
            self.fail(path, f'{what} "{name}" has the name of a built-in type', key=True)
        elif name in GENERATED_NAMES:
            self.fail(path, f'{what} "{name}" would shadow the name "{name}" that generated code uses', key=True)

    def check_name(self, name: str, path: Path, what: str) -> None:
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            self.fail(path, f'{what} "{name}" is a Python keyword', key=True)
        elif name.startswith("_"):
            self.fail(path, f'{what} "{name}" starts with "_", which generated code keeps for private storage', key=True)
        elif name in RESERVED_MEMBERS:
            self.fail(path, f'{what} "{name}" would shadow the generated member or helper "{name}"', key=True)
        elif name in SHADOWED_BUILTINS:
            self.fail(path, f'{what} "{name}" would shadow the builtin "{name}" that generated code uses', key=True)

    def default_literal(self, value: Any, expr: TypeExpr, path: Path, fname: str, type_text: str) -> tuple[str, str] | None:
        """(Python expression, document literal) of a default, or None after reporting a mismatch."""
        options = list(expr.args) if expr.name == "Union" else [expr]
        shown = json.dumps(value, ensure_ascii=False, default=str)
        for opt in options:
            if value is None and opt.name == "None":
                return "None", "None"
            if isinstance(value, bool):
                if opt.name == "bool":
                    return py_literal(value), py_literal(value)
                continue
            if isinstance(value, int) and opt.name in ("int", "float"):
                return py_literal(value), py_literal(value)
            if isinstance(value, float) and not math.isfinite(value):
                shown = ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
                self.fail(path, f"{fname}: default {shown} is not a finite number")
                return None
            if isinstance(value, float) and opt.name == "float":
                return py_literal(value), py_literal(value)
            if isinstance(value, str):
                if opt.name == "str":
                    return py_literal(value), py_literal(value)
                if opt.name in self.enums:
                    enum = self.enums[opt.name]
                    for member in enum.members:
                        if member.value == value:
                            return f"{enum.name}.{member.name}", py_literal(value)
            if value == [] and opt.name == "list":
                return "list", "[]"
            if value == {} and opt.name == "dict":
                return "dict", "{}"
            if opt.name == "Any" and (value is None or isinstance(value, (str, int, float))):
                return py_literal(value), py_literal(value)
        self.fail(path, f'{fname}: default {shown} does not match its type "{type_text}"')
        return None

    def build_field(self, cls: ClassModel, fname: str, raw: dict[str, Any], path: Path) -> FieldModel | None:
        self.check_name(fname, path, "field")
        expr = self.parse(raw["type"], (*path, "type"))
        if expr is None:
            return None
        readonly = bool(raw.get("readonly"))
        nullable = expr.name == "Union" and expr.args[-1].name == "None"
        inner = TypeExpr("Union", expr.args[:-1]) if nullable else expr
        if inner.name == "Union" and len(inner.args) == 1:
            inner = inner.args[0]
        default_py = default_doc = None
        required = "default" not in raw
        if readonly:
            if not nullable:
                self.fail((*path, "type"), f'field "{fname}": a read-only attribute must be Optional (it is unset until loaded)')
            if not required and raw["default"] is not None:
                self.fail((*path, "default"), f'field "{fname}": a read-only attribute has no default but null')
            required = False
            default_py, default_doc = "None", "None"
        elif not required:
            lit = self.default_literal(raw["default"], expr, (*path, "default"), f'field "{fname}"', raw["type"])
            if lit is None:
                return None
            default_py, default_doc = lit
        prefix = raw.get("prefix", "")
        if prefix and TypeExpr("str") not in ([inner] if inner.name != "Union" else list(inner.args)):
            self.fail((*path, "prefix"), f'field "{fname}": a prefix needs a str type, not "{expr}"')
            return None
        return FieldModel(
            name=fname,
            attr=f"_{fname}" if readonly else fname,
            key=raw.get("key", fname),
            type=expr,
            py_type=self.py_type(expr),
            nullable=nullable,
            codec=None,  # type: ignore[arg-type]  # set by resolve_codecs
            required=required,
            readonly=readonly,
            description=_text(raw["description"]),
            returns=_text(raw["returns"]) if "returns" in raw else None,
            owner=cls.name,
            default_py=default_py,
            default_doc=default_doc,
            type_text=raw["type"],
            where=self.at(path, key=True),
            local=f"f_{fname}",
            prefix=prefix,
            rename_of=raw.get("rename_of"),
        )

    def resolve_fields(self, order: list[ClassModel]) -> None:
        raw_classes = self.spec.get("classes", {})
        for cls in order:
            raw = raw_classes[cls.name]
            methods = set(raw.get("methods", {}))
            for base in cls.mro[1:]:
                methods.update(m.name for m in base.methods)
            for fname, fraw in raw.get("fields", {}).items():
                path: Path = ("classes", cls.name, "fields", fname)
                built = self.build_field(cls, fname, fraw, path)
                if built is None:
                    continue
                if fname in methods:
                    self.fail(path, f'class "{cls.name}": field "{fname}" has the name of a method', key=True)
                cls.own_fields.append(built)
            for mname in raw.get("methods", {}):
                self.check_name(mname, ("classes", cls.name, "methods", mname), "method")
                cls.methods.append(MethodModel(mname, Text("", ""), "", [], "", "", None, []))  # filled later
        for cls in order:
            self.merge_fields(cls)

    def merge_fields(self, cls: ClassModel) -> None:
        """All fields of ``cls`` in document order: bases first (left to right), own fields last."""
        merged: dict[str, FieldModel] = {}
        keys: dict[str, FieldModel] = {}
        for base in cls.bases:
            for f in base.fields:
                other = merged.get(f.name)
                if other is None:
                    merged[f.name] = f
                elif other.type != f.type:
                    self.fail(
                        ("classes", cls.name, "bases"),
                        f'class "{cls.name}": field "{f.name}" is "{other.type_text}" in "{other.owner}" but "{f.type_text}" in "{f.owner}"',
                    )
        for f in cls.own_fields:
            inherited = merged.get(f.name)
            if inherited is not None and inherited.type != f.type:
                self.fail(
                    ("classes", cls.name, "fields", f.name, "type"),
                    f'class "{cls.name}": field "{f.name}" overrides "{inherited.owner}.{f.name}" of type '
                    f'"{inherited.type_text}" with a different type "{f.type_text}"',
                )
            if inherited is not None and inherited.readonly != f.readonly:
                self.fail(
                    ("classes", cls.name, "fields", f.name),
                    f'class "{cls.name}": field "{f.name}" changes whether "{inherited.owner}.{f.name}" is read-only',
                    key=True,
                )
            merged[f.name] = f
        for f in merged.values():
            if f.key in keys and keys[f.key].name != f.name:
                self.fail(
                    ("classes", cls.name),
                    f'class "{cls.name}": fields "{keys[f.key].name}" and "{f.name}" have the same document key "{f.key}"',
                    key=True,
                )
            keys[f.key] = f
        cls.fields = list(merged.values())

    # -- polymorphism ----------------------------------------------------------------------
    def resolve_families(self, order: list[ClassModel]) -> None:
        raw_classes = self.spec.get("classes", {})
        for cls in order:
            raw = raw_classes[cls.name]
            disc = raw.get("discriminator")
            if disc is not None:
                path: Path = ("classes", cls.name, "discriminator", "field")
                fld = next((f for f in cls.fields if f.name == disc["field"]), None)
                if fld is None:
                    hint = did_you_mean(disc["field"], [f.name for f in cls.fields])
                    self.fail(path, f'class "{cls.name}": discriminator field "{disc["field"]}" is not a field of the class{hint}')
                elif fld.type != parse_type("Optional[str]") or not fld.readonly:
                    self.fail(path, f'class "{cls.name}": discriminator field "{fld.name}" must be a read-only Optional[str]')
                cls.discriminator = disc["field"]
                cls.discriminator_default = disc.get("default")
            roots = {r for r in (b.family_root for b in cls.bases) if r is not None}
            if cls.discriminator is not None:
                if roots:
                    self.fail(("classes", cls.name, "discriminator"), f'class "{cls.name}" declares a discriminator but already belongs to the family of "{min(roots, key=lambda r: r.name).name}"')
                cls.family_root = cls
            elif len(roots) > 1:
                names = ", ".join(sorted(r.name for r in roots))
                self.fail(("classes", cls.name, "bases"), f'class "{cls.name}" inherits from two polymorphic families: {names}')
            elif roots:
                cls.family_root = roots.pop()
            value = raw.get("discriminator_value")
            if value is not None:
                if cls.family_root is None and len(roots) <= 1:
                    self.fail(("classes", cls.name, "discriminator_value"), f'class "{cls.name}" has a discriminator_value but no base declares a discriminator')
                elif cls.family_root is None:
                    pass  # already reported: two families
                else:
                    cls.discriminator_value = value
        for root in order:
            if root.family_root is not root:
                continue
            seen: dict[str, ClassModel] = {}
            for member in [root, *(d for d in root.descendants() if d.family_root is root)]:
                value = member.discriminator_value
                if value is None:
                    if not member.abstract and member is not root:
                        self.fail(("classes", member.name), f'class "{member.name}" of the family of "{root.name}" needs a discriminator_value', key=True)
                    continue
                if value in seen:
                    self.fail(
                        ("classes", member.name, "discriminator_value"),
                        f'discriminator value "{value}" of class "{member.name}" is already used by class "{seen[value].name}"',
                    )
                seen[value] = member
            default = root.discriminator_default
            if default is not None and default not in seen:
                hint = did_you_mean(default, seen)
                self.fail(("classes", root.name, "discriminator", "default"), f'class "{root.name}": discriminator default "{default}" is not the value of any class{hint}')
        # the discriminator field of each member: fixed to its value in its own dataclass body
        for cls in order:
            family = cls.family_root
            if family is None or family.discriminator is None:
                continue
            for i, f in enumerate(cls.fields):
                if f.name != family.discriminator:
                    continue
                fixed = cls.discriminator_value
                if fixed is None:
                    continue
                redeclared = FieldModel(**f.__dict__)
                redeclared.fixed = fixed
                redeclared.default_py = py_literal(fixed)
                redeclared.owner = cls.name
                redeclared.omit_value = family.discriminator_default
                cls.fields[i] = redeclared
                cls.own_fields = [x for x in cls.own_fields if x.name != f.name] + [redeclared]

    # -- codecs ----------------------------------------------------------------------------
    def codec(self, expr: TypeExpr, prefix: str, path: Path) -> Codec | None:
        key = str(expr) + (f" prefix {prefix!r}" if prefix else "")
        if key in self.codecs:
            return self.codecs[key]
        made = self.make_codec(expr, prefix, path)
        if made is not None:
            # two spellings of one type (a family's root, or the union of its classes) share one codec
            if made.function:
                made = self.codec_by_function.setdefault((made.function, made.kind), made)
            self.codecs[key] = made
        return made

    def make_codec(self, expr: TypeExpr, prefix: str, path: Path) -> Codec | None:
        py = self.py_type(expr)
        name = expr.name
        if name in ("str", "int", "float", "bool"):
            check, expected = _SCALAR_CHECKS[name]
            if name == "str" and prefix:
                stem = self.claim("str_prefixed_" + _ascii_stem(prefix), f"prefixed {prefix!r}")
                return Codec(
                    key=f"{expr} prefix {prefix!r}",
                    kind="prefixed",
                    py_type=py,
                    expected=f'a string starting with "{prefix}"',
                    load=f"_load_{stem}({{}})",
                    dump=f"{{}} if {{}}.startswith({py_str(prefix)}) else {py_str(prefix)} + {{}}",
                    function=stem,
                    prefix=prefix,
                    scalar_check=check,
                )
            return Codec(str(expr), "scalar", py, expected, f"_runtime.load_{name}({{}})", "{}", scalar_check=check)
        if name == "Any":
            return Codec("Any", "any", "Any", "any value", "{}", "{}", scalar_check="True")
        if name in self.enums:
            enum = self.enums[name]
            stem = self.claim(snake(name), f"enum {name}")
            values = ", ".join(f'"{m.value}"' for m in enum.members)
            expected = "a string" if enum.open else f"one of {values}"
            return Codec(name, "enum", name, expected, f"_load_{stem}({{}})", "{}", stem, target=enum, scalar_check="isinstance({}, str)")
        if name in self.classes:
            return self.class_codec([self.classes[name]], path, expr)
        if name in ("list", "dict"):
            item = self.codec(expr.args[-1], prefix, path)
            if item is None:
                return None
            stem = self.claim(f"{name}_{item.function or self.stem(expr.args[-1])}", f"{expr} prefix {prefix!r}")
            noun = "a list" if name == "list" else "a mapping"
            dump = f"_dump_{stem}({{}})"
            if item.dumps_as_is:
                dump = "list({})" if name == "list" else "dict({})"
            return Codec(str(expr), name, py, noun, f"_load_{stem}({{}})", dump, stem, item=item)
        if name == "Union":
            return self.union_codec(expr, prefix, path)
        raise AssertionError(f"no codec for {expr}")

    def stem(self, expr: TypeExpr) -> str:
        if expr.name == "Union":
            return "_or_".join(self.stem(a) for a in expr.args)
        if expr.name in ("list", "dict"):
            return f"{expr.name}_{self.stem(expr.args[-1])}"
        if expr.name == "None":
            return "none"
        return snake(expr.name) if expr.name[0].isupper() and expr.name != "Any" else expr.name.lower()

    def concrete(self, classes: list[ClassModel]) -> list[ClassModel]:
        out: list[ClassModel] = []
        for cls in classes:
            for item in [cls, *cls.descendants()]:
                if not item.abstract and item not in out:
                    out.append(item)
        return out

    def class_codec(self, classes: list[ClassModel], path: Path, expr: TypeExpr) -> Codec | None:
        members = self.concrete(classes)
        py = self.py_type(expr)
        if not members:
            self.fail(path, f'type "{expr}": no concrete class can be loaded for it')
            return None
        if len(members) == 1 and not members[0].subclasses:
            cls = members[0]
            return Codec(cls.name, "class", py, f'a mapping ({cls.name})', f"_load_{cls.snake}({{}})", "{}.to_dict()", cls.snake, target=cls)
        roots = {m.family_root.name if m.family_root else "" for m in members}
        if len(roots) != 1 or "" in roots:
            names = ", ".join(m.name for m in members)
            self.fail(path, f'type "{expr}": cannot tell {names} apart in a document: they share no discriminator')
            return None
        root = members[0].family_root
        assert root is not None and root.discriminator is not None
        tagged = [(m.discriminator_value, m) for m in members if m.discriminator_value is not None]
        fallback = next((m for m in members if m.discriminator_value is None), None)
        if members == self.concrete([root]):
            stem = snake(root.name) + "_family"
        else:
            stem = "_or_".join(snake(c.name) for c in classes)
        stem = self.claim(stem, "family " + ", ".join(m.name for m in members))
        key_name = next(f.key for f in root.fields if f.name == root.discriminator)
        values = ", ".join(f'"{v}"' for v, _ in tagged)
        expected = f'a mapping with "{key_name}" one of {values}'
        tag_expected = f"one of {values}"
        return Codec(
            str(expr),
            "family",
            py,
            expected,
            f"_load_{stem}({{}})",
            "{}.to_dict()",
            stem,
            members=[(v, m) for v, m in tagged],
            fallback=fallback,
            target=root,
            prefix=key_name,
            tag_expected=tag_expected,
        )

    def union_codec(self, expr: TypeExpr, prefix: str, path: Path) -> Codec | None:
        options = list(expr.args)
        branches: list[Branch] = []
        class_options = [self.classes[o.name] for o in options if o.name in self.classes]
        shapes: dict[str, str] = {}

        def claim(shape: str, what: str) -> bool:
            if shape in shapes:
                self.fail(path, f'type "{expr}": {what} and {shapes[shape]} both take {shape} values; a document could not tell them apart')
                return False
            shapes[shape] = what
            return True

        ok = True
        for opt in options:
            if opt.name == "None":
                branches.append(Branch("value is None", Codec("None", "scalar", "None", "null", "{}", "{}"), "null"))
                continue
            if opt.name in self.classes:
                continue
            sub = self.codec(opt, prefix, path)
            if sub is None:
                return None
            if opt.name == "Any":
                self.fail(path, f'type "{expr}": Any cannot be part of a union')
                return None
            shape = {"list": "list", "dict": "mapping"}.get(sub.kind) or ("string" if sub.kind in ("enum", "prefixed") else opt.name)
            if opt.name in self.enums:
                shape = "str"
            ok = claim(shape, f'"{opt}"') and ok
            check = sub.scalar_check or ("isinstance({}, list)" if sub.kind == "list" else "isinstance({}, dict)")
            check = check.replace("{0}", "value").replace("{}", "value")
            result = "{}" if sub.kind == "scalar" else sub.load
            branches.append(Branch(check, sub, sub.expected, result, check if sub.kind != "scalar" else ""))
        if class_options:
            ok = claim("mapping", " | ".join(c.name for c in class_options)) and ok
            sub = self.class_codec(class_options, path, TypeExpr("Union", tuple(TypeExpr(c.name) for c in class_options)) if len(class_options) > 1 else TypeExpr(class_options[0].name))
            if sub is None:
                return None
            if len(class_options) == len(options):
                return sub  # a union of classes only: the family (or class) codec itself
            targets = [m.name for _, m in sub.members] + ([sub.fallback.name] if sub.fallback else [])
            if sub.kind == "class" and sub.target is not None:
                targets = [sub.target.name]
            classes = targets[0] if len(targets) == 1 else "(" + ", ".join(targets) + ")"
            branches.append(Branch("isinstance(value, dict)", sub, sub.expected, sub.load, f"isinstance(value, {classes})"))
        if "str" in shapes and "string" in shapes:
            ok = False
            self.fail(path, f'type "{expr}": two string types cannot be told apart')
        if not ok:
            return None
        # bool before int before float: True is an int to isinstance, and an int is a valid float
        rank = {"value is None": 0, "isinstance(value, bool)": 1, _SCALAR_CHECKS["int"][0].format("value"): 2, _SCALAR_CHECKS["float"][0].format("value"): 3}
        branches.sort(key=lambda b: rank.get(b.check, 4))
        named = [self.stem(a) for a in options if a.name not in self.classes]
        if class_options:
            named.insert(0, next(b.codec.function for b in branches if b.codec.kind in ("class", "family")))
        stem = "_or_".join(n for n in named if n) + (f"_prefixed_{_ascii_stem(prefix)}" if prefix else "")
        stem = self.claim(stem, f"{expr} prefix {prefix!r}")
        expected = ", ".join(b.expected for b in branches[:-1]) + (" or " if len(branches) > 1 else "") + branches[-1].expected
        converted = [b for b in branches if not b.codec.dumps_as_is]
        if not converted:
            dump = "{}"
        elif len(converted) == 1 and converted[0].codec.kind in ("class", "family"):
            # one kind of object to convert, the rest written as it is: an expression, not a call
            dump = f"{{}}.to_dict() if {converted[0].dump_check.replace('value', '{}')} else {{}}"
        else:
            dump = f"_dump_{stem}({{}})"
        return Codec(str(expr), "union", self.py_type(expr), expected, f"_load_{stem}({{}})", dump, stem, branches=branches)

    def resolve_codecs(self, order: list[ClassModel]) -> None:
        for cls in order:
            if cls.family_root is cls or (not cls.abstract and not cls.subclasses):
                cls.codec = self.codec(TypeExpr(cls.name), "", ("classes", cls.name))
            cls.keys_constant = f"_{cls.snake.upper()}_KEYS"
            for f in cls.fields:
                if f.codec is not None:
                    continue
                inner = TypeExpr("Union", f.type.args[:-1]) if f.nullable else f.type
                if inner.name == "Union" and len(inner.args) == 1:
                    inner = inner.args[0]
                codec = self.codec(inner, f.prefix, ("classes", f.owner, "fields", f.name, "type"))
                if codec is not None:
                    f.codec = codec  # the same FieldModel stands in every subclass that inherits it

    # -- methods ---------------------------------------------------------------------------
    def resolve_methods(self, order: list[ClassModel]) -> None:
        raw_classes = self.spec.get("classes", {})
        for cls in order:
            built: list[MethodModel] = []
            for mname, raw in raw_classes[cls.name].get("methods", {}).items():
                path: Path = ("classes", cls.name, "methods", mname)
                params: list[Param] = []
                for pname, praw in raw.get("params", {}).items():
                    ppath = (*path, "params", pname)
                    if keyword.iskeyword(pname) or pname == "self":
                        self.fail(ppath, f'method "{mname}": parameter "{pname}" is a Python keyword', key=True)
                    elif pname.startswith("_"):
                        self.fail(ppath, f'method "{mname}": parameter "{pname}" starts with "_", which generated code keeps for its own names', key=True)
                    expr = self.parse(praw["type"], (*ppath, "type"), opaque_ok=True)
                    if expr is None:
                        continue
                    default_py = None
                    if "default" in praw:
                        lit = self.default_literal(praw["default"], expr, (*ppath, "default"), f'parameter "{pname}"', praw["type"])
                        default_py = lit[0] if lit else None
                    variadic = praw.get("variadic") == "keyword"
                    params.append(Param(pname, self.py_type(expr), praw["type"], _text(praw["description"]), default_py, variadic))
                variadics = [p for p in params if p.variadic]
                if len(variadics) > 1 or (variadics and params[-1] is not variadics[0]):
                    self.fail((*path, "params"), f'method "{mname}": only the last parameter can be variadic')
                returns = raw.get("returns", {"type": "None"})
                rexpr = self.parse(returns["type"], (*path, "returns", "type"), opaque_ok=True, none_ok=True)
                raises: list[Raise] = []
                for i, rraw in enumerate(raw.get("raises", [])):
                    exc = getattr(builtins, rraw["type"], None)
                    if not (isinstance(exc, type) and issubclass(exc, BaseException)):
                        hint = did_you_mean(rraw["type"], [n for n in dir(builtins) if n.endswith(("Error", "Exception"))])
                        self.fail((*path, "raises", i, "type"), f'method "{mname}": "{rraw["type"]}" is not a built-in exception{hint}')
                    raises.append(Raise(rraw["type"], _text(rraw["description"])))
                if raw["implements"] == "dump_yaml":
                    shape = [(p.py_type, p.variadic) for p in params]
                    if len(shape) not in (1, 2) or shape[0][1] or (len(shape) == 2 and not shape[1][1]) or rexpr != TypeExpr("None"):
                        self.fail(path, f'method "{mname}": dump_yaml takes one destination parameter (and optionally **kwargs) and returns None', key=True)
                built.append(
                    MethodModel(
                        mname,
                        _text(raw["description"]),
                        raw["implements"],
                        params,
                        self.py_type(rexpr) if rexpr else "None",
                        returns["type"],
                        _text(returns["description"]) if "description" in returns else None,
                        raises,
                    )
                )
            cls.methods = built
            cls.examples = [Example(_text(e["title"]), e["code"]) for e in raw_classes[cls.name].get("examples", [])]

    def resolve_package(self, order: list[ClassModel]) -> Package:
        raw = self.spec["package"]
        doc = raw["document"]
        root_name = doc["root"]
        root = self.classes.get(root_name)
        codec: Codec | None = None
        if root is None:
            hint = did_you_mean(root_name, self.classes)
            self.fail(("package", "document", "root"), f'document root "{root_name}" is not a class{hint}')
        else:
            codec = self.codec(TypeExpr(root_name), "", ("package", "document", "root"))
        fname = doc["load_function"]
        fpath: Path = ("package", "document", "load_function")
        if fname in GENERATED_NAMES:
            self.fail(fpath, f'load function "{fname}" would shadow the name "{fname}" that generated code uses')
        elif hasattr(builtins, fname):
            self.fail(fpath, f'load function "{fname}" would shadow the builtin "{fname}" that generated code uses')
        else:
            self.check_name(fname, fpath, "load function")
        name = raw["name"]
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            self.fail(("package", "name"), f'"name" of "package" is "{name}", a Python keyword: the package could not be imported')
        elif name in IMPORTED_MODULES:
            self.fail(("package", "name"), f'"name" of "package" is "{name}", which would shadow the module "{name}" that generated code imports')
        if doc["load_function"] in self.classes or doc["load_function"] in self.enums:
            self.fail(("package", "document", "load_function"), f'load function "{doc["load_function"]}" has the name of a type')
        self.problems += check_changelog(self.doc)
        if self.problems or root is None or codec is None:
            raise SpecError(self.problems)
        unique = {c.function: c for c in self.codecs.values() if c.function and c.kind != "class"}
        codecs = [unique[name] for name in sorted(unique)]
        imports = ["from os import PathLike", "from typing import IO, Any"]
        return Package(
            name=raw["name"],
            version=raw["version"],
            title=_text(raw["title"]),
            description=_text(raw["description"]),
            spec_file=self.doc.file,
            root=root,
            root_codec=codec,
            load_function=doc["load_function"],
            document_description=_text(doc["description"]) if "description" in doc else None,
            enums=list(self.enums.values()),
            classes=order,
            codecs=codecs,
            model_imports=sorted(imports),
            changelog=read_changelog(self.doc),
        )


def resolve(doc: Document) -> Package:
    """Resolve a validated spec document into the render-ready :class:`Package`."""
    return Resolver(doc).run()
