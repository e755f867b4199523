"""Unit tests of each stage: loader, validate, typeexpr, resolve, render, fmt, write."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import LIBRARY_SPEC, ROOT, SPEC

from generator import fmt
from generator.errors import SpecError
from generator.outputs import OutputFile, header
from generator.pipeline import build_package
from generator.resolve.classes import c3 as _c3
from generator.spec.loader import load_text
from generator.spec.names import snake
from generator.spec.typeexpr import TypeSyntaxError, parse_type
from generator.spec.validate import idl_schema
from generator.targets.python.filters import doc
from generator.write import WriteError, safe_relative, write_tree


def test_loader_keeps_positions_of_keys_and_values() -> None:
    loaded = load_text("a:\n  b: [1, 2]\n  c: x\n", "f.yaml")
    assert loaded.data == {"a": {"b": [1, 2], "c": "x"}}
    assert str(loaded.where(("a", "c"))) == "f.yaml:3:6"
    assert str(loaded.where(("a", "c"), key=True)) == "f.yaml:3:3"
    assert str(loaded.where(("a", "b", 1))) == "f.yaml:2:10"


def test_loader_rejects_duplicate_keys_that_pyyaml_would_keep() -> None:
    with pytest.raises(SpecError, match=r'f.yaml:3:1: duplicate key "a" \(first defined at line 1\)'):
        load_text("a: 1\nb: 2\na: 3\n", "f.yaml")


def test_loader_reads_yaml_1_1_boolean_words_as_keys_but_not_true_and_false() -> None:
    """``on:`` names a field (a GitHub workflow's triggers): YAML 1.2 reads it as a word, pyyaml as true."""
    loaded = load_text("on: 1\nOff: 2\nyes: {NO: 3}\n'true': 4\nno: on\n", "f.yaml")
    assert loaded.data == {"on": 1, "Off": 2, "yes": {"NO": 3}, "true": 4, "no": True}  # values keep YAML's reading
    assert str(loaded.where(("on",), key=True)) == "f.yaml:1:1"
    with pytest.raises(SpecError, match=r"f.yaml:2:1: YAML reads the key True as the boolean true"):
        load_text("a: 1\nTrue: 2\n", "f.yaml")


def test_spec_files_validate_against_the_checked_in_idl_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(idl_schema())
    for spec in (SPEC, LIBRARY_SPEC, ROOT / "tests" / "specs" / "constraints" / "constraints.yaml"):
        jsonschema.validate(yaml.safe_load(spec.read_text(encoding="utf-8")), idl_schema())
    schema = idl_schema()  # what an editor checks an included file against:
    included = {"$ref": "#/$defs/includedSpec", "$defs": schema["$defs"], "properties": schema["properties"]}
    common = "idl: 1\ninclude: [more.yaml]\nclasses:\n  Item: {description: {en: I.}, deprecated: true}\n"
    jsonschema.validate(yaml.safe_load(common), included)
    with pytest.raises(jsonschema.ValidationError, match="'package' was unexpected"):
        jsonschema.validate(yaml.safe_load(common + "package: {}\n"), included)


def test_type_expressions() -> None:
    assert str(parse_type("Optional[dict[str, Union[Input, int]]]")) == "Union[dict[str, Union[Input, int]], None]"
    assert parse_type("str | None") == parse_type("Optional[str]")
    assert parse_type("Union[int, Union[str, int]]") == parse_type("int | str")
    with pytest.raises(TypeSyntaxError) as err:
        parse_type("list[int")
    assert err.value.offset == 8


def test_c3_linearization() -> None:
    bases = {"O": [], "A": ["O"], "B": ["O"], "C": ["A", "B"], "D": ["C", "B"]}
    assert _c3("D", bases, {}) == ["D", "C", "A", "B", "O"]
    assert _c3("X", {"O": [], "A": ["O"], "X": ["O", "A"]}, {}) is None


def test_snake_case() -> None:
    assert snake("JobIOMixin") == "job_io_mixin" and snake("PyTorchDistribution") == "py_torch_distribution"


def test_resolved_model_of_the_spec() -> None:
    package = build_package(SPEC)
    classes = {c.name: c for c in package.classes}
    job = classes["CommandJob"]
    assert [c.name for c in job.mro] == ["CommandJob", "Job", "ParameterizedCommand", "JobIOMixin"]
    order = [c.name for c in package.classes]
    for cls in package.classes:
        assert all(order.index(b.name) < order.index(cls.name) for b in cls.bases)
    fields = {f.name: f for f in job.fields}
    assert fields["schema"].key == "$schema"
    assert fields["type"].fixed == "command" and fields["type"].omit_value == "command"
    assert fields["status"].readonly and not fields["status"].init
    assert fields["command"].required
    assert str(fields["inputs"].type) == "Union[dict[str, Union[Input, LiteralInput, str, bool, int, float]], None]"
    assert fields["environment"].codec.kind == "union" and fields["identity"].codec.kind == "family"


def test_docstring_escaping_cannot_break_out() -> None:
    text = 'ends with a quote" and has """triple""" and a \\ backslash\x00'
    source = f'def f():\n    """{doc(text, 4)}"""\n'
    namespace: dict[str, object] = {}
    exec(compile(source, "<t>", "exec"), namespace)
    assert "triple" in str(namespace["f"].__doc__)  # type: ignore[attr-defined]


def test_black_cache_returns_the_same_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path))
    source = "x = [" + ", ".join(f"item_{i}" for i in range(20)) + "]\n"  # too long: black splits it
    first = fmt.format_many([source])
    assert first == [fmt.format_source(source)] != [source] and any(tmp_path.rglob("*"))
    assert fmt.format_many([source]) == first


def test_blocks_that_fit_are_taken_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path))
    source = "x  =  1\n"  # not black's layout, but no line is too long: the templates answer for it
    assert fmt.format_many([source], laid_out=[True]) == [source] and not any(tmp_path.rglob("*"))
    assert fmt.format_many([source]) == ["x = 1\n"]  # text another tool wrote: black formats it all


def test_writer_refuses_paths_outside_the_output() -> None:
    for bad in ("../x", "/abs", "a/../../b", ""):
        with pytest.raises(WriteError):
            safe_relative(bad)


def test_writer_swaps_trees_and_keeps_byproducts(tmp_path: Path) -> None:
    write_tree(tmp_path, [OutputFile("pkg/a.py", header("#", "spec/x.yaml") + "\na = 1\n", True)], ["pkg"])
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.pyc").write_bytes(b"x")
    changed = write_tree(tmp_path, [OutputFile("pkg/b.py", header("#", "spec/x.yaml") + "\nb = 1\n", True)], ["pkg"])
    assert changed == ["pkg/b.py"]
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["__pycache__", "b.py"]
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]  # no staging folders left behind


def test_idl_schema_is_json() -> None:
    assert json.loads(json.dumps(idl_schema()))["properties"]["idl"]["const"] == 1


def test_formatting_block_by_block_equals_formatting_the_whole_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.targets.python import render_package

    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path))
    for spec in (SPEC, LIBRARY_SPEC):
        for f in render_package(build_package(spec)):
            if f.python:
                # a package's __init__ and the runtime's _runtime (imports and __all__) are one block
                assert len(fmt.split_blocks(f.text)) > 1 or f.path.endswith(("__init__.py", "/_runtime.py")), f.path
                assert fmt.format_many([f.text], laid_out=[True]) == [fmt.format_source(f.text)], f.path
