"""The order in which ``to_dict`` and ``dump`` write a mapping's keys: the spec's (the order of each
class's ``_RANKS``), a key its document gave with its default value in its place, and, for a class
that keeps unknown keys, the document's own order (tests/test_idl_formats.py)."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType
from typing import Any

import aml_entities
import pytest
from conftest import GENERATED, ROOT, generate_into, import_fresh

from generator.pipeline import build_package
from generator.targets.docs.examples import document_example, example_class

CLUSTER = ROOT / "tests" / "specs" / "cluster" / "cluster.yaml"
#: A family member whose base's ``_write`` does not write the discriminator: its ``to_dict`` writes it
#: first, before the root's field ``a`` that comes before it in the order of the fields.
FIRST = """\
idl: 1
package:
  name: first_entities
  version: 0.1.0
  title: {en: T}
  description: {en: T.}
  document: {root: Root, load_function: load_root}
  unknown_keys: keep
classes:
  Root:
    description: {en: R.}
    abstract: true
    discriminator: {field: kind}
    fields:
      a: {type: "Optional[str]", default: null, description: {en: A.}}
      kind: {type: "Optional[str]", default: null, readonly: true, description: {en: K.}}
  Mid:
    description: {en: M.}
    abstract: true
    bases: [Root]
    fields:
      b: {type: "Optional[str]", default: null, description: {en: B.}}
  Leaf:
    description: {en: L.}
    bases: [Mid]
    discriminator_value: leaf
    fields:
      c: {type: "Optional[str]", default: null, description: {en: C.}}
  Leaf2:
    description: {en: L.}
    bases: [Root]
    discriminator_value: leaf2
    fields:
      kind: {type: "Optional[str]", default: null, readonly: true, description: {en: K.}}
      c: {type: "Optional[str]", default: null, description: {en: C.}}
"""
WORKFLOWS = ROOT / "spec" / "github_workflow.yaml"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    out = tmp_path_factory.mktemp("key-order")
    generate_into(CLUSTER, out)
    return {
        "aml": aml_entities,
        "workflows": import_fresh("github_workflow", GENERATED / "github_workflow"),
        "cluster": import_fresh("cluster_entities", out / "cluster_entities"),
    }


def test_a_key_given_with_its_default_value_is_written_back_after_the_others_where_no_order_is_kept() -> None:
    """``type: uri_folder`` is an input's default: written back, after the input's other keys (in its
    place, every ``to_dict`` would pay a test per field; a class that keeps unknown keys puts it there)."""
    text = "type: command\ncommand: x\ninputs:\n  data:\n    type: uri_folder\n    path: ./data\n    mode: ro_mount\n"
    job = aml_entities.load_job(io.StringIO(text))
    assert list(job.to_dict()["inputs"]["data"].items()) == [("path", "./data"), ("mode", "ro_mount"), ("type", "uri_folder")]


def test_a_key_given_with_its_default_value_is_written_back_in_its_place_by_a_class_that_keeps_unknown_keys(
    packages: dict[str, ModuleType],
) -> None:
    cluster = packages["cluster"]
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n  namespace: null\n  labels:\n    a: b\n"
    config = cluster.load_resource(io.StringIO(text))
    assert list(config.to_dict()["metadata"]) == ["name", "namespace", "labels"]
    stream = io.StringIO()
    cluster.dump_resource(config, stream)
    assert stream.getvalue() == text


def test_a_class_that_forbids_unknown_keys_writes_the_specs_order_whatever_the_documents() -> None:
    job = aml_entities.load_job(io.StringIO("command: x\ntype: command\nlimits: {timeout: 60}\nname: n\n"))
    assert list(job.to_dict()) == ["name", "type", "command", "limits"]


@pytest.mark.parametrize(("spec", "name"), [(WORKFLOWS, "workflows"), (CLUSTER, "cluster")])
def test_to_dict_writes_the_keys_of_every_class_in_the_order_of_its_ranks(
    spec: Path, name: str, packages: dict[str, ModuleType]
) -> None:
    """The ranks of a class that keeps unknown keys are planned apart from the code that writes its
    keys: were they another order than ``to_dict``'s, a document in theirs would not be remembered,
    and be written back in ``to_dict``'s."""
    models = packages[name].models
    checked = 0
    for cls in build_package(spec).classes:
        example, shown = document_example(cls), example_class(cls)
        if example is None or shown is None or shown.name != cls.name or cls.unknown_keys != "keep":
            continue
        ranks = getattr(models, f"_{cls.snake.upper()}_RANKS")
        # in the ranks' order: a class that keeps unknown keys would keep another (its examples
        # give the discriminator first)
        example = dict(sorted(example.items(), key=lambda item: ranks.get(item[0], len(ranks))))
        try:
            loaded = getattr(models, cls.name).from_dict(example)
        except packages[name].DocumentError:
            continue  # an example that gives keys which exclude each other (it shows them all)
        written = list(loaded.to_dict())
        assert set(written) <= set(ranks), cls.name
        assert written == sorted(written, key=ranks.__getitem__), cls.name
        checked += 1
    assert checked >= {"workflows": 10, "cluster": 3}[name], checked


