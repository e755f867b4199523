"""The loader, the JSON Schema and the pydantic models must give every document the same verdict.

Over the corpus of real job files, and over documents hypothesis builds from the model (valid
ones, and the same mutated in one to three places); for the unrelated library spec too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aml_entities
import pytest
import yaml
from conftest import CORPUS, GENERATED, LIBRARY_SPEC, ROOT, SPEC, generate_into, import_fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judges import Documents, Judges, mutate, neighbours

from generator.pipeline import build_package

#: The one corpus file the loader rejects: its environment string lacks the ``azureml:`` prefix.
REJECTED = {"jobs__nebulaml__cifar10_deepspeed__job.yml"}
SHAPES_SPEC = ROOT / "tests" / "specs" / "shapes" / "shapes.yaml"
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def aml() -> Judges:
    package = build_package(SPEC)
    models = import_fresh("aml_entities_pydantic", GENERATED / "aml_entities_pydantic")
    return Judges.load(package, GENERATED, aml_entities, models)


def judges_of(spec: Path, out: Path) -> Judges:
    """The three judges of a spec generated into ``out``."""
    generate_into(spec, out)
    package = build_package(spec)
    entities = import_fresh(package.name, out / package.name)
    models = import_fresh(f"{package.name}_pydantic", out / f"{package.name}_pydantic")
    return Judges.load(package, out, entities, models)


@pytest.fixture(scope="module")
def library_judges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Judges]:
    yield judges_of(LIBRARY_SPEC, tmp_path_factory.mktemp("library-judges"))


@pytest.fixture(scope="module")
def shapes_judges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Judges]:
    yield judges_of(SHAPES_SPEC, tmp_path_factory.mktemp("shapes-judges"))


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.yml"))


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # the loader's own parser


def test_the_corpus_is_there() -> None:
    assert len(corpus_files()) == 39


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_file_gets_one_verdict(aml: Judges, path: Path) -> None:
    accepted = aml.assert_agree(read(path))
    assert accepted == (path.name not in REJECTED)
    try:  # the loader reading the file itself agrees with the loader reading its data
        aml_entities.load_job(path)
    except aml_entities.DocumentError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_single_change_to_a_corpus_file_gets_one_verdict(aml: Judges, path: Path) -> None:
    doc = read(path)
    changes = neighbours(aml.package, doc)
    assert len(changes) > 20
    check_neighbours(aml, doc)


def test_the_rejected_corpus_file_is_rejected_for_its_environment(aml: Judges) -> None:
    (name,) = REJECTED
    doc = read(CORPUS / name)
    verdicts = aml.verdicts(doc)
    assert all(v is not None and "environment" in v for v in verdicts.values()), verdicts
    doc["environment"] = "azureml:" + doc["environment"]
    assert aml.assert_agree(doc)


@EXAMPLES
@given(data=st.data())
def test_valid_documents_are_accepted_by_all_three(aml: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(aml.package).document())
    assert aml.assert_agree(doc), doc


@EXAMPLES
@given(data=st.data())
def test_mutated_documents_get_one_verdict(aml: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(aml.package).document())
    aml.assert_agree(mutate(data.draw, aml.package, doc))


@settings(EXAMPLES, max_examples=60)
@given(data=st.data())
def test_library_documents_get_one_verdict(library_judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(library_judges.package).document())
    assert library_judges.assert_agree(doc), doc
    library_judges.assert_agree(mutate(data.draw, library_judges.package, doc))


@settings(EXAMPLES, max_examples=60)
@given(data=st.data())
def test_shapes_documents_get_one_verdict(shapes_judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(shapes_judges.package).document())
    assert shapes_judges.assert_agree(doc), doc
    shapes_judges.assert_agree(mutate(data.draw, shapes_judges.package, doc))


def check_neighbours(judges: Judges, doc: Any) -> None:
    for what, changed in neighbours(judges.package, doc):
        try:
            judges.assert_agree(changed)
        except AssertionError as exc:
            raise AssertionError(f"{what}:\n{exc}") from None


@settings(EXAMPLES, max_examples=10)
@given(data=st.data())
def test_every_single_change_to_library_documents_gets_one_verdict(library_judges: Judges, data: st.DataObject) -> None:
    check_neighbours(library_judges, data.draw(Documents(library_judges.package).document()))


@settings(EXAMPLES, max_examples=10)
@given(data=st.data())
def test_every_single_change_to_shapes_documents_gets_one_verdict(shapes_judges: Judges, data: st.DataObject) -> None:
    check_neighbours(shapes_judges, data.draw(Documents(shapes_judges.package).document()))


SHAPES_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("a shape without kind is the default circle", {"note": None, "shapes": [{"radius": 1}]}, True),
    ("so it needs a radius", {"note": None, "shapes": [{"side": 1}]}, False),
    ("a square needs its kind", {"note": None, "shapes": [{"kind": "square", "side": 2}]}, True),
    ("the square used directly needs no kind", {"note": None, "favourite": {"side": 2}}, True),
    ("but takes no other", {"note": None, "favourite": {"kind": "circle"}}, False),
    ("a node without kind is the default leaf", {"note": None, "nodes": {"n": {"weight": 1, "colour": "red"}}}, True),
    ("so it needs a colour, though the root would take it", {"note": None, "nodes": {"n": {"name": "x"}}}, False),
    ("so it has no children", {"note": None, "nodes": {"n": {"children": []}}}, False),
    ("an unknown kind is a plain node", {"note": None, "nodes": {"n": {"kind": "twig", "name": "t"}}}, True),
    ("a plain node has no weight", {"note": None, "nodes": {"n": {"kind": "twig", "weight": 1}}}, False),
    ("a branch nests nodes", {"note": None, "nodes": {"n": {"kind": "branch", "depth": 1, "children": [{"colour": "red"}]}}}, True),
    ("a branch needs its depth, though the root would take its kind", {"note": None, "nodes": {"n": {"kind": "branch"}}}, False),
    ("a kind ending in a newline is an unknown kind", {"note": None, "nodes": {"n": {"kind": "branch\n"}}}, True),
    ("the required Optional field may be null", {"note": None}, True),
    ("but not missing", {}, False),
    ("a non-Optional default is not null", {"note": None, "count": None}, False),
    ("nor is a defaulted enum", {"note": None, "mode": None}, False),
    ("a prefix is literal", {"note": None, "link": "a.b+(x"}, True),
    ("not a pattern", {"note": None, "link": "axb+(x"}, False),
]


@pytest.mark.parametrize(("name", "doc", "accepted"), SHAPES_CASES, ids=[c[0] for c in SHAPES_CASES])
def test_shapes_cases(shapes_judges: Judges, name: str, doc: dict[str, Any], accepted: bool) -> None:
    assert shapes_judges.assert_agree(doc) == accepted, name


# Cases found while building the schema: each once a disagreement between two judges.
CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("type null is not the default", {"command": "x", "type": None}, False),
    ("another job type", {"command": "x", "type": "sweep"}, False),
    ("no type is a command job", {"command": "x"}, True),
    ("a float is not an int", {"command": "x", "limits": {"timeout": 7200.0}}, False),
    ("a digit string is not an int", {"command": "x", "limits": {"timeout": "7200"}}, False),
    ("a bool is not an int", {"command": "x", "limits": {"timeout": True}}, False),
    ("the long form of a literal input", {"command": "x", "inputs": {"a": {"value": 1}}}, True),
    ("the long form of a literal input has no other key", {"command": "x", "inputs": {"a": {"value": 1, "type": "integer"}}}, False),
    ("identity needs its type", {"command": "x", "identity": {"client_id": "c"}}, False),
    ("identity type null", {"command": "x", "identity": {"type": None}}, False),
    ("an ssh service without type is a plain service", {"command": "x", "services": {"s": {"ssh_public_keys": "k"}}}, False),
    ("an unknown service type is a plain service", {"command": "x", "services": {"s": {"type": "rdp", "port": 3}}}, True),
    ("a null service type is a plain service", {"command": "x", "services": {"s": {"type": None}}}, True),
    ("a service type that is no string", {"command": "x", "services": {"s": {"type": 3}}}, False),
    ("a known service type loads as its class", {"command": "x", "services": {"s": {"type": "ssh", "ssh_public_keys": "k"}}}, True),
    ("not another class's keys", {"command": "x", "services": {"s": {"type": "vs_code", "ssh_public_keys": "k"}}}, False),
    ("an output may be null", {"command": "x", "outputs": {"o": None}}, True),
    ("an input may not be null", {"command": "x", "inputs": {"i": None}}, False),
    ("a dict key is a string", {"command": "x", "tags": {1: "a"}}, False),
    ("a dict key is a string, even for Any", {"command": "x", "parameters": {1: "a"}}, False),
    ("bytes are no string", {"command": "x", "name": b"n"}, False),
    ("a date is no string", {"command": "x", "name": __import__("datetime").date(2024, 1, 1)}, False),
    ("Any takes a date", {"command": "x", "parameters": {"d": __import__("datetime").date(2024, 1, 1)}}, True),
    ("open enum takes any string", {"command": "x", "status": "Hibernating"}, True),
    ("closed enum does not", {"command": "x", "outputs": {"o": {"mode": "teleport"}}}, False),
    ("read-only keys are accepted", {"command": "x", "id": "i", "creation_context": {"created_by": "me"}}, True),
    ("the document is a mapping", ["command"], False),  # type: ignore[list-item]
    ("a tuple is no list", {"command": "x", "resources": {"locations": ("westus",)}}, False),
    ("a mapping is a dict", {"command": "x", "tags": __import__("types").MappingProxyType({"a": "b"})}, False),
]


@pytest.mark.parametrize(("name", "doc", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_known_cases(aml: Judges, name: str, doc: dict[str, Any], accepted: bool) -> None:
    assert aml.assert_agree(doc) == accepted, name
