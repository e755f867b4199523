"""Every example of the specs runs against the package generated from its spec.

An example is run as a user would paste it: its code executed with the package's public names
(``package.public_names``) in scope, from an empty working folder (an example may write files).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import GENERATED, LIBRARY_SPEC, ROOT

from generator.model import Example, Package
from generator.pipeline import build_package, spec_files
from generator.targets.python.plan import plan


def _examples(spec: Path) -> list[tuple[Package, str, int, Example]]:
    package = build_package(spec, spec.relative_to(ROOT).as_posix())
    return [(package, cls.name, i, ex) for cls in package.classes for i, ex in enumerate(cls.examples, 1)]


SPEC_EXAMPLES = [item for spec in spec_files(ROOT / "spec") for item in _examples(spec)]
LIBRARY_EXAMPLES = _examples(LIBRARY_SPEC)


def _generated(name: str) -> ModuleType:
    """The package checked in under generated/ (installed, or imported from there)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        sys.path.insert(0, str(GENERATED / name))
        return importlib.import_module(name)


def _run(package: Package, module: ModuleType, where: str, example: Example, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    namespace: dict[str, object] = {name: getattr(module, name) for name in plan(package).public_names}
    monkeypatch.chdir(folder)
    exec(compile(example.code, where, "exec"), namespace)


def test_the_specs_have_examples() -> None:
    assert SPEC_EXAMPLES, "spec/*.yaml has no example"
    assert LIBRARY_EXAMPLES


@pytest.mark.parametrize(
    ("package", "owner", "number", "example"),
    SPEC_EXAMPLES,
    ids=[f"{p.name}.{owner}#{n}" for p, owner, n, _ in SPEC_EXAMPLES],
)
def test_spec_example_runs(package: Package, owner: str, number: int, example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(package, _generated(package.name), f"<{package.spec_file}: {owner} example {number}>", example, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("package", "owner", "number", "example"),
    LIBRARY_EXAMPLES,
    ids=[f"{p.name}.{owner}#{n}" for p, owner, n, _ in LIBRARY_EXAMPLES],
)
def test_library_spec_example_runs(
    package: Package, owner: str, number: int, example: Example, library: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(package, library, f"<{package.spec_file}: {owner} example {number}>", example, tmp_path, monkeypatch)


def test_an_example_that_fails_fails_the_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package, owner, _n, example = SPEC_EXAMPLES[0]
    broken = Example(example.title, f"{owner}(no_such_parameter=1)\n")
    with pytest.raises(TypeError):
        _run(package, _generated(package.name), "<broken>", broken, tmp_path, monkeypatch)
