"""The other forms a document may come in (``package.document.reads``) and the hand-written modules
the package ships to read them (``package.modules``), for the package step.

A module is read by the loader stage (as an included file is) and only parsed here, never run: its
syntax errors are told at their line in its file, and each ``reads`` entry must name a module of
``package.modules`` and a function that module defines at its top level.
"""

from __future__ import annotations

import ast

from ..errors import Position, SpecProblem, did_you_mean
from ..model import DocumentForm, ShippedModule
from .context import Resolution
from .naming import first


def _functions(res: Resolution, module: ShippedModule) -> set[str] | None:
    """The functions ``module`` defines at its top level (None when it does not parse: told)."""
    try:
        tree = ast.parse(module.text, filename=module.file)
    except SyntaxError as exc:
        where = Position(module.file, exc.lineno or 1, exc.offset or 1)
        res.problems.append(SpecProblem(where, f'module "{module.name}" is not valid Python: {exc.msg}'))
        return None
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def shipped_modules(res: Resolution) -> list[ShippedModule]:
    """The modules of ``package.modules``, by name, each name checked by the targets' rules."""
    modules = []
    for read in sorted(res.doc.modules, key=lambda m: m.name):
        path = ("package", "modules", read.name)
        res.check_name(path, first([r.module_name(read.name) for r in res.all_rules]))
        modules.append(ShippedModule(read.name, read.file, read.text))
    return modules


def document_forms(res: Resolution, modules: list[ShippedModule]) -> list[DocumentForm]:
    """The forms of ``package.document.reads``, in order; an entry whose module or function is not
    there is a problem at its ``function``."""
    raw = res.spec["package"]["document"].get("reads", [])
    by_name = {m.name: m for m in modules}
    defined: dict[str, set[str] | None] = {m.name: _functions(res, m) for m in modules}
    forms: list[DocumentForm] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        spelled = entry["function"]
        path = ("package", "document", "reads", i, "function")
        module, _, function = spelled.partition(":")
        if spelled in seen:
            res.fail(path, f'reads "{spelled}" is listed twice')
            continue
        seen.add(spelled)
        if module not in by_name:
            hint = did_you_mean(module, by_name)
            res.fail(path, f'reads "{spelled}": "{module}" is not a module of package.modules{hint}')
            continue
        functions = defined[module]
        if functions is not None and function not in functions:
            hint = did_you_mean(function, functions)
            res.fail(path, f'reads "{spelled}": {by_name[module].file} defines no function "{function}"{hint}')
            continue
        forms.append(DocumentForm(module, function, res.text(entry["description"])))
    return forms
