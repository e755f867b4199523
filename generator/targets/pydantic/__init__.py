"""Target ``pydantic``: pydantic v2 models of the document, made from its JSON Schema.

``render_pydantic`` hands the schema of :mod:`generator.targets.schema` to
datamodel-code-generator (pinned; as a library, with fixed options and no timestamp) and writes
``<pkg>_pydantic/``, an importable package of pydantic v2 models whose top-level model is the
document root's. It reads a nullable ``$ref``, array or mapping as OpenAPI's ``nullable`` rather
than an ``anyOf`` with ``null`` (:func:`pydantic_input`): the same models, made in two thirds of
the time. The models derive from a strict base class (a list is no tuple, a mapping a dict) and
their scalars are strict types, so the three readers of a document (the loader, the schema,
pydantic) agree on every one: tests/test_three_judges.py checks it. Constraints come through the
schema (``conint(ge=...)``, ``constr(pattern=...)``, ``Field(min_length=...)``); ``uniqueItems``, which
pydantic has no constraint for, becomes a validator of the raw input that datamodel-code-generator
writes, and a union's list option with a size becomes a model of its own (:func:`sized_lists_as_models`).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import re
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

from ... import cache
from ...model import ClassModel, Package
from ...outputs import OutputFile, header
from .. import ignore_file
from ..schema import SchemaBuilder, render_schema


def pydantic_source(schema_text: str, file_header: str, base_class: str, *, use_cache: bool = True) -> str:
    """Pydantic v2 models of a JSON Schema, by datamodel-code-generator with pinned options.

    The models derive from ``base_class`` (a dotted path). The output is unformatted (black formats
    it in the pipeline) and has no timestamp: the same schema always gives the same text, so with
    ``use_cache`` a schema text seen before (a spec changed in its docs or code only) is not given
    to datamodel-code-generator again: its models come from the cache, sealed with their hash.
    """
    if use_cache and (hit := cached_source(schema_text, file_header, base_class)) is not None:
        return hit
    source = _datamodel_code_generator(schema_text, file_header, base_class)
    if use_cache:
        cache.store_text(*_entry(schema_text, file_header, base_class), source)
    return source


@functools.cache
def _made_by() -> str:
    """What besides its arguments decides the models: datamodel-code-generator's version, and the
    options, which are this module's (its text)."""
    return f"{metadata.version('datamodel-code-generator')}\0{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"


def _entry(schema_text: str, file_header: str, base_class: str) -> tuple[Path, str]:
    """The cache folder and key of the models of these arguments."""
    key = hashlib.sha256(f"{_made_by()}\0{file_header}\0{base_class}\0{schema_text}".encode()).hexdigest()
    return cache.cache_dir() / "pydantic-sealed", key


def cached_source(schema_text: str, file_header: str, base_class: str) -> str | None:
    """The models of these arguments made before, from the cache (None if they are not there whole)."""
    return cache.load_text(*_entry(schema_text, file_header, base_class))


#: A small schema of the shapes the target's schemas have (a reference, a date, a pattern, an enumeration,
#: a set): what :func:`warm_up` gives datamodel-code-generator.
_WARM_UP_SCHEMA = {
    "title": "WarmUp",
    "type": "object",
    "properties": {"a": {"$ref": "#/$defs/A"}, "n": {"type": ["string", "null"], "format": "date"}},
    "$defs": {
        "A": {
            "type": "object",
            "properties": {
                "x": {"type": "string", "pattern": "^a", "description": "d"},
                "k": {"enum": ["a", "b"]},
                "l": {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
            },
            "additionalProperties": False,
            "required": ["x"],
        }
    },
}


def warm_up() -> None:
    """Load datamodel-code-generator and run it once on a small schema, with the target's options: the
    first run of a process pays a second of imports and set-up that a process started early (see
    ``pipeline._second_process``) pays while the spec loads. A failure here only costs time."""
    with contextlib.suppress(Exception):
        _datamodel_code_generator(json.dumps(_WARM_UP_SCHEMA), "#", "warm_up._base.StrictBaseModel")


def _datamodel_code_generator(schema_text: str, file_header: str, base_class: str) -> str:
    from datamodel_code_generator import LiteralType, TargetPydanticVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, SchemaValidatorType, StrictTypes
    from datamodel_code_generator.format import PythonVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = generate(
            schema_text,
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            target_pydantic_version=TargetPydanticVersion.V2_11,  # the floor of the package's dependency
            custom_file_header=file_header,
            base_class=base_class,
            disable_timestamp=True,
            formatters=[],
            # the loader's scalars are strict: no "7" for an int, no 1 for a bool; an int is a float
            strict_types=[StrictTypes.str, StrictTypes.int, StrictTypes.bool, StrictTypes.float],
            enum_field_as_literal=LiteralType.All,
            strict_nullable=True,
            use_schema_description=True,
            use_standard_collections=True,
            use_union_operator=True,
            skip_root_model=True,
            use_double_quotes=True,
            # checks pydantic has no constraint for (uniqueItems), as validators of the raw input
            schema_validator_type=SchemaValidatorType.PydanticV2,
        )
    if not isinstance(out, str):
        raise TypeError(f"datamodel-code-generator returned {type(out).__name__}, expected one module")
    return out


#: A ``null`` branch of an ``anyOf``, the way ``nullable`` writes it.
_NULL = {"type": "null"}

#: The keywords whose value is a schema, a list of schemas, or a mapping of names to schemas.
_SUBSCHEMA = frozenset({"items", "additionalProperties", "propertyNames", "not"})
_SUBSCHEMAS = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})
_NAMED_SUBSCHEMAS = frozenset({"$defs", "properties", "patternProperties"})
#: The types of the base module that read a date (and time) as the loader does, by JSON Schema format.
_DATES = {"date-time": "IsoDateTime", "date": "IsoDate"}


