"""Jinja filters of the Python target: docstrings, string literals, TOML strings, types and defaults.

``generator.render.environment`` registers them, with the other targets' filters, in one place.
"""

from __future__ import annotations

import json
import textwrap

from ...model import Default, Param
from ...spec.typeexpr import TypeExpr
from .plan import py_default, py_type
from .pysource import LINE_LENGTH, escape_char, py_str


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


def pytype(expr: TypeExpr) -> str:
    """A type as a Python annotation."""
    return py_type(expr)


def pydefault(value: Default) -> str:
    """A default as a Python expression."""
    return py_default(value)


def tomlstr(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML also forbids a raw DEL (U+007F)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def hook_argument(param: Param) -> str:
    """How a method passes a parameter on to the user's function it calls: by keyword."""
    return f"**{param.name}" if param.variadic else f"{param.name}={param.name}"
