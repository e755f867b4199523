"""The pydantic models are made in a second process beside the other targets (generator/pipeline.py):
the same models as made in this process, and the process is stopped at the end of every run, used
or not (its models cached, or the spec bad)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from conftest import LIBRARY_SPEC

from generator.errors import SpecError
from generator.outputs import OutputFile
from generator.pipeline import generate_files
from generator.targets import TARGET_NAMES


def models(files: list[OutputFile]) -> str:
    return next(f.text for f in files if f.path.endswith("_pydantic/models.py"))


def test_models_made_beside_the_other_targets_are_those_made_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path / "cache"))
    beside = generate_files(LIBRARY_SPEC, "library.yaml", only=TARGET_NAMES)
    assert not multiprocessing.active_children()
    alone = generate_files(LIBRARY_SPEC, "library.yaml", use_cache=False, only=("pydantic",))
    assert models(beside.files) == models(alone.files)


def test_the_second_process_stops_when_unused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path / "cache"))
    spec = tmp_path / "library.yaml"
    text = LIBRARY_SPEC.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    first = generate_files(spec, "library.yaml")
    spec.write_text(text + "\n# the spec changes, its schema does not: the models come from the cache\n", encoding="utf-8")
    again = generate_files(spec, "library.yaml")
    assert not multiprocessing.active_children()
    assert models(again.files) == models(first.files)
    spec.write_text(text.replace("package:", "package: [", 1), encoding="utf-8")
    with pytest.raises(SpecError):
        generate_files(spec, "library.yaml")
    assert not multiprocessing.active_children()