def pydantic_input(schema: Any, base: str = "") -> Any:
    """The schema as datamodel-code-generator reads it: ``{"anyOf": [S, {"type": "null"}], ...}`` with ``S`` a
    ``$ref``, an array or a mapping becomes ``S`` with its siblings and OpenAPI's ``nullable: true``; a date
    (and time) gets the type of ``base`` (the models' base module) that reads an ISO 8601 string, as the
    loader does (``customTypePath``).

    Both give the same models (``X | None``; tests/test_schema.py checks that the text is the same), but
    datamodel-code-generator parses each ``$ref`` member of an ``anyOf`` as a would-be model of its own
    and then drops it: on a large schema, a third of its time. The published schema keeps the ``anyOf``
    (``nullable`` is no JSON Schema keyword).
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SUBSCHEMA:
            out[key] = pydantic_input(value, base)
        elif key in _SUBSCHEMAS and isinstance(value, list):
            out[key] = [pydantic_input(item, base) for item in value]
        elif key in _NAMED_SUBSCHEMAS and isinstance(value, dict):
            out[key] = {name: pydantic_input(item, base) for name, item in value.items()}
        else:
            out[key] = value  # data (const, default, enum, examples, a discriminator's mapping) or a scalar keyword
    if base and out.get("type") == "string" and out.get("format") in _DATES:
        out["customTypePath"] = f"{base}.{_DATES[out['format']]}"
    match out.get("anyOf"):
        case [dict() as first, second] if second == _NULL and ("$ref" in first or first.get("type") in ("array", "object")):
            siblings = {key: value for key, value in out.items() if key != "anyOf"}
            keys = {*siblings, *first}
            if len(keys) == len(siblings) + len(first) and not keys & {"nullable", "anyOf", "oneOf", "allOf"}:
                return {**first, **siblings, "nullable": True}
    return out


#: The constraints of an array that datamodel-code-generator keeps only on a field or a model of its own.
_ARRAY_SIZES = ("minItems", "maxItems")


def sized_lists_as_models(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each array option of a property's ``anyOf`` (beside other options than null)
    that has ``minItems`` or ``maxItems`` moved to ``$defs`` of its own, named after its class and
    key (``PipelineSizeItems``): datamodel-code-generator writes a union's list option as a plain
    ``list[...]`` and drops its sizes, while a model of its own (a ``RootModel``) keeps them."""
    defs: dict[str, Any] = dict(schema.get("$defs", {}))
    for name, model in list(defs.items()):
        properties = model.get("properties") if isinstance(model, dict) else None
        if not isinstance(properties, dict):
            continue
        changed = dict(properties)
        for key, prop in properties.items():
            options = prop.get("anyOf") if isinstance(prop, dict) else None
            if not isinstance(options, list) or len([o for o in options if o != _NULL]) < 2:
                continue
            moved = []
            for option in options:
                if isinstance(option, dict) and option.get("type") == "array" and any(k in option for k in _ARRAY_SIZES):
                    wanted = name + "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", key) if part) + "Items"
                    title, n = wanted, 1
                    while title in defs:
                        n += 1
                        title = f"{wanted}{n}"
                    defs[title] = {"title": title, **option}
                    option = {"$ref": f"#/$defs/{title}"}
                moved.append(option)
            changed[key] = {**prop, "anyOf": moved}
        defs[name] = {**model, "properties": changed}
    return {**schema, "$defs": defs} if "$defs" in schema else schema