def test_a_class_that_writes_its_discriminator_first_lists_its_ranks(tmp_path: Path) -> None:
    (tmp_path / "first.yaml").write_text(FIRST, encoding="utf-8")
    generate_into(tmp_path / "first.yaml", tmp_path / "out")
    first = import_fresh("first_entities", tmp_path / "out" / "first_entities")
    assert first.models._LEAF_RANKS == {"kind": 0, "a": 1, "b": 2, "c": 3}  # listed: not the fields' order
    assert first._runtime.ranks(first.Leaf2._FIELDS) == first.models._LEAF2_RANKS
    leaf = first.load_root(io.StringIO("kind: leaf\na: x\nb: null\nc: y\n"))  # b: null, its default
    assert list(leaf.to_dict()) == ["kind", "a", "b", "c"]
    # in the order of the fields, not to_dict's: remembered (with the fields' order, it was not)
    assert list(first.load_root(io.StringIO("a: x\nkind: leaf\nc: y\n")).to_dict()) == ["a", "kind", "c"]


def test_key_order_document_writes_a_class_that_forbids_unknown_keys_in_its_documents_order(tmp_path: Path) -> None:
    spec = FIRST.replace("first_entities", "ordered_entities").replace("  unknown_keys: keep\n", "  key_order: document\n")
    spec = spec.replace("    bases: [Root]\n    discriminator_value: leaf2\n", "    bases: [Root]\n    discriminator_value: leaf2\n    key_order: spec\n")
    (tmp_path / "ordered.yaml").write_text(spec, encoding="utf-8")
    generate_into(tmp_path / "ordered.yaml", tmp_path / "out")
    ordered = import_fresh("ordered_entities", tmp_path / "out" / "ordered_entities")

    def load(text: str) -> Any:
        return ordered.load_root(io.StringIO(text))

    leaf = load("c: y\nb: null\na: x\nkind: leaf\n")
    assert list(leaf.to_dict()) == ["c", "b", "a", "kind"]  # b: null, its default, in its place
    stream = io.StringIO()
    ordered.dump_root(leaf, stream)
    assert stream.getvalue() == "c: y\nb: null\na: x\nkind: leaf\n"
    assert leaf.unknown_keys == {} and leaf == load("kind: leaf\na: x\nc: y\nb: null\n")
    with pytest.raises(ordered.DocumentError, match="expected a known key"):
        load("c: y\nkind: leaf\nz: 1\n")  # it still forbids unknown keys
    assert list(load("c: y\nkind: leaf2\na: x\n").to_dict()) == ["a", "kind", "c"]  # key_order: spec
    page = (tmp_path / "out" / "ordered_entities_docs" / "docs" / "en" / "Leaf.md").read_text(encoding="utf-8")
    assert "**Key order:** `document`. `to_dict()` writes the keys of a mapping loaded from a document" in page
    assert "Key order" not in (tmp_path / "out" / "ordered_entities_docs" / "docs" / "en" / "Leaf2.md").read_text(encoding="utf-8")
