"""Step: the methods of every class (parameters, return type, exceptions), the classes of the
user's own it extends, and the examples.

A method's body is one of the runtime's operations or a call of a function of the user's own
(``implements: module:function``); the exceptions it raises
are named as the IDL names them, with the built-in exception names of Python (``ValueError``,
``FileExistsError``...), which every target documents as they are.
"""

from __future__ import annotations

import builtins
import warnings
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
        for i, example in enumerate(cls.examples):
            problem = _not_python(example.code)
            if problem:
                res.fail(("classes", cls.name, "examples", i, "code"), f'class "{cls.name}": example {i + 1} is no Python: {problem}')
    for cls in res.order:
        for m in cls.methods:
            base = next((b for b in cls.mro[1:] if any(o.name == m.name for o in b.methods)), None)
            if base is not None:
                overridden = next(o for o in base.methods if o.name == m.name)
                why = _not_a_stand_in(overridden, m)
                if why:
                    path: Path = ("classes", cls.name, "methods", m.name)
                    res.fail(path, f'method "{cls.name}.{m.name}" overrides "{base.name}.{m.name}" but {why}', key=True)


def _not_python(code: str) -> str:
    """Why ``code`` does not compile as Python ('' when it does), with the line of the code where."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an invalid escape's SyntaxWarning: the docs show it as written
        try:
            compile(code, "<example>", "exec", dont_inherit=True)
        except SyntaxError as exc:
            return f"{exc.msg} (line {exc.lineno} of its code)"
        except ValueError as exc:  # a NUL character
            return str(exc)
    return ""


def _not_a_stand_in(base: MethodModel, m: MethodModel) -> str:
    """Why a method cannot stand in for the base method it overrides ('' when it can): a call of the
    base's must be a call of it (every parameter of the base's kept, in its place, with its type and its
    default if it had one; any more of its own optional) and give what the base's gives (the same
    return type). The types must be the same: a type checker would also take a wider parameter or a
    narrower return type, which this check does not tell from the changes it refuses (a narrower
    parameter, which mypy refuses in the generated package)."""
    plain = [p for p in base.params if not p.variadic]
    mine = [p for p in m.params if not p.variadic]
    for i, p in enumerate(plain):
        q = mine[i] if i < len(mine) else None
        if q is None:
            return f'lacks its parameter "{p.name}"'
        if q.name != p.name:
            return f'names its parameter {i + 1} "{q.name}", not "{p.name}"'
        if q.type != p.type:
            return f'its parameter "{p.name}" is "{q.type_text}", not "{p.type_text}"'
        if p.default is not None and q.default is None:
            return f'its parameter "{p.name}" has no default, which the overridden one has'
    added = next((q for q in mine[len(plain) :] if q.default is None), None)
    if added is not None:
        return f'adds the required parameter "{added.name}" (a parameter it adds needs a default)'
    variadic = next((p for p in base.params if p.variadic), None)
    if variadic is not None and not any(q.variadic and q.type == variadic.type for q in m.params):
        return f'does not take "**{variadic.name}: {variadic.type_text}" as the overridden one does'
    if m.returns != base.returns:
        return f'returns "{m.returns_text}", not "{base.returns_text}"'
    return ""


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
