"""Valid specs whose names once made two codecs share one function name (the second definition
silently replaced the first): found by the robustness work of issue 6, fixed in the resolver, which now
gives every module-level loader a unique name. The bad specs found with them are in ``tests/bad_specs/``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, import_fresh

from generator.cli import main

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


# -- names and values that look like code: the model holds no code text (issue 12) ---------------------


def test_a_class_named_like_the_value_expression_in_a_union_dumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Keyvalue`` in ``Optional[Union[Keyvalue, str]]``: the dump once substituted "value" in
    ``isinstance(value, Keyvalue)`` and wrote ``isinstance(f_extra, Keyf_extra)`` (a NameError)."""
    spec_text = with_order_fields(field("extra", "Optional[Union[Keyvalue, str]]", "        default: null\n"), small_class("Keyvalue"))
    shop = _generate(spec_text, tmp_path, monkeypatch)
    order = shop.load_order(io.StringIO("number: 1\nitems: []\nextra: {n: 3}\n"))
    assert order.to_dict() == {"number": 1, "items": [], "extra": {"n": 3}}
    assert shop.Order(number=1, extra="text").to_dict()["extra"] == "text"


@pytest.mark.parametrize("prefix", ["tpl{}:", "{0}", "{", "}}", "%s:", "\\{}", '"{}"'])
def test_a_prefix_with_format_characters_is_checked_as_it_is(
    prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prefix holding ``{}`` once turned ``to_dict()`` of ``ref="abc"`` into ``'tplself.ref:abc'``.
    A prefixed string is held and written as written: only a value that starts with the prefix loads."""
    quoted = prefix.replace("'", "''")
    spec_text = with_order_fields(field("ref", "Optional[str]", f"        prefix: '{quoted}'\n        default: null\n"))
    shop = _generate(spec_text, tmp_path, monkeypatch)
    order = shop.Order(number=1, ref=prefix + "abc")
    assert order.to_dict()["ref"] == prefix + "abc"
    again = shop.Order.from_dict(order.to_dict())
    assert again == order and again.to_dict() == order.to_dict()
    bare = shop.Order(number=1, ref="abc")
    assert bare.to_dict()["ref"] == "abc"  # written as given, never changed
    with pytest.raises(shop.DocumentError) as err:
        shop.Order.from_dict(bare.to_dict())
    assert [p.path for p in err.value.problems] == [("ref",)]


def _generate(spec_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    spec = tmp_path / "shop.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--out", str(out), str(spec)]) == 0
    return import_fresh("shop", out / "shop")
