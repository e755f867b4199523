"""Shared fixtures: the project's paths, and generating a spec into a temporary folder."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "aml_entities.yaml"
GENERATED = ROOT / "generated"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "azureml-examples"
LIBRARY_SPEC = ROOT / "tests" / "specs" / "library" / "library.yaml"


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator ARGS`` the way a user would (from any folder)."""
    env = {**(env if env is not None else os.environ), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def generate_into(spec: Path, out: Path) -> None:
    """Generate one spec into ``out`` with the library API."""
    from generator.pipeline import generate_all, write_all

    write_all(out, generate_all([spec], ROOT))


def import_fresh(name: str, folder: Path) -> ModuleType:
    """Import the package ``name`` from ``folder``, forgetting any copy imported before."""
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from the unrelated library spec."""
    out = tmp_path_factory.mktemp("library")
    generate_into(LIBRARY_SPEC, out)
    yield import_fresh("library_entities", out / "library_entities")


def cpu_seconds(action: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time ``action`` took over ``repeat`` runs (the least is the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        action()
        best = min(best, time.process_time() - began)
    return max(best, 1e-6)


def growth(small: Callable[[], object], large: Callable[[], object]) -> float:
    """How many times longer ``large`` takes than ``small``, both measured in the same test: a ratio,
    not a duration, so a busy machine slows both alike (the small one, the more disturbed, is the
    least of more runs; the large one the least of five: a CI run once found 40× where a quiet machine
    finds 13×)."""
    cpu_seconds(small, 1)  # warm caches and imports first
    return cpu_seconds(large, 5) / cpu_seconds(small, 7)


#: The types a document form (``to_dict``) holds: what any serializer takes (no enum members, no objects).
PLAIN_TYPES = (dict, list, str, int, float, bool, type(None))


def impure_values(value: object, path: str = "") -> list[str]:
    """Where ``value`` holds something of another type than :data:`PLAIN_TYPES` (or a date, which
    YAML writes), each as ``path: type``; [] for plain data."""
    import datetime

    if type(value) in (dict, list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        return [found for key, item in items for found in impure_values(item, f"{path}.{key}")]
    if type(value) in PLAIN_TYPES or type(value) in (datetime.date, datetime.datetime):
        return []
    return [f"{path}: {type(value).__qualname__}"]
