"""Hand-written code beside generated code (issue 16): a class of the spec derives from a mixin of the user's own
module (``extends: [module:Class]``) and has methods whose body calls a function of theirs (``implements:
module:function``). The generated package imports those modules explicitly, mypy checks the calls, and the docs
show the methods like any other."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, generate_into, import_fresh

HOOKS = ROOT / "tests" / "specs" / "hooks"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hooks")
    generate_into(HOOKS / "hooks.yaml", folder)
    return folder


@pytest.fixture(scope="module")
def shop(out: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(HOOKS))  # the user's own module, where their repository keeps it
    try:
        yield import_fresh("hooked_shop", out / "hooked_shop")
    finally:
        sys.path.remove(str(HOOKS))


def test_a_method_calls_the_users_function_with_the_object_and_its_arguments(shop: ModuleType) -> None:
    order = shop.Order(number=7, lines=[shop.Line(price=2.5, count=2), shop.Line(price=1.0)])
    assert order.total() == 6.0
    assert order.total(discount=0.5) == 3.0
    log: list[str] = []
    assert order.log(log, suffix="!") is None
    assert log == ["order 7!"]


def test_a_class_derives_from_the_users_mixin_after_its_bases(shop: ModuleType) -> None:
    order = shop.Order(number=1)
    assert order.label() == "in EUR"
    assert [c.__name__ for c in shop.Order.__mro__[1:3]] == ["Record", "Priced"]
    assert shop.Order.from_dict({"number": 1}) == order  # loading and dumping are the generated ones
    assert order.to_dict() == {"number": 1}


def test_the_hooks_are_explicit_imports_that_mypy_checks(out: Path) -> None:
    models = (out / "hooked_shop" / "hooked_shop" / "models.py").read_text(encoding="utf-8")
    assert "import shop_hooks  #" in models and "import shop_hooks.mixins  #" in models
    assert "return shop_hooks.total(self, discount=discount)" in models
    env = {"MYPYPATH": str(HOOKS), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "hooked_shop"],
        cwd=out / "hooked_shop", capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_reports_a_hook_whose_function_does_not_fit(out: Path, tmp_path: Path) -> None:
    """The call is checked: a function of the user's whose parameters do not match the spec's is an error."""
    wrong = tmp_path / "shop_hooks"
    wrong.mkdir()
    (wrong / "__init__.py").write_text(
        (HOOKS / "shop_hooks" / "__init__.py").read_text(encoding="utf-8").replace("discount: float", "rebate: float"),
        encoding="utf-8",
    )
    (wrong / "mixins.py").write_text((HOOKS / "shop_hooks" / "mixins.py").read_text(encoding="utf-8"), encoding="utf-8")
    (wrong / "py.typed").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "hooked_shop"],
        cwd=out / "hooked_shop", capture_output=True, text=True, env={"MYPYPATH": str(tmp_path), "PATH": ""}, check=False,
    )
    assert result.returncode == 1 and 'Unexpected keyword argument "discount"' in result.stdout, result.stdout


def test_the_docs_show_the_hooked_methods(out: Path) -> None:
    page = (out / "hooked_shop_docs" / "docs" / "en" / "Order.md").read_text(encoding="utf-8")
    assert "### `total`" in page and "The total of its lines." in page and "A discount, between 0 and 1." in page
