"""Step: the methods of every class (parameters, return type, exceptions), the classes of the
user's own it extends, and the examples.

A method's body is one of the runtime's operations or a call of a function of the user's own
(``implements: module:function``); the exceptions it raises
are named as the IDL names them, with the built-in exception names of Python (``ValueError``,
``FileExistsError``...), which every target documents as they are.
"""

from __future__ import annotations

import builtins
from typing import Any

from ..errors import did_you_mean
from ..model import ClassModel, Default, Example, MethodModel, Param, Raise
from ..spec.loader import Path
from ..spec.typeexpr import TypeExpr
from .context import Resolution
from .defaults import default
from .naming import first
from .types import parse


def _split(ref: str) -> tuple[str, str]:
    """``mypkg.helpers:JobHelpers`` → (``mypkg.helpers``, ``JobHelpers``): the IDL's schema checked its form."""
    module, _, name = ref.partition(":")
    return module, name


#: The exceptions a method may declare.
EXCEPTIONS = sorted(n for n in dir(builtins) if isinstance(getattr(builtins, n), type) and issubclass(getattr(builtins, n), BaseException))


def run(res: Resolution) -> None:
    for cls in res.order:
        raw_class = res.raw_class(cls.name)
        cls.extends = [_split(ref) for ref in raw_class.get("extends", [])]
        cls.methods = [_method(res, cls, mname, raw) for mname, raw in raw_class.get("methods", {}).items()]
        cls.examples = [Example(res.text(e["title"]), e["code"]) for e in raw_class.get("examples", [])]


def _method(res: Resolution, cls: ClassModel, mname: str, raw: dict[str, Any]) -> MethodModel:
    path: Path = ("classes", cls.name, "methods", mname)
    params: list[Param] = []
    for pname, praw in raw.get("params", {}).items():
        ppath = (*path, "params", pname)
        res.check_name(ppath, first([r.parameter_name(pname, mname) for r in res.all_rules]))
        expr = parse(res, praw["type"], (*ppath, "type"), opaque_ok=True)
        if expr is None:
            continue
        value: Default | None = None
        if "default" in praw:
            value = default(res, praw["default"], expr, (*ppath, "default"), f'parameter "{pname}"', praw["type"])
        variadic = praw.get("variadic") == "keyword"
        params.append(Param(pname, expr, praw["type"], res.text(praw["description"]), value, variadic, res.at(ppath, key=True)))
    variadics = [p for p in params if p.variadic]
    if len(variadics) > 1 or (variadics and params[-1] is not variadics[0]):
        res.fail((*path, "params"), f'method "{mname}": only the last parameter can be variadic')
    returns = raw.get("returns", {"type": "None"})
    rexpr = parse(res, returns["type"], (*path, "returns", "type"), opaque_ok=True, none_ok=True)
    raises: list[Raise] = []
    for i, rraw in enumerate(raw.get("raises", [])):
        if rraw["type"] not in EXCEPTIONS:
            hint = did_you_mean(rraw["type"], [n for n in EXCEPTIONS if n.endswith(("Error", "Exception"))])
            res.fail((*path, "raises", i, "type"), f'method "{mname}": "{rraw["type"]}" is not a built-in exception{hint}')
        raises.append(Raise(rraw["type"], res.text(rraw["description"])))
    if raw["implements"] == "dump_yaml":
        shape = [p.variadic for p in params]
        if len(shape) not in (1, 2) or shape[0] or (len(shape) == 2 and not shape[1]) or rexpr != TypeExpr("None"):
            res.fail(path, f'method "{mname}": dump_yaml takes one destination parameter (and optionally **kwargs) and returns None', key=True)
    return MethodModel(
        mname,
        res.text(raw["description"]),
        raw["implements"],
        params,
        rexpr or TypeExpr("None"),
        returns["type"],
        res.text(returns["description"]) if "description" in returns else None,
        raises,
        res.at(path, key=True),
    )
