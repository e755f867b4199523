"""The targets: what a spec generates, each in a top-level folder of the output.

Each target reads the model (``generator.model``) and writes files; a target may also object to
names of the spec (``rules``, see ``generator.resolve.naming``). The order of :data:`TARGET_NAMES`
is the order they run in. Their modules are imported when they render, on a cache miss only:
the tools they run are slow to import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from ..model import Package
    from ..outputs import OutputFile
    from ..resolve.naming import NameRules

Render = Callable[["Package", "jinja2.Environment"], list["OutputFile"]]

#: The targets, by the name ``--targets`` knows them, in the order they run.
TARGET_NAMES = ("package", "docs", "schema", "pydantic")


def ignore_file(top: str, package: Package, env: jinja2.Environment) -> OutputFile:
    """``<top>/.gitignore``: git ignores what building, installing or importing the folder leaves in
    it (``outputs.BYPRODUCTS``), in a repository that does not ignore it already."""
    from ..outputs import BYPRODUCTS, IGNORE_FILE, OutputFile, header

    context = {"header": lambda comment: header(comment, package.spec_file), "patterns": BYPRODUCTS}
    return OutputFile(f"{top}/{IGNORE_FILE}", env.get_template("gitignore.j2").render(context), False)


def name_rules() -> list[NameRules]:
    """Every target's rules for names: the Python package's, and the docs' for languages."""
    from .docs.naming import DocsNames
    from .python.naming import PythonNames

    return [PythonNames(), DocsNames()]


def renderer(name: str) -> Render:
    """The function that renders the target ``name``."""
    if name == "package":
        from .python import render_package  # <pkg>/: the Python distribution

        return render_package
    if name == "docs":
        from .docs import render_docs  # <pkg>_docs/: the docs site

        return render_docs
    if name == "schema":
        from .schema import render_schema  # <pkg>_schema/: the JSON Schema of the document

        return render_schema
    if name == "pydantic":
        from .pydantic import render_pydantic  # <pkg>_pydantic/: pydantic models made from that schema

        return render_pydantic
    raise KeyError(name)
