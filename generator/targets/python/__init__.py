"""Target ``package``: the Python distribution of a spec (``<pkg>/``).

Its modules: ``models`` (the dataclasses, their loaders and dumpers, from ``templates/python/``
and the plan of :mod:`.plan`), ``enums``, ``__init__``, and two fixed modules copied from
:mod:`.runtime` with the generated header (``_runtime``: problems and the checks loaders share;
``_yamlio``: YAML in and out, imported on first use); and the hand-written modules the spec ships
(``package.modules``), copied with the header and a line naming their file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ...model import CODEC_KINDS, Package
from ...outputs import OutputFile, header
from .. import ignore_file
from .naming import FIXED_MODULES, PythonNames
from .plan import plan

RUNTIME = Path(__file__).resolve().parent / "runtime"

__all__ = ["FIXED_MODULES", "PythonNames", "kinds", "render_package"]


def kinds(env: jinja2.Environment) -> dict[str, Any]:
    """The macro module of every codec kind (``templates/python/kinds/<kind>.py.j2``), by kind.

    Each module's macros reach the others through the same table: a list's macros write its
    items with their own kind's macros.
    """
    table: dict[str, Any] = {}
    for kind in CODEC_KINDS:
        table[kind] = env.get_template(f"python/kinds/{kind}.py.j2").make_module({"kinds": table})
    return table


def render_package(package: Package, env: jinja2.Environment | None = None) -> list[OutputFile]:
    """Every file of the generated Python distribution, paths relative to the output folder."""
    from ...render import environment

    env = env or environment()
    top = package.name
    context = {
        "package": plan(package),
        "kinds": kinds(env),
        "header": lambda comment: header(comment, package.spec_file),
    }
    files = [
        OutputFile(f"{top}/pyproject.toml", env.get_template("python/pyproject.toml.j2").render(context), False),
        ignore_file(top, package, env),
        OutputFile(f"{top}/{top}/__init__.py", env.get_template("python/__init__.py.j2").render(context), True),
    ]
    for name in FIXED_MODULES:
        text = (RUNTIME / name).read_text(encoding="utf-8")
        files.append(OutputFile(f"{top}/{top}/{name}", header("#", package.spec_file) + "\n" + text, True))
    files.append(OutputFile(f"{top}/{top}/models.py", env.get_template("python/models.py.j2").render(context), True))
    files.append(OutputFile(f"{top}/{top}/py.typed", env.get_template("python/py.typed.j2").render(context), False))
    if package.enums:
        files.append(OutputFile(f"{top}/{top}/enums.py", env.get_template("python/enums.py.j2").render(context), True))
    for module in package.modules:
        note = f"# Copied from {module.file}, the hand-written module the spec ships (package.modules): edit that file."
        text = f"{header('#', package.spec_file)}\n{note}\n{module.text}"
        files.append(OutputFile(f"{top}/{top}/{module.name}.py", text, True))
    return files
