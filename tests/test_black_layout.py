"""The templates write black's layout themselves (generator/pysource.py); black runs only on blocks
with a line too long for those rules. These tests hold the rules to black: every statement shape
the templates lay out, at every length around the line limit, must come out as black formats it,
and whole generated packages must be what black makes of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import LIBRARY_SPEC, SPEC
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import synth_to_idl
from generator import fmt
from generator.pipeline import build_package
from generator.targets.python import render_package
from generator.targets.python.pysource import needs_black, py_str, stmt


def names(length: int, count: int) -> list[str]:
    """``count`` distinct identifiers of about ``length`` characters."""
    return [f"n{i}_" + "x" * max(0, length - 3) for i in range(count)]


#: (the statement written flat, its indentation) for a name length and a count of items: each shape is
#: one the templates pass through the ``stmt`` filter.
SHAPES = {
    "list display": lambda ns: ("__all__ = [" + ", ".join(map(py_str, ns)) + "]", 0),
    "import": lambda ns: ("from .models import " + ", ".join(ns), 0),
    "call with keywords": lambda ns: ("obj = Thing(" + ", ".join(f"{n}=f_{n}" for n in ns) + ")", 4),
    "repr pairs": lambda ns: ("return _runtime.format_repr(self, [" + ", ".join(f'("{n}", self.{n})' for n in ns) + "])", 8),
    "frozenset": lambda ns: ("_KEYS = frozenset({" + ", ".join(map(py_str, ns)) + "})", 0),
    "nested call": lambda ns: (f'problems.append(_runtime.mismatch("{ns[0]}", "a string, or a list", f_{ns[-1]}))', 8),
    "if and not call": lambda ns: (f"if f_{ns[0]} is not None and not isinstance(f_{ns[0]}, str):", 4),
    "elif and not call": lambda ns: (f"elif f_{ns[0]} is not None and not _runtime.is_number(f_{ns[-1]}):", 4),
    "raise": lambda ns: ("raise _runtime.invalid(" + py_str("one of " + ", ".join(map(py_str, ns))) + ", value)", 4),
    "assignment of a call": lambda ns: (f"f_{ns[0]} = _load_{ns[-1]}(f_{ns[0]})", 12),
    "subscript assignment": lambda ns: (f'data["{ns[0]}"] = _dump_{ns[-1]}(f_{ns[0]})', 12),
    "dict comprehension": lambda ns: ("return {key: " + f"_dump_{ns[0]}(item)" + " for key, item in value.items()}", 4),
    "list comprehension": lambda ns: ("return [" + f"_dump_{ns[0]}(item)" + " for item in value]", 4),
    "augmented assignment": lambda ns: (f'problems += exc.at("{ns[0]}")', 12),
}


def in_context(line: str, indent: int) -> str:
    """A module in which ``line`` (already laid out) sits at ``indent`` spaces."""
    body = line + ("\n" + " " * (indent + 4) + "pass" if line.endswith(":") else "")
    if line.startswith("elif "):
        body = "if x:\n" + " " * (indent + 4) + "pass\n" + " " * indent + body
    text = " " * indent + body + "\n"
    for level in range(indent // 4, 0, -1):
        text = " " * (4 * (level - 1)) + "def f():\n" + text
    return text


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_statement_shape_is_laid_out_as_black_does(shape: str) -> None:
    split = 0
    for length in range(1, 80, 5):
        for count in (1, 2, 3, 6, 11):
            flat, indent = SHAPES[shape](names(length, count))
            laid_out = stmt(flat, indent)
            text = in_context(laid_out, indent)
            if needs_black(text):
                continue  # a line still too long: black formats this block
            split += laid_out != flat
            assert fmt.format_source(text) == text, f"{shape}, length {length}, {count} items"
            assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(in_context(flat, indent)))  # same code
    assert split >= 3  # the shape was split here, not only left as it was or to black


def test_lines_black_never_splits_do_not_call_for_black() -> None:
    long = "word " * 20
    assert not needs_black(f"# {long}\n")
    assert not needs_black(f'X = {{\n    "key": "{long}",\n}}\n')
    assert not needs_black(f'def f():\n    """{long}\n\n    {long}\n    """\n')
    assert not needs_black(f'def f():\n    """{long}"""\n')  # a one-line docstring stays as it is
    assert needs_black(f'def f():\n    """Summary.\n\n    {long}"""\n')  # black moves the closing quotes
    assert needs_black(f"x = f({', '.join(['argument'] * 12)})\n")
    assert needs_black("x = '" + "é" * 44 + "' + y\n")  # a wide text: black measures it, not len()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_string_literals_are_quoted_as_black_quotes_them(value: str) -> None:
    literal = py_str(value)
    assert ast.literal_eval(literal) == value
    source = f"x = {literal}\n"
    assert fmt.format_source(source) == source


@pytest.mark.parametrize("spec", [SPEC, LIBRARY_SPEC], ids=["CommandJob", "library"])
def test_generated_package_is_what_black_makes_of_it(spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path))
    for f in render_package(build_package(spec)):
        if f.python:
            (formatted,) = fmt.format_many([f.text], laid_out=[f.laid_out])
            assert formatted == fmt.format_source(f.text), f.path


def test_synthetic_spec_needs_no_black_and_is_what_black_makes_of_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's specs (short names, cycles, families): black has nothing to do on them."""
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path / "cache"))
    files = synth_to_idl.make_spec(40, tmp_path)
    for f in render_package(build_package(files["spec"])):
        if f.python:
            assert not any(needs_black(b) for b in fmt.split_blocks(f.text)), f.path
            (formatted,) = fmt.format_many([f.text], laid_out=[f.laid_out])
            assert formatted == fmt.format_source(f.text), f.path
    assert not any((tmp_path / "cache").rglob("*")), "black ran"
