"""A field that reaches a class through several bases is read and written once, as the class declares it
(``tests/specs/inheritance``): a field a subclass declares again with a default of its own is optional in its
documents, as its JSON Schema says, and a diamond (two bases sharing a base with fields) reads the shared
fields once. Before, the loader read such a field once per base that declared it: a default declared again
was still required, and each bad value was reported once per path to it."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, generate_into, import_fresh

SPEC = ROOT / "tests" / "specs" / "inheritance" / "inheritance.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inheritance")
    generate_into(SPEC, folder)
    return folder


@pytest.fixture(scope="module")
def pkg(out: Path) -> ModuleType:
    return import_fresh("inheritance_entities", out / "inheritance_entities")


def problems(pkg: ModuleType, data: dict[str, object]) -> list[str]:
    with pytest.raises(pkg.DocumentError) as err:
        pkg.Manifest.from_dict(data)
    return [f"{p.location}: {p.found}" for p in err.value.problems]


def test_a_default_declared_again_makes_the_key_optional(pkg: ModuleType, out: Path) -> None:
    deployment = pkg.Manifest.from_dict({"kind": "Deployment", "name": "web"})
    assert deployment.api_version == "apps/v1"
    assert deployment.to_dict() == {"kind": "Deployment", "name": "web"}
    schema = json.loads(next((out / "inheritance_entities_schema").glob("*.json")).read_text(encoding="utf-8"))
    required = schema["$defs"]["Deployment"].get("required", [])
    assert "api_version" not in required and "name" in required  # the loader now agrees with the schema
    # the base's declaration still holds where nothing declares it again
    assert problems(pkg, {"kind": "Holder", "name": "h"}) == ["api_version: no such key"]


def test_a_bad_value_of_a_field_declared_again_is_reported_once(pkg: ModuleType) -> None:
    assert problems(pkg, {"kind": "Deployment", "name": "web", "api_version": 5}) == ["api_version: the integer 5"]


def test_a_diamond_reads_the_shared_fields_once(pkg: ModuleType) -> None:
    box = {"title": 7, "size": 2, "colour": "red"}
    assert problems(pkg, {"kind": "Holder", "api_version": "v1", "name": "h", "box": box}) == [
        "box.title: the integer 7"
    ]
    holder = pkg.Manifest.from_dict({"kind": "Holder", "api_version": "v1", "name": "h", "box": {**box, "title": "t"}})
    assert holder.box.label == "plain"  # Box's own default, not Named's None
    assert holder.to_dict()["box"] == {"title": "t", "size": 2, "colour": "red"}
    assert [f.name for f in pkg.Box.__dataclass_fields__.values()][:4] == ["title", "label", "note", "owner"]


def test_the_diamond_writes_each_field_once_in_the_order_of_its_fields(pkg: ModuleType) -> None:
    box = pkg.Box(title="t", label="x", note="n", owner="o", size=3, colour="blue")
    assert list(box.to_dict()) == ["title", "label", "note", "owner", "size", "colour"]
    assert pkg.Box.from_dict(box.to_dict()) == box


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "Canary", "api_version": "v1", "name": "c", "release": "r2"},
        {"kind": "Canary", "name": "c", "replicas": 2, "release": "r2"},
        {"kind": "CronJob", "api_version": "batch/v1", "name": "j", "retries": 1, "schedule": "@daily"},
        {"kind": "Job", "api_version": "batch/v1", "name": "j"},
    ],
)
def test_three_levels_of_a_family_write_each_class_its_own_discriminator(pkg: ModuleType, data: dict[str, object]) -> None:
    # a concrete member with subclasses made the generator fail (its _write held the discriminator)
    obj = pkg.Manifest.from_dict(data)
    assert type(obj).__name__ == data["kind"]
    assert obj.to_dict() == data and next(iter(obj.to_dict())) == "kind"
    assert pkg.Manifest.from_dict(obj.to_dict()) == obj
