"""Stage 4: lay the resolved model out as text with the Jinja2 templates.

The environment is strict (``StrictUndefined``); every filter is registered here. Templates
decide nothing about types: they read the fields ``resolve`` computed.
"""

from __future__ import annotations

import json
import textwrap

import jinja2

from .model import FieldModel, Package
from .outputs import GENERATED_MARK as GENERATED_MARK  # re-exported: the marker generated files carry
from .outputs import TEMPLATES as TEMPLATES
from .outputs import OutputFile as OutputFile
from .outputs import header as header
from .pysource import LINE_LENGTH, escape_char, py_str, stmt
from .resolve import snake


def doc(text: str, indent: int = 0, *, opens: bool = False, closes: bool = False) -> str:
    """Text made safe inside a triple-quoted docstring, continuation lines indented.

    Backslashes are doubled; a run of three quotes, and a final quote, are escaped; every character that
    is not printable (controls, invisible and bidirectional format characters, separators other than the
    space, lone surrogates) becomes an escape, so the source shows it and the docstring reads back the same
    text. Newlines stay, tabs become spaces; long paragraphs are wrapped, blank lines do not
    repeat, and the indentation the lines after the first share is removed (only whitespace
    changes, as black and PEP 257 change it). ``opens``: the text starts the docstring; ``closes``: the closing quotes
    follow it. There a quote gets a space between it and the triple quotes, as black writes it.
    """
    out = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if out.endswith('"') and (len(out) - 1 - len(out[:-1].rstrip("\\"))) % 2 == 0:  # not escaped already
        out = out[:-1] + '\\"'
    out = "".join(ch if ch.isprintable() or ch in "\n\t" else escape_char(ch) for ch in out)
    # the text and both triple quotes fit on a line (black moves closing quotes that do not fit)
    width = max(40, LINE_LENGTH - indent - 6)
    lines: list[str] = []
    for paragraph in out.split("\n"):
        wrapped = textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False)
        lines.extend(wrapped or [""])
    # at most one blank line in a row: two would let a line of text pass for the start of a
    # top-level block when the module is cut into blocks for black (fmt.split_blocks)
    kept = [line for i, line in enumerate(lines) if line.strip() or not i or lines[i - 1].strip()]
    # black (as PEP 257) removes the indentation the lines after the first have in common
    common = min((len(line) - len(line.lstrip()) for line in kept[1:] if line.strip()), default=0)
    kept = kept[:1] + [line[common:] for line in kept[1:]]
    pad = " " * indent
    laid_out = "\n".join((pad + line if line.strip() else "") if i else line for i, line in enumerate(kept))
    # black pads a docstring that starts or ends with a quote with a space: so do we
    if opens and laid_out.startswith('"'):
        laid_out = " " + laid_out
    if closes and laid_out.endswith('"'):
        laid_out += " "
    return laid_out


def pystr(value: str) -> str:
    """A Python string literal, quoted and escaped as black leaves it."""
    return py_str(value)


def call(template: str, expr: str) -> str:
    """Put ``expr`` into a codec's call template (``"_load_x({})"``)."""
    return template.replace("{}", expr)


def field_default(f: FieldModel) -> str:
    """The ``= ...`` part of a dataclass field."""
    if f.fixed is not None:
        return f" = field(default={pystr(f.fixed)}, init=False)"
    if f.readonly:
        return " = field(default=None, init=False)"
    if f.default_py is None:
        return ""
    if f.default_py in ("list", "dict"):
        return f" = field(default_factory={f.default_py})"
    return f" = {f.default_py}"


def tomlstr(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML also forbids a raw DEL (U+007F)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def environment() -> jinja2.Environment:
    """The one Jinja environment, with every filter registered."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(doc=doc, pystr=pystr, call=call, field_default=field_default, tomlstr=tomlstr, snake=snake, stmt=stmt)
    return env


def render_package(package: Package, env: jinja2.Environment | None = None) -> list[OutputFile]:
    """Every file of the generated Python distribution, paths relative to the output folder."""
    env = env or environment()
    top = package.name
    context = {
        "package": package,
        "header": lambda comment: header(comment, package.spec_file),
        "has_abstract": any(c.abstract for c in package.classes),
    }
    plan = [
        ("python/pyproject.toml.j2", f"{top}/pyproject.toml", False),
        ("python/__init__.py.j2", f"{top}/{top}/__init__.py", True),
        ("python/_runtime.py.j2", f"{top}/{top}/_runtime.py", True),
        ("python/_yamlio.py.j2", f"{top}/{top}/_yamlio.py", True),
        ("python/models.py.j2", f"{top}/{top}/models.py", True),
        ("python/py.typed.j2", f"{top}/{top}/py.typed", False),
    ]
    if package.enums:
        plan.append(("python/enums.py.j2", f"{top}/{top}/enums.py", True))
    return [OutputFile(path, env.get_template(name).render(context), python) for name, path, python in plan]
