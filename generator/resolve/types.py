"""Type expressions of a spec, parsed and checked against its classes and enums."""

from __future__ import annotations

from typing import Any

from ..errors import Position, SpecProblem, did_you_mean
from ..spec.loader import Path
from ..spec.typeexpr import OPAQUE, SCALARS, TypeExpr, TypeSyntaxError, parse_type
from .context import Resolution


def parse(res: Resolution, text: Any, path: Path, *, opaque_ok: bool = False, none_ok: bool = False) -> TypeExpr | None:
    """The type written at ``path``, or None after reporting why it is not one.

    ``opaque_ok``: PathLike and IO are allowed (method parameters); ``none_ok``: a bare ``None``
    is (a method's return type).
    """
    if not isinstance(text, str):
        res.fail(path, "a type must be a string")
        return None
    try:
        expr = parse_type(text)
    except TypeSyntaxError as exc:
        where = res.at(path)
        res.problems.append(SpecProblem(Position(where.file, where.line, where.col + exc.offset), f'type "{text}": {exc}'))
        return None
    for node in expr.nodes():
        if (node.name != "Union" and TypeExpr("None") in node.args) or (node is expr and expr.name == "None" and not none_ok):
            res.fail(path, f'type "{text}": None is only allowed in Optional[T] or a union with other types')
            return None
    ok = True
    for leaf in expr.leaves():
        if leaf.name in SCALARS or leaf.name == "None" or leaf.name in res.classes or leaf.name in res.enums:
            continue
        if leaf.name in OPAQUE:
            if not opaque_ok:
                res.fail(path, f'type "{text}": {leaf.name} is allowed in method parameters only')
                ok = False
            continue
        hint = did_you_mean(leaf.name, [*res.classes, *res.enums, *SCALARS])
        res.fail(path, f'type "{text}": unknown type "{leaf.name}"{hint}')
        ok = False
    for node in expr.nodes():
        if node.name == "dict" and node.args[0] != TypeExpr("str"):
            res.fail(path, f'type "{text}": dictionary keys must be str')
            ok = False
    return expr if ok else None
