"""Step: the codec of every type a document holds: how its values are told apart and read.

Codecs are shared: one per type (and prefix), and two spellings of one type (a family's root,
or the union of its classes) get the same codec. Each codec that needs functions of its own gets
a unique name (see ``Resolution.claim``). A union whose options a document could not tell
apart (two string types, two mappings without a common discriminator) is a problem.
"""

from __future__ import annotations

from ..model import ClassModel, Codec
from ..spec.loader import Path
from ..spec.names import ascii_stem, snake
from ..spec.typeexpr import TypeExpr
from .context import Resolution
from .families import family_spellings
from .fields import value_leaves

#: How a document's scalar of each type is described in messages.
SCALAR_EXPECTED = {
    "str": "a string",
    "bool": "a boolean",
    "int": "an integer",
    "float": "a number",
    "datetime": "a date and time (ISO 8601)",
    "date": "a date (ISO 8601)",
}
#: Where an option goes in a union's test order: null, then bool (which Python takes for an int),
#: then int (which is also a valid float), then float; the others keep the spec's order.
_RANK = {"none": 0, "bool": 1, "int": 2, "float": 3}


def run(res: Resolution) -> None:
    for cls in res.order:
        if cls.family_root is cls or (not cls.abstract and not cls.subclasses):
            cls.codec = codec(res, TypeExpr(cls.name), (), ("classes", cls.name))
        for f in cls.fields:
            if f.codec is not None:
                continue
            made = codec(res, f.value_type, f.prefix, ("classes", f.owner, "fields", f.name, "type"), f.accepts)
            if made is not None:
                f.codec = made  # the same FieldModel stands in every subclass that inherits it


def codec(
    res: Resolution, expr: TypeExpr, prefix: tuple[str, ...], path: Path, accepts: tuple[str, ...] = ()
) -> Codec | None:
    """The codec of ``expr`` (strings starting with one of ``prefix``, or also read from the scalars
    of ``accepts``), made once; None after a problem."""
    if accepts and "str" not in value_leaves(expr):
        accepts = ()  # only strings read other scalars as their text
    key = str(expr) + (f" prefix {prefix!r}" if prefix else "") + (f" accepts {' '.join(accepts)}" if accepts else "")
    if key in res.codecs:
        return res.codecs[key]
    made = _make(res, expr, prefix, path, accepts)
    if made is not None:
        if made.name:
            made = res.codec_by_name.setdefault((made.name, made.kind), made)
        res.codecs[key] = made
    return made


def _prefix_stem(prefix: tuple[str, ...]) -> str:
    return "_or_".join(ascii_stem(p) for p in prefix)


def _make(res: Resolution, expr: TypeExpr, prefix: tuple[str, ...], path: Path, accepts: tuple[str, ...]) -> Codec | None:
    name = expr.name
    if name in SCALAR_EXPECTED:
        if name == "str" and prefix:
            stem = res.claim("str_prefixed_" + _prefix_stem(prefix), f"prefixed {prefix!r}")
            starts = " or ".join(f'"{p}"' for p in prefix)
            return Codec("prefixed", expr, f"a string starting with {starts}", stem, scalar="str", prefix=prefix)
        if name == "str" and accepts:
            order = [t for t in ("int", "float", "bool") if t in accepts]
            stem = res.claim("str_or_" + "_or_".join(order), "str accepts " + " ".join(order))
            words = [SCALAR_EXPECTED[t] for t in ("str", *order)]
            expected = ", ".join(words[:-1]) + " or " + words[-1]
            return Codec("scalar", expr, expected, stem, scalar="str", accepts=tuple(order))
        return Codec("scalar", expr, SCALAR_EXPECTED[name], scalar=name)
    if name == "Any":
        return Codec("any", expr, "any value")
    if name in res.enums:
        enum = res.enums[name]
        stem = res.claim(snake(name), f"enum {name}")
        values = ", ".join(f'"{m.value}"' for m in enum.members)
        return Codec("enum", expr, "a string" if enum.open else f"one of {values}", stem, scalar="str", target=enum)
    if name in res.classes:
        return class_codec(res, [res.classes[name]], path, expr)
    if name in ("list", "dict"):
        item = codec(res, expr.args[-1], prefix, path, accepts)
        if item is None:
            return None
        stem = res.claim(f"{name}_{item.name or _stem(res, expr.args[-1])}", f"{expr} prefix {prefix!r} accepts {accepts}")
        return Codec(name, expr, "a list" if name == "list" else "a mapping", stem, item=item)
    if name == "Union":
        return _union(res, expr, prefix, path, accepts)
    raise AssertionError(f"no codec for {expr}")


