"""Read-only attributes that are never document keys (``in_document: false``): the key is unknown to
the loader, ``to_dict`` never writes the attribute, and neither the JSON Schema nor the pydantic models
have it; on the CommandJob spec (azure-ai-ml refuses ``studio_url`` and ``base_path`` in a document) and
on a spec that keeps unknown keys."""

from __future__ import annotations

import io
import json
from pathlib import Path

import aml_entities
import pytest
from aml_entities import CommandJob, DocumentError
from conftest import ROOT, generate_into, import_fresh

SPEC = """\
idl: 1
package:
  name: shop_outside
  version: "1.0"
  title: {en: Shop}
  description: {en: A shop.}
  unknown_keys: keep
  document: {root: Order, load_function: load_order}
classes:
  Order:
    description: {en: An order.}
    fields:
      number: {type: int, description: {en: Number.}}
      page_url:
        type: Optional[str]
        default: null
        readonly: true
        in_document: false
        description: {en: Its page on the shop's site.}
"""


def test_a_key_outside_documents_is_an_unknown_key_where_it_is() -> None:
    with pytest.raises(DocumentError) as caught:
        aml_entities.load_job(io.StringIO("command: echo\nstudio_url: https://ml.azure.com/x\nbase_path: .\n"))
    assert [(p.line, p.path) for p in caught.value.problems] == [(2, ("studio_url",)), (3, ("base_path",))]
    assert "found an unknown key" in str(caught.value)


def test_the_attribute_is_there_and_never_written() -> None:
    job = CommandJob(command="echo")
    assert job.studio_url is None and job.base_path is None
    job._studio_url = "https://ml.azure.com/runs/1"  # as the service would set it
    assert job.studio_url == "https://ml.azure.com/runs/1"
    assert job.to_dict() == {"command": "echo"}
    assert "studio_url" not in CommandJob.from_dict(job.to_dict()).to_dict()


def test_the_schema_and_the_pydantic_models_have_no_such_property() -> None:
    schema = json.loads((ROOT / "generated" / "aml_entities_schema" / "job.schema.json").read_text(encoding="utf-8"))
    properties = {key for definition in schema["$defs"].values() for key in definition.get("properties", {})}
    assert "status" in properties and not {"studio_url", "base_path"} & properties
    pydantic_models = (ROOT / "generated" / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py").read_text(encoding="utf-8")
    assert "status" in pydantic_models and "studio_url" not in pydantic_models


def test_a_class_that_keeps_unknown_keys_keeps_that_key_as_one(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generate_into(spec, tmp_path / "out")
    shop = import_fresh("shop_outside", tmp_path / "out" / "shop_outside")
    order = shop.Order.from_dict({"page_url": "https://shop/1", "number": 1})
    assert order.page_url is None and order.unknown_keys == {"page_url": "https://shop/1"}
    assert list(order.to_dict().items()) == [("page_url", "https://shop/1"), ("number", 1)]
    page = (tmp_path / "out" / "shop_outside_docs" / "docs" / "en" / "Order.md").read_text(encoding="utf-8")
    assert "Never a document key" in page
