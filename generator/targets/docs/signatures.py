"""Python signatures as the pages show them, laid out by black's rules for a ``def``.

The pages document the Python package, whose code black lays out: a signature that does not fit
the page's code width gets the layout black gives the same ``def`` at that width (parameters on
one indented line when they fit there, else one a line with trailing commas; a parameter still
too long gets its union in parentheses, one option a line, and its brackets split). Pure Python:
``tests/test_docs.py`` checks the result against black itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import ClassModel, Default, MethodModel, Package
from ...spec.typeexpr import TypeExpr
from ..python.plan import py_default, py_type, shown_default

#: Columns of a code block in the content column of a wide screen (80 at 1400 px, measured by
#: the browser tests); black lays signatures out at this width.
SIGNATURE_WIDTH = 80


@dataclass(frozen=True)
class SigParam:
    """One parameter: ``name: type = default``, ``**name: type`` or the bare ``*``."""

    name: str
    type: TypeExpr | None = None
    default: str = ""

    @property
    def flat(self) -> str:
        if self.type is None:
            return self.name
        return f"{self.name}: {py_type(self.type)}" + (f" = {self.default}" if self.default else "")


def _fits(text: str, indent: int, width: int) -> bool:
    return indent + len(text) <= width


def _lay_type(expr: TypeExpr, indent: int, prefix: str, suffix: str, width: int) -> list[str]:
    """``prefix + type + suffix`` as lines indented by ``indent``: a union one option a line
    (``| B``), a subscript split at its brackets (its items on one line if they fit, else one a
    line with trailing commas, none after a lone item)."""
    pad = " " * indent
    text = prefix + py_type(expr) + suffix
    if _fits(text, indent, width):
        return [pad + text]
    if expr.name == "Union":
        last = len(expr.args) - 1
        lines: list[str] = []
        for i, option in enumerate(expr.args):
            lines += _lay_type(option, indent, prefix if i == 0 else "| ", suffix if i == last else "", width)
        return lines
    if expr.name in ("dict", "list"):
        head, tail = f"{pad}{prefix}{expr.name}[", f"{pad}]{suffix}"
        inner = ", ".join(py_type(a) for a in expr.args)
        if _fits(inner, indent + 4, width):
            return [head, " " * (indent + 4) + inner, tail]
        if len(expr.args) == 1:
            return [head, *_lay_type(expr.args[0], indent + 4, "", "", width), tail]
        return [head, *[line for a in expr.args for line in _lay_type(a, indent + 4, "", ",", width)], tail]
    return [pad + text]  # a name: nothing to split


def _lay_param(param: SigParam, width: int) -> list[str]:
    line = f"    {param.flat},"
    if _fits(line, 0, width) or param.type is None:
        return [line]
    tail = f" = {param.default}," if param.default else ","
    if param.type.name == "Union":
        return [f"    {param.name}: (", *_lay_type(param.type, 8, "", "", width), f"    ){tail}"]
    return _lay_type(param.type, 4, f"{param.name}: ", tail, width)


def layout_signature(name: str, params: list[SigParam], returns: str = "", *, width: int = SIGNATURE_WIDTH, head: str = "", tail: str = "") -> str:
    """``name(params) returns`` laid out as black lays out ``head name(params) returns tail``
    (``def`` and ``: ...`` in the tests), without ``head`` and ``tail``."""
    flat = [p.flat for p in params]
    one_line = f"{name}({', '.join(flat)}){returns}"
    if not params or _fits(head + one_line + tail, 0, width):
        return one_line
    body = ", ".join(flat)
    if _fits(body, 4, width):
        return f"{name}(\n    {body}\n){returns}"
    lines = [line for p in params for line in _lay_param(p, width)]
    return f"{name}(\n" + "\n".join(lines) + f"\n){returns}"


def parameter_default(value: Default | None) -> str:
    """A method parameter's default as its signature writes it ('' for none)."""
    return py_default(value) if value is not None else ""


def constructor_params(cls: ClassModel) -> list[SigParam]:
    """The constructor's parameters: keyword-only (``*`` first), each with its default."""
    params = [SigParam(f.name, f.type, shown_default(f.default)) for f in cls.init_fields]
    return [SigParam("*"), *params] if params else []


def method_params(method: MethodModel) -> list[SigParam]:
    """A method's parameters without ``self``; ``**name`` for the variadic one."""
    return [SigParam(f"**{p.name}" if p.variadic else p.name, p.type, parameter_default(p.default)) for p in method.params]


def all_signatures(package: Package, width: int = SIGNATURE_WIDTH) -> dict[str, str]:
    """The laid-out signature of every constructor (by class name) and method (``Class.method``)."""
    out: dict[str, str] = {}
    for cls in package.classes:
        out[cls.name] = layout_signature(cls.name, constructor_params(cls), width=width)
        for method in cls.methods:
            out[f"{cls.name}.{method.name}"] = layout_signature(method.name, method_params(method), f" -> {py_type(method.returns)}", width=width)
    return out