def public_classes(source: str) -> list[str]:
    """The classes a generated module defines, in order."""
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


def pydantic_root(package: Package) -> str:
    """The name of the top-level model: the document root's."""
    builder = SchemaBuilder(package)
    ref = builder.codec_schema(package.root_codec)["$ref"]
    return str(ref).rsplit("/", 1)[1]


def exclusive_bases(package: Package) -> list[tuple[str, str, ClassModel]]:
    """The models whose keys exclude each other (``exclusive``), which a JSON Schema says but
    datamodel-code-generator does not check: each schema definition's name, the name of the base
    class (in ``_base.py``) that checks them, and its class."""
    builder = SchemaBuilder(package)
    out: list[tuple[str, str, ClassModel]] = []
    for cls in package.classes:
        if not cls.exclusive:
            continue
        for kind in ("class", "tagged"):
            name = builder.names.get((kind, id(cls)))
            if name is not None:
                out.append((name, f"{name}Keys", cls))
    return out


@dataclass(frozen=True)
class PydanticJob:
    """What datamodel-code-generator is given for a package (:func:`pydantic_source`'s arguments),
    and the schema it is made from (the file of the schema target, which need not render it again)."""

    schema_text: str
    file_header: str
    base_class: str
    schema: OutputFile
    exclusive: list[tuple[str, str, ClassModel]]


def pydantic_job(package: Package, env: jinja2.Environment) -> PydanticJob:
    """The input of datamodel-code-generator for ``package``: its JSON Schema as the tool reads it."""
    (schema,) = render_schema(package, env)
    # datamodel-code-generator names a model after the schema's title, and the package title is
    # free text ("1. Shop" is no class name): it gets the root model's name instead
    data = pydantic_input(sized_lists_as_models(json.loads(schema.text)), f"{package.name}_pydantic._base")
    data["title"] = pydantic_root(package)
    top = f"{package.name}_pydantic"
    exclusive = exclusive_bases(package)
    for name, base, _cls in exclusive:
        # the model gets a base that checks the keys that exclude each other, in place of the schema's
        # rules for them (which datamodel-code-generator would read as a union of models)
        definition = data["$defs"][name]
        for rule in ("oneOf", "not", "allOf"):
            definition.pop(rule, None)
        definition["customBasePath"] = f"{top}._base.{base}"
    return PydanticJob(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),  # a tool's input: compact, made in a fifth of the time
        header("#", package.spec_file),
        f"{top}._base.StrictBaseModel",
        schema,
        exclusive,
    )


def render_pydantic(package: Package, env: jinja2.Environment, *, use_cache: bool = True) -> list[OutputFile]:
    """An importable package of pydantic v2 models of the document, made from its JSON Schema."""
    job = pydantic_job(package, env)
    source = pydantic_source(job.schema_text, job.file_header, job.base_class, use_cache=use_cache)
    return pydantic_files(package, env, job, source, use_cache=use_cache)


def pydantic_files(
    package: Package, env: jinja2.Environment, job: PydanticJob, source: str, *, use_cache: bool = True
) -> list[OutputFile]:
    """The target's files, once datamodel-code-generator has written ``source``, the models of ``job``:
    the models in black's layout already (:func:`layout.layout_models`, black formatting only the blocks
    of other shapes, cached as the pipeline's are), the other files for the pipeline to format."""
    from ... import fmt
    from .layout import layout_models

    top = f"{package.name}_pydantic"
    context = {
        "package": package,
        "header": lambda mark: header(mark, package.spec_file),
        "top": top,
        "schema_file": job.schema.path,
        "root": pydantic_root(package),
        "classes": public_classes(source),
        "exclusive": [(base, cls) for _name, base, cls in job.exclusive],
    }
    return [
        OutputFile(f"{top}/pyproject.toml", env.get_template("pydantic/pyproject.toml.j2").render(context), False),
        ignore_file(top, package, env),
        OutputFile(f"{top}/{top}/__init__.py", env.get_template("pydantic/__init__.py.j2").render(context), True),
        OutputFile(f"{top}/{top}/_base.py", env.get_template("pydantic/_base.py.j2").render(context), True),
        OutputFile(f"{top}/{top}/models.py", layout_models(source, lambda blocks: fmt.format_many(blocks, use_cache=use_cache)), False),
    ]