def _stem(res: Resolution, expr: TypeExpr) -> str:
    if expr.name == "Union":
        return "_or_".join(_stem(res, a) for a in expr.args)
    if expr.name in ("list", "dict"):
        return f"{expr.name}_{_stem(res, expr.args[-1])}"
    if expr.name == "None":
        return "none"
    return snake(expr.name) if expr.name[0].isupper() and expr.name != "Any" else expr.name.lower()


def concrete(classes: list[ClassModel]) -> list[ClassModel]:
    """The classes a document can hold for ``classes``: each one and its descendants, abstract ones left out."""
    out: list[ClassModel] = []
    for cls in classes:
        for item in [cls, *cls.descendants()]:
            if not item.abstract and item not in out:
                out.append(item)
    return out


def class_codec(res: Resolution, classes: list[ClassModel], path: Path, expr: TypeExpr) -> Codec | None:
    """A mapping of one class, or of a family's classes picked by the discriminator."""
    members = concrete(classes)
    if not members:
        res.fail(path, f'type "{expr}": no concrete class can be loaded for it')
        return None
    if len(members) == 1 and not members[0].subclasses:
        cls = members[0]
        return Codec("class", expr, f"a mapping ({cls.name})", cls.snake, target=cls)
    roots = {m.family_root.name if m.family_root else "" for m in members}
    if roots == {""}:
        return _keyed(res, members, path, expr)
    if len(roots) != 1 or "" in roots:
        names = ", ".join(m.name for m in members)
        res.fail(path, f'type "{expr}": cannot tell {names} apart in a document: they share no discriminator')
        return None
    root = members[0].family_root
    assert root is not None and root.discriminator is not None
    tagged = [(m.discriminator_value, m) for m in members if m.discriminator_value is not None]
    fallback = next((m for m in members if m.discriminator_value is None), None)
    stem = snake(root.name) + "_family" if members == concrete([root]) else "_or_".join(snake(c.name) for c in classes)
    stem = res.claim(stem, "family " + ", ".join(m.name for m in members))
    key = next(f.key for f in root.fields if f.name == root.discriminator)
    values = ", ".join(f'"{v}"' for v, _ in tagged)
    spellings = family_spellings(root, [m for _, m in tagged])
    return Codec(
        "family",
        expr,
        f'a mapping with "{key}" one of {values}',
        stem,
        members=[(v, m) for v, m in tagged],
        fallback=fallback,
        target=root,
        tag_key=key,
        tag_expected=f"one of {values}",
        tag_spellings=spellings if spellings.spelled else None,
    )


