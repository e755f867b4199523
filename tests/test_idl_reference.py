"""docs/idl.md, the IDL reference: it names every key of the IDL's schema (a new key must be
documented), names no key the IDL does not have, and every example on it is a working spec, a part
of one, or a document and code that work with the package generated from it."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, import_fresh

import generator
from generator.pipeline import build_package
from generator.spec.validate import idl_schema

PAGE = ROOT / "docs" / "idl.md"
TEXT = PAGE.read_text(encoding="utf-8")
#: The top-level keys of a part of a spec (as opposed to a whole spec, which has ``idl``).
PARTS = {"package", "enums", "classes"}


def schema_keys(schema: Any) -> set[str]:
    """Every key the IDL's schema defines (the names under each ``properties``), and the values of
    its enums of words (``keep``, ``dump_yaml``...)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            found.add(name)
            found |= schema_keys(sub)
        for key, sub in schema.items():
            if key == "enum" and isinstance(sub, list):  # (a definition may be named "enum" too)
                found |= {v for v in sub if isinstance(v, str)}
            elif key != "properties":
                found |= schema_keys(sub)
    elif isinstance(schema, list):
        for item in schema:
            found |= schema_keys(item)
    return found


def blocks(language: str) -> list[tuple[str, str]]:
    """(section title, code) of every fenced block of ``language`` on the page."""
    out = []
    section = ""
    for match in re.finditer(rf"^## ([^\n]*)$|^```{language}\n(.*?)^```$", TEXT, re.M | re.S):
        if match.group(1) is not None:
            section = match.group(1)
        else:
            out.append((section, match.group(2)))
    return out


def merged(base: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``part`` laid over it, mapping by mapping."""
    out = copy.deepcopy(base)
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def whole_spec() -> tuple[dict[str, Any], str, str]:
    """The page's whole spec, its document, and the Python that uses it."""
    (spec, document) = [code for section, code in blocks("yaml") if section == "A whole spec"]
    (python,) = [code for section, code in blocks("python") if section == "A whole spec"]
    return yaml.safe_load(spec), document, python


def build(data: dict[str, Any], folder: Path, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    build_package(path, name)  # raises SpecError, with every problem, if it is no valid spec
    return path


def test_every_key_of_the_idl_is_on_the_page() -> None:
    keys = schema_keys(idl_schema())
    assert {"idl", "package", "languages", "key_style", "unknown_keys", "dump_default", "rename_of", "keep"} <= keys
    mentioned = set(re.findall(r"`([^`\s]+)`", TEXT))
    missing = sorted(keys - mentioned)
    assert not missing, f"docs/idl.md does not document {missing}: give each a section or a mention, in backticks"


def test_every_key_a_heading_names_is_a_key_of_the_idl() -> None:
    keys = schema_keys(idl_schema())
    headed = {name for heading in re.findall(r"^###+ (.*)$", TEXT, re.M) for name in re.findall(r"`([^`]+)`", heading)}
    assert headed, "the page has no key headings"
    assert sorted(headed - keys) == []


def test_the_contents_link_every_section() -> None:
    contents = next(line for line in TEXT.splitlines() if line.startswith("Contents:"))
    contents += " " + TEXT.split(contents, 1)[1].split("\n\n", 1)[0]
    titles = re.findall(r"^## (.*)$", TEXT, re.M)
    anchors = re.findall(r"\]\(#([^)]+)\)", contents)
    assert anchors == [t.lower().replace(" ", "-") for t in titles]


def test_the_whole_spec_generates_and_its_document_and_code_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, document, python = whole_spec()
    path = build(spec, tmp_path)
    result = generator.generate([path], out=tmp_path / "out", targets="package", cache=False, config=False)
    assert result.ok, result.problems or result.error
    shop = import_fresh("shop", tmp_path / "out" / "shop")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "order.yml").write_text(document, encoding="utf-8")
    exec(compile(python, "docs/idl.md", "exec"), {})
    assert shop.load_order("order.yml").payment.last_digits == "4242"


def test_every_example_is_a_spec_or_a_part_of_the_whole_one(tmp_path: Path) -> None:
    base, _document, _python = whole_spec()
    parts = whole = 0
    for i, (section, code) in enumerate(blocks("yaml")):
        data = yaml.safe_load(code)
        if section == "A whole spec":
            continue
        assert isinstance(data, dict), f"{section}: example {code!r} is no mapping"
        if "idl" in data:
            build(data, tmp_path, f"whole{i}.yaml")
            whole += 1
        else:
            assert set(data) <= PARTS, f"{section}: example with keys {sorted(data)}"
            build(merged(base, data), tmp_path, f"part{i}.yaml")
            parts += 1
    assert parts >= 20 and whole >= 1


def test_the_example_of_examples_runs(tmp_path: Path) -> None:
    base, _document, _python = whole_spec()
    (code,) = [c for section, c in blocks("yaml") if section == "Examples"]
    path = build(merged(base, yaml.safe_load(code)), tmp_path)
    result = generator.generate([path], out=tmp_path / "out", targets="package", cache=False, config=False)
    assert result.ok, result.problems or result.error
    shop = import_fresh("shop", tmp_path / "out" / "shop")
    (example,) = yaml.safe_load(code)["classes"]["Order"]["examples"]
    exec(compile(example["code"], "docs/idl.md", "exec"), {name: getattr(shop, name) for name in shop.__all__})
