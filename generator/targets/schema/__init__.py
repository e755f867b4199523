"""Target ``schema``: the JSON Schema of the document.

``render_schema`` writes ``<pkg>_schema/<root>.schema.json`` (draft 2020-12), which an editor uses
for completion and validation (``# yaml-language-server: $schema=...``). It says what the
generated loader accepts, no more and no less:

- a class is an object of its document keys (``additionalProperties: false``; ``true`` for a class
  that keeps unknown keys, and nothing said for one that ignores them) with the keys of its fields
  without a default ``required``; a date (and time) is a ``string`` of ``format: date`` (``date-time``); scalars are strict (``integer`` is not ``boolean``) and an
  ``Optional`` type also takes ``null``; a ``prefix`` becomes an anchored ``pattern``;
- a field's constraints are JSON Schema's keywords (``minimum``, ``exclusiveMaximum``, ``multipleOf``,
  ``minLength``, ``pattern``, ``minItems``, ``uniqueItems``...) on the subschema of the values they apply
  to (in a union, on its options of that kind); a pattern's ``$`` is written ``(?![\\s\\S])``, the end
  of the text to Python's ``re`` as to ECMA-262; a deprecated class or field says ``deprecated: true``;
- a closed enum is an ``enum``; an open enum is any string, its members given as ``examples``;
- a class whose discriminator is fixed takes that value only (``const``), or no key;
- a polymorphic family is a ``oneOf`` of its concrete classes in which one class at most takes a
  document: a class reached through the family needs the key unless its value is the family's
  default; a concrete root (the fallback, for a missing or unknown value) takes no value of a
  subclass (a ``pattern``), nor a missing key when there is a default. Without a default or a
  concrete root the ``oneOf`` also has an OpenAPI-style ``discriminator``, which
  datamodel-code-generator turns into a pydantic discriminated union.

One thing a schema cannot say: JSON has one number type, so ``integer`` takes ``7.0`` where the
loader wants a YAML ``!!int``. A validator of YAML data maps ``integer`` to Python ``int`` with
its type checker (the tests do); pydantic's ``StrictInt`` already does.

The schema is computed from the codecs, the loader's own plan (``SchemaBuilder``, in
:mod:`.builder`, from the regular expressions of :mod:`.patterns` and the parts of
:mod:`.fragments`); the template ``templates/schema/schema.json.j2`` only lays it out.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from ...model import Package
from ...outputs import OutputFile
from ...spec.names import snake
from .builder import DIALECT, SchemaBuilder, SchemaView, comment
from .fragments import KEYWORDS, constrained, exclusive_schema, nullable
from .patterns import other_than, other_than_spellings, regex_any_case, regex_literal, spelled

__all__ = [
    "DIALECT", "KEYWORDS", "SchemaBuilder", "SchemaView", "comment", "constrained", "exclusive_schema", "nullable",
    "other_than", "other_than_spellings", "regex_any_case", "regex_literal", "render_schema", "schema_path",
    "schema_view", "spelled", "to_json",
]  # fmt: skip


def schema_path(package: Package) -> str:
    """Where the schema of a package's document is written, under the output folder."""
    return f"{package.name}_schema/{snake(package.root.name)}.schema.json"


def to_json(value: Any, indent: int = 0) -> str:
    """``value`` as JSON (2-space indented), its continuation lines indented by ``indent`` spaces."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * indent)


def schema_view(package: Package) -> SchemaView:
    """The view-model of a package's document schema."""
    return SchemaBuilder(package).view()


def render_schema(package: Package, env: jinja2.Environment) -> list[OutputFile]:
    """The JSON Schema of the package's document."""
    text = env.get_template("schema/schema.json.j2").render(view=schema_view(package), json=to_json)
    return [OutputFile(schema_path(package), text, False)]