def _keyed(res: Resolution, members: list[ClassModel], path: Path, expr: TypeExpr) -> Codec | None:
    """Classes of no family, told apart by a required key: each class but one (the fallback, loaded
    when none of the others' keys is there) needs a required key that no other class has."""
    lax = next((m for m in members if m.unknown_keys != "forbid"), None)
    if lax is not None:
        res.fail(
            path,
            f'type "{expr}": {lax.name} {lax.unknown_keys}s unknown keys, so a document of another of these classes '
            "could be read as one too; classes told apart by a key must forbid unknown keys (or share a discriminator)",
        )
        return None
    keys = {m.name: {f.key for f in m.document_fields} for m in members}
    told: list[tuple[str, ClassModel]] = []
    untold: list[ClassModel] = []
    for m in members:
        others = set().union(*(keys[o.name] for o in members if o is not m))
        key = next((f.key for f in m.document_fields if f.required and f.key not in others), None)
        if key is None:
            untold.append(m)
        else:
            told.append((key, m))
    if len(untold) > 1:
        a, b = untold[:2]
        res.fail(
            path,
            f'type "{expr}": cannot tell {a.name} and {b.name} apart in a document: they share no discriminator, '
            "and neither has a required key that the other classes do not have",
        )
        return None
    names = " or ".join(f'"{k}" ({m.name})' for k, m in told)
    stem = res.claim("_or_".join(m.snake for m in members), "keyed " + ", ".join(m.name for m in members))
    fallback = untold[0] if untold else None
    expected = f"a mapping with the key {names}" + (f", or a mapping of {fallback.name}" if fallback else "")
    return Codec("keyed", expr, expected, stem, members=told, fallback=fallback, tag_expected=names)


def _shape(sub: Codec, opt: TypeExpr, res: Resolution) -> str:
    """What a document's value of this option looks like, to tell the options apart."""
    if opt.name in res.enums or opt.name in ("datetime", "date"):
        return "str"  # a YAML string (or timestamp) either way
    return {"list": "list", "dict": "mapping"}.get(sub.kind) or ("string" if sub.kind == "prefixed" else opt.name)


def _union(res: Resolution, expr: TypeExpr, prefix: tuple[str, ...], path: Path, accepts: tuple[str, ...]) -> Codec | None:
    options: list[Codec] = []
    class_options = [res.classes[o.name] for o in expr.args if o.name in res.classes]
    shapes: dict[str, str] = {}
    ok = True

    def claim(shape: str, what: str) -> bool:
        if shape in shapes:
            res.fail(path, f'type "{expr}": {what} and {shapes[shape]} both take {shape} values; a document could not tell them apart')
            return False
        shapes[shape] = what
        return True

    for opt in expr.args:
        if opt.name == "None":
            options.append(Codec("none", opt, "null"))
            continue
        if opt.name in res.classes:
            continue
        sub = codec(res, opt, prefix, path, accepts)
        if sub is None:
            return None
        if opt.name == "Any":
            res.fail(path, f'type "{expr}": Any cannot be part of a union')
            return None
        ok = claim(_shape(sub, opt, res), f'"{opt}"') and ok
        options.append(sub)
    if class_options:
        ok = claim("mapping", " | ".join(c.name for c in class_options)) and ok
        of = TypeExpr("Union", tuple(TypeExpr(c.name) for c in class_options)) if len(class_options) > 1 else TypeExpr(class_options[0].name)
        sub = codec(res, of, (), path) if len(class_options) < len(expr.args) else class_codec(res, class_options, path, of)
        if sub is None:
            return None
        if len(class_options) == len(expr.args):
            return sub  # a union of classes only: the family (or class) codec itself
        options.append(sub)
    if "str" in shapes and "string" in shapes:
        ok = False
        res.fail(path, f'type "{expr}": two string types cannot be told apart')
    if not ok:
        return None
    options.sort(key=lambda o: _RANK.get(o.scalar if o.kind == "scalar" else o.kind, 4))
    named = [_stem(res, a) for a in expr.args if a.name not in res.classes]
    if class_options:
        named.insert(0, next(o.name for o in options if o.kind in ("class", "family", "keyed")))
    stem = "_or_".join(n for n in named if n) + (f"_prefixed_{_prefix_stem(prefix)}" if prefix else "")
    stem += f"_accepting_{'_'.join(accepts)}" if accepts else ""
    stem = res.claim(stem, f"{expr} prefix {prefix!r} accepts {accepts}")
    expected = ", ".join(o.expected for o in options[:-1]) + (" or " if len(options) > 1 else "") + options[-1].expected
    return Codec("union", expr, expected, stem, options=options)
