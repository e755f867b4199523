"""Step: the fields of every class. Each declared field (name, type, default, read-only, key,
prefix), then every class's fields merged in document order: bases first, left to right, own
fields last, with the overrides checked."""

from __future__ import annotations

from typing import Any

from ..errors import did_you_mean
from ..model import ClassModel, Default, Exclusive, FieldModel, MethodModel, Text
from ..spec.loader import Path
from ..spec.names import document_key
from ..spec.typeexpr import TypeExpr
from .context import Resolution
from .defaults import default
from .types import parse


def run(res: Resolution) -> None:
    for cls in res.order:
        raw = res.raw_class(cls.name)
        methods = set(raw.get("methods", {}))
        for base in cls.mro[1:]:
            methods.update(m.name for m in base.methods)
        for fname, fraw in raw.get("fields", {}).items():
            path: Path = ("classes", cls.name, "fields", fname)
            built = build_field(res, cls, fname, fraw, path)
            if built is None:
                continue
            if fname in methods:
                res.fail(path, f'class "{cls.name}": field "{fname}" has the name of a method', key=True)
            elif fname in res.classes or fname in res.enums:  # it would hide the type in its class
                what = "class" if fname in res.classes else "enum"
                res.fail(path, f'class "{cls.name}": field "{fname}" has the name of the {what} "{fname}"', key=True)
            cls.own_fields.append(built)
        for mname in raw.get("methods", {}):
            mpath: Path = ("classes", cls.name, "methods", mname)
            res.member_name(mname, "method", mpath)
            # a placeholder the methods step fills: the fields of subclasses must know the method names
            cls.methods.append(MethodModel(mname, Text(()), "", [], TypeExpr("None"), "", None, [], res.at(mpath, key=True)))
    for cls in res.order:
        merge_fields(res, cls)
        exclusive_groups(res, cls)


def build_field(res: Resolution, cls: ClassModel, fname: str, raw: dict[str, Any], path: Path) -> FieldModel | None:
    res.member_name(fname, "field", path)
    expr = parse(res, raw["type"], (*path, "type"))
    if expr is None:
        return None
    readonly = bool(raw.get("readonly"))
    nullable = expr.nullable
    value_default: Default | None = None
    required = "default" not in raw
    if readonly:
        if not nullable:
            res.fail((*path, "type"), f'field "{fname}": a read-only attribute must be Optional (it is unset until loaded)')
        if not required and raw["default"] is not None:
            res.fail((*path, "default"), f'field "{fname}": a read-only attribute has no default but null')
        required = False
        value_default = Default(None)
    elif not required:
        value_default = default(res, raw["default"], expr, (*path, "default"), f'field "{fname}"', raw["type"])
        if value_default is None:
            return None
    given_prefix = raw.get("prefix", ())
    prefix = (given_prefix,) if isinstance(given_prefix, str) else tuple(given_prefix)
    style = res.raw_class(cls.name).get("key_style") or res.spec["package"].get("key_style", "snake_case")
    dump_always = raw.get("dump_default") == "always"
    if dump_always and required:
        res.fail((*path, "dump_default"), f'field "{fname}": dump_default: always needs a default to write (the field has none, so it is always written)')
    in_document = raw.get("in_document", True)
    if not in_document:
        _outside_document(res, fname, raw, path)
    field_model = FieldModel(
        name=fname,
        key=raw.get("key") or document_key(fname, style),
        type=expr,
        nullable=nullable,
        codec=None,  # type: ignore[arg-type]  # set by the codecs step
        required=required,
        readonly=readonly,
        description=res.text(raw["description"]),
        returns=res.text(raw["returns"]) if "returns" in raw else None,
        owner=cls.name,
        default=value_default,
        type_text=raw["type"],
        where=res.at(path, key=True),
        prefix=prefix,
        rename_of=raw.get("rename_of"),
        dump_always=dump_always,
        accepts=tuple(raw.get("accepts", ())),
        deprecated=res.deprecation(raw.get("deprecated")),
        in_document=in_document,
    )
    inner = field_model.value_type
    options = [inner] if inner.name != "Union" else list(inner.args)
    if prefix and TypeExpr("str") not in options:
        res.fail((*path, "prefix"), f'field "{fname}": a prefix needs a str type, not "{expr}"')
        return None
    if field_model.accepts and not _accepts_ok(res, field_model, path):
        return None
    return field_model


#: What a field's spec may say of its document form: nothing a field outside documents may say.
_DOCUMENT_FORM = (
    "key", "dump_default", "prefix", "accepts", "rename_of", "minimum", "exclusive_minimum", "maximum",
    "exclusive_maximum", "multiple_of", "min_length", "max_length", "pattern", "min_items", "max_items", "unique_items",
)


