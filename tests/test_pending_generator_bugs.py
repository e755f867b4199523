"""Generator bugs found by the robustness work (issue 6) and not fixed yet: each test fails today and is
marked ``xfail(strict=True)``, so the day a fix lands the test passes, pytest reports it (XPASS is an error
under strict), and the marker comes off.

- ``tests/bad_specs_pending/``: specs the generator crashes on (traceback), accepts although the generated
  code is broken, or rejects with a misleading message. Each ``.expected`` holds a *proposed* message; the
  test checks exit 2, no traceback, the output left untouched, the ``file:line:col`` of each message, and
  that each message names what the proposal quotes ("..."), not its exact wording. Once the generator catches one, write its ``.expected`` with the command of
  ``tests/bad_specs/`` and move both files there.
- Valid specs whose generated loader is wrong: two codecs get one function name, and the second definition
  silently replaces the first.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, import_fresh

from generator.cli import main

PENDING = ROOT / "tests" / "bad_specs_pending"
CASES = sorted(p.stem for p in PENDING.glob("*.yaml"))


def test_pending_specs_each_have_a_proposed_message() -> None:
    assert CASES
    for name in CASES:
        assert (PENDING / f"{name}.expected").is_file(), name


def positions(lines: list[str]) -> list[str]:
    """The ``file:line:col`` of each message line."""
    return [":".join(line.split(":")[:3]) for line in lines]


def quoted(line: str) -> list[str]:
    """What a message quotes: the names it must mention whatever its wording."""
    return re.findall(r'"([^"]+)"', line)


@pytest.mark.xfail(strict=True, reason="generator bug reported in issue 6: see the module docstring")
@pytest.mark.parametrize("name", CASES)
def test_pending_bad_spec_is_rejected_at_the_right_place(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "generated"
    (out / "shop").mkdir(parents=True)
    keep = out / "shop" / "models.py"
    keep.write_text("# @generated\nprevious = True\n")
    (tmp_path / "spec").mkdir()
    shutil.copy(PENDING / f"{name}.yaml", tmp_path / "spec" / f"{name}.yaml")
    proposed = (PENDING / f"{name}.expected").read_text(encoding="utf-8").replace(f"tests/bad_specs_pending/{name}.yaml", f"spec/{name}.yaml")
    monkeypatch.chdir(tmp_path)
    code = main(["generate", "--out", str(out), f"spec/{name}.yaml"])  # an exception is a traceback: the test fails
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.splitlines()
    assert lines[-1].endswith("left untouched")
    assert positions(lines[:-1]) == positions(proposed.splitlines())
    for line, wanted in zip(lines[:-1], proposed.splitlines(), strict=True):
        assert all(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", line) for word in quoted(wanted)), (line, wanted)
    assert sorted(p.name for p in out.rglob("*")) == ["models.py", "shop"]


# -- valid specs, wrong loaders ---------------------------------------------------------------

SHOP = (ROOT / "tests" / "bad_specs" / "mro_conflict.yaml").read_text(encoding="utf-8")
SHOP = SHOP[: SHOP.index("  A:\n")] + SHOP[SHOP.index("  Item:\n") :]


def with_order_fields(extra: str, classes: str = "", enums: str = "") -> str:
    text = SHOP.replace("      items:\n", extra + "      items:\n", 1) + classes
    return text.replace("classes:\n", enums + "classes:\n", 1)


def field(name: str, type_: str, more: str = "") -> str:
    return f"      {name}:\n        type: '{type_}'\n{more}        description: {{en: X., es: X.}}\n"


def small_class(name: str) -> str:
    return f"  {name}:\n    description: {{en: X., es: X.}}\n    fields:\n      n: {{type: int, description: {{en: N., es: N.}}}}\n"


COLLISIONS = {
    # class ListItem's loader and the loader of list[Item] are both _load_list_item
    "class_named_like_a_list_codec": (
        with_order_fields(field("li", "Optional[ListItem]", "        default: null\n"), small_class("ListItem")),
        "number: 1\nitems: [{sku: a}]\nli: {n: 2}\n",
    ),
    # class IntOrStr's loader and the loader of Union[int, str] are both _load_int_or_str
    "class_named_like_a_union_codec": (
        with_order_fields(
            field("u", "Optional[IntOrStr]", "        default: null\n") + field("v", "Union[int, str]", "        default: 1\n"),
            small_class("IntOrStr"),
        ),
        "number: 1\nitems: [{sku: a}]\nu: {n: 2}\nv: x\n",
    ),
    # enum HTTPMode and class HttpMode: both loaders are _load_http_mode (classes alone are checked)
    "enum_and_class_with_one_snake_case_name": (
        with_order_fields(
            field("m", "Optional[HTTPMode]", "        default: null\n") + field("h", "Optional[HttpMode]", "        default: null\n"),
            small_class("HttpMode"),
            "  HTTPMode:\n    description: {en: X., es: X.}\n    members:\n      A: {value: a, description: {en: A., es: A.}}\n",
        ),
        "number: 1\nitems: [{sku: a}]\nm: a\nh: {n: 1}\n",
    ),
    # prefixes "azureml:" and "azureml;" both give _load_str_prefixed_azureml: the second field checks the first's prefix
    "two_prefixes_with_one_stem": (
        with_order_fields(
            field("p1", "str", "        prefix: 'azureml:'\n        default: 'azureml:x'\n")
            + field("p2", "str", "        prefix: 'azureml;'\n        default: 'azureml;x'\n")
        ),
        "number: 1\nitems: [{sku: a}]\np1: 'azureml:y'\np2: 'azureml;y'\n",
    ),
    # "²" is alphanumeric to re's \w but not an identifier character: the generated code does not compile
    "prefix_with_a_superscript_digit": (
        with_order_fields(field("p1", "str", "        prefix: 'x²:'\n        default: 'x²:y'\n")),
        "number: 1\nitems: [{sku: a}]\np1: 'x²:z'\n",
    ),
}


@pytest.mark.xfail(strict=True, reason="generator bug reported in issue 6: codec function names collide")
@pytest.mark.parametrize("name", sorted(COLLISIONS))
def test_valid_spec_generates_a_working_loader(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_text, document = COLLISIONS[name]
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--out", str(out), str(spec)]) == 0
    # a subprocess: a broken module must not stay in this process's sys.modules
    check = subprocess.run(
        [sys.executable, "-c", "import io, sys, shop; shop.load_order(io.StringIO(sys.stdin.read()))"],
        input=document, cwd=out / "shop", capture_output=True, text=True, timeout=60,
    )
    assert check.returncode == 0, check.stderr
    shop = import_fresh("shop", out / "shop")
    assert shop.load_order(io.StringIO(document)).to_dict()["number"] == 1
