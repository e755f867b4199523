"""Keeps the benchmark's spec converter from rotting (the benchmarks themselves are not tests: bench/README).

A 10-entity synthetic spec (../shared/bench/synth_schema.py) is converted to our IDL, generated, imported,
and loads a document that follows references through the spec's cycles.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import yaml

from bench import synth_to_idl
from generator.pipeline import generate_all, write_all


@pytest.fixture
def synth10(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    if not synth_to_idl.SYNTH_SCHEMA.is_file():
        pytest.skip(f"no {synth_to_idl.SYNTH_SCHEMA}")
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path / "cache"))
    return synth_to_idl.make_spec(10, tmp_path / "synth")


def test_converted_spec_generates_imports_and_loads_a_document(synth10: dict[str, Path], tmp_path: Path) -> None:
    spec = yaml.safe_load(synth10["spec"].read_text(encoding="utf-8"))
    assert len(spec["classes"]) == 11  # C0000..C0009 and the document root
    assert spec["classes"]["C0002"]["bases"] == ["C0000", "C0009"]
    assert spec["classes"]["C0000"]["fields"]["type"] == {
        "type": "Optional[str]",
        "default": None,
        "readonly": True,
        "description": synth_to_idl.text("Name of the concrete class (discriminator)."),
    }
    out = tmp_path / "out"
    write_all(out, generate_all([synth10["spec"]], synth10["spec"].parent.parent))
    assert (out / "synth_10" / "synth_10" / "models.py").is_file()
    assert (out / "synth_10_docs").is_dir()

    neutral = yaml.safe_load(synth10["neutral"].read_text(encoding="utf-8"))
    document = synth_to_idl.make_document(neutral, depth=3)
    doc_path = tmp_path / "document.yaml"
    doc_path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    sys.path.insert(0, str(out / "synth_10"))
    try:
        package = importlib.import_module("synth_10")
        loaded = package.load_document(doc_path)
        assert [type(item).__name__ for item in loaded.items] == ["C0001", "C0002"]
        assert package.load_document(doc_path).to_dict() == loaded.to_dict()
    finally:
        sys.path.remove(str(out / "synth_10"))
        for name in [m for m in sys.modules if m == "synth_10" or m.startswith("synth_10.")]:
            del sys.modules[name]


def test_bench_codec_times_calls_that_give_the_job_back() -> None:
    """bench/bench_codec.py times each library's from_dict and to_dict of the benchmark's job (each
    checked, when the cases are made, to give the job's document back)."""
    from bench import bench_codec

    cases = bench_codec.cases(None)
    assert sorted(cases) == [
        "from_dict/ours",
        "from_dict/pydantic v2",
        "to_dict/ours",
        "to_dict/pydantic v2",
    ]
    assert cases["from_dict/ours"]().to_dict() == cases["to_dict/ours"]()  # type: ignore[attr-defined]