def _outside_document(res: Resolution, fname: str, raw: dict[str, Any], path: Path) -> None:
    """The problems of a field outside documents (``in_document: false``): only a read-only attribute
    can be (a constructor parameter is a document key), and nothing about its document form applies."""
    if not raw.get("readonly"):
        res.fail((*path, "in_document"), f'field "{fname}": in_document: false is for a read-only attribute (readonly: true); a constructor parameter is a document key')
    for option in _DOCUMENT_FORM:
        if option in raw:
            res.fail((*path, option), f'field "{fname}": {option} says how the field is written in a document, which in_document: false keeps it out of')


def _accepts_ok(res: Resolution, f: FieldModel, path: Path) -> bool:
    """``accepts`` needs strings to read the other scalars as (``str`` in the type, possibly in a
    list or a mapping), no prefix, and none of those scalars already a type of the field."""
    leaves = set(value_leaves(f.value_type))
    if "str" not in leaves:
        res.fail((*path, "accepts"), f'field "{f.name}": accepts needs a str type to read the values as, not "{f.type}"')
        return False
    if f.prefix:
        res.fail((*path, "accepts"), f'field "{f.name}": accepts cannot be used with a prefix (a number has no prefix to keep)')
        return False
    taken = [t for t in f.accepts if t in leaves or (t == "int" and "float" in leaves)]
    if taken:
        res.fail((*path, "accepts"), f'field "{f.name}": accepts "{taken[0]}", which its type "{f.type}" already reads as such')
        return False
    return True


def value_leaves(expr: TypeExpr) -> list[str]:
    """The named types a document's values of ``expr`` may be (a mapping's keys left out)."""
    if expr.name == "dict":
        return value_leaves(expr.args[1])
    if expr.name in ("list", "Union"):
        return [leaf for arg in expr.args for leaf in value_leaves(arg)]
    return [expr.name]


def exclusive_groups(res: Resolution, cls: ClassModel) -> None:
    """The groups of fields that exclude each other in ``cls``'s documents: its bases' and its own.
    A group names fields of the class (not read-only, not required: a required field is always
    given)."""
    groups = [g for base in cls.bases for g in base.exclusive]
    by_name = {f.name: f for f in cls.fields}
    for i, raw in enumerate(res.raw_class(cls.name).get("exclusive", [])):
        path: Path = ("classes", cls.name, "exclusive", i)
        names, required = (raw, False) if isinstance(raw, list) else (raw["fields"], bool(raw.get("required")))
        fields_at: Path = path if isinstance(raw, list) else (*path, "fields")
        ok = True
        for j, name in enumerate(names):
            f = by_name.get(name)
            if f is None:
                hint = did_you_mean(name, by_name)
                res.fail((*fields_at, j), f'class "{cls.name}": exclusive names "{name}", which is not a field of the class{hint}')
                ok = False
            elif f.required or f.readonly or f.fixed is not None:
                why = "required (always given)" if f.required else "read-only"
                res.fail((*fields_at, j), f'class "{cls.name}": exclusive names "{name}", which is {why}')
                ok = False
        if ok:
            groups.append(Exclusive(tuple(names), tuple(by_name[n].key for n in names), required, res.at(path)))
    cls.exclusive = list(dict.fromkeys(groups))


def merge_fields(res: Resolution, cls: ClassModel) -> None:
    """All fields of ``cls`` in document order: bases first (left to right), own fields last."""
    merged: dict[str, FieldModel] = {}
    keys: dict[str, FieldModel] = {}
    for base in cls.bases:
        for f in base.fields:
            other = merged.get(f.name)
            if other is None:
                merged[f.name] = f
            elif other.type != f.type:
                res.fail(
                    ("classes", cls.name, "bases"),
                    f'class "{cls.name}": field "{f.name}" is "{other.type_text}" in "{other.owner}" but "{f.type_text}" in "{f.owner}"',
                )
    for f in cls.own_fields:
        inherited = merged.get(f.name)
        if inherited is not None and inherited.type != f.type:
            res.fail(
                ("classes", cls.name, "fields", f.name, "type"),
                f'class "{cls.name}": field "{f.name}" overrides "{inherited.owner}.{f.name}" of type '
                f'"{inherited.type_text}" with a different type "{f.type_text}"',
            )
        if inherited is not None and inherited.in_document != f.in_document:
            res.fail(
                ("classes", cls.name, "fields", f.name),
                f'class "{cls.name}": field "{f.name}" changes whether "{inherited.owner}.{f.name}" is a document key (in_document)',
                key=True,
            )
        if inherited is not None and inherited.readonly != f.readonly:
            res.fail(
                ("classes", cls.name, "fields", f.name),
                f'class "{cls.name}": field "{f.name}" changes whether "{inherited.owner}.{f.name}" is read-only',
                key=True,
            )
        merged[f.name] = f
    for f in merged.values():
        if not f.in_document:
            continue  # its key is no document's
        if f.key in keys and keys[f.key].name != f.name:
            res.fail(
                ("classes", cls.name),
                f'class "{cls.name}": fields "{keys[f.key].name}" and "{f.name}" have the same document key "{f.key}"',
                key=True,
            )
        keys[f.key] = f
    cls.fields = list(merged.values())
