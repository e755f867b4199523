"""Two more targets: the JSON Schema of the document, and pydantic models made from that schema.

``render_schema`` writes ``<pkg>_schema/<root>.schema.json`` (draft 2020-12), which an editor uses
for completion and validation (``# yaml-language-server: $schema=...``). It says what the
generated loader accepts, no more and no less:

- a class is an object of its document keys (``additionalProperties: false``) with the keys of its
  fields without a default ``required``; scalars are strict (``integer`` is not ``boolean``) and an
  ``Optional`` type also takes ``null``; a ``prefix`` becomes an anchored ``pattern``;
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

The models derive from a strict base class (a list is no tuple, a mapping a dict) and their
scalars are strict types, so the three readers of a document (the loader, the schema, pydantic)
agree on every one: tests/test_three_judges.py checks it.

``render_pydantic`` hands that schema to datamodel-code-generator (pinned; as a library, with
fixed options and no timestamp) and writes ``<pkg>_pydantic/``, an importable package of pydantic
v2 models whose top-level model is the document root's. It reads a nullable ``$ref``, array or
mapping as OpenAPI's ``nullable`` rather than an ``anyOf`` with ``null`` (``pydantic_input``): the
same models, made in two thirds of the time.

The schema is computed here (``SchemaBuilder``: the view-model of ``templates/schema/``); the
template only lays it out.
"""

from __future__ import annotations

import ast
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .model import ClassModel, Codec, EnumModel, FieldModel, Package
from .render import OutputFile, header
from .resolve import snake

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: What a scalar codec (by its Python type) is in JSON Schema; ``Any`` is the schema that accepts anything.
_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "None": {"type": "null"},
    "Any": {},
}

#: Characters with a meaning in a regular expression (ECMA-262, Python ``re`` and Rust ``regex`` alike).
_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}")


def other_than(values: list[str]) -> str:
    """A regular expression that matches any string but the ``values``.

    ``(?![\\s\\S])`` is the end of the string in every dialect (``$`` also matches before a final
    newline in Python's); datamodel-code-generator compiles a pattern with a lookahead for Python's
    engine, which pydantic then uses.
    """
    return "^(?!(?:" + "|".join(regex_literal(v) for v in values) + ")(?![\\s\\S]))"


def regex_literal(text: str) -> str:
    """A regular expression that matches ``text`` literally, in every regex dialect a schema meets."""
    return "".join("\\" + ch if ch in _REGEX_SYNTAX else ch for ch in text)


def schema_path(package: Package) -> str:
    """Where the schema of a package's document is written, under the output folder."""
    return f"{package.name}_schema/{snake(package.root.name)}.schema.json"


def comment(package: Package) -> str:
    """The generated header as one line, for the schema's ``$comment``."""
    return " ".join(line.removeprefix("# ") for line in header("#", package.spec_file).splitlines())


@dataclass
class SchemaView:
    """What the schema template lays out: the top of the document and its ``$defs``, in order."""

    comment: str
    dialect: str
    title: str
    description: str
    root: dict[str, Any]
    defs: list[tuple[str, dict[str, Any]]]


#: One step of the walk: a codec to visit, or (None, a class, the role list it is reached in).
Step = tuple[Codec | None, ClassModel | None, list[ClassModel] | None]


@dataclass
class _Roles:
    """How each class is reached from the document: directly, or through a family (key required)."""

    direct: list[ClassModel] = field(default_factory=list)
    tagged: list[ClassModel] = field(default_factory=list)


class SchemaBuilder:
    """Computes the schema of a package's document from its codecs (the loader's own plan)."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.roles = _Roles()
        self.enums: list[EnumModel] = []
        self.families: list[Codec] = []
        self.names: dict[tuple[str, int], str] = {}
        self._walk(package.root_codec)
        used: set[str] = set()
        for kind, items in (("enum", self.enums), ("class", self.roles.direct)):
            for item in items:
                self.names[(kind, id(item))] = self._unique(item.name, used)
        for cls in self.roles.tagged:
            wanted = cls.name if cls not in self.roles.direct else f"{cls.name}Tagged"
            self.names[("tagged", id(cls))] = self._unique(wanted, used)
        for codec in self.families:
            root = codec.target
            assert isinstance(root, ClassModel)
            whole = root.abstract and codec.fallback is None and codec.function == f"{root.snake}_family"
            wanted = root.name if whole else "".join(part.capitalize() for part in codec.function.split("_"))
            self.names[("family", id(codec))] = self._unique(wanted, used)

    @staticmethod
    def _unique(name: str, used: set[str]) -> str:
        out, n = name, 1
        while out in used:
            n += 1
            out = f"{name}{n}"
        used.add(out)
        return out

    # -- what the document reaches -----------------------------------------------------------
    def _walk(self, start: Codec) -> None:
        """Visit every codec the document reaches, depth first, in field order (an explicit stack:
        a chain of a thousand classes must not exhaust Python's recursion limit)."""
        seen: set[int] = set()
        stack: list[Iterator[Step]] = [iter([(start, None, None)])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                continue
            codec, cls, role = step
            if codec is None:  # reach a class: record its role, then walk its fields
                assert cls is not None and role is not None
                if cls not in role:
                    role.append(cls)
                    stack.append(iter([(f.codec, None, None) for f in cls.fields if f.fixed is None]))
                continue
            if id(codec) in seen:
                continue
            seen.add(id(codec))
            steps: list[Step] = []
            if codec.kind == "enum":
                assert isinstance(codec.target, EnumModel)
                if codec.target not in self.enums:
                    self.enums.append(codec.target)
            elif codec.kind == "class":
                assert isinstance(codec.target, ClassModel)
                steps.append((None, codec.target, self.roles.direct))
            elif codec.kind == "family":
                self.families.append(codec)
                for tag, member in codec.members:
                    steps.append((None, member, self.roles.direct if tag == self._default(codec) else self.roles.tagged))
                if codec.fallback is not None:
                    steps.append((None, codec.fallback, self.roles.direct))
            elif codec.item is not None:
                steps.append((codec.item, None, None))
            steps.extend((branch.codec, None, None) for branch in codec.branches)
            stack.append(iter(steps))

    @staticmethod
    def _default(codec: Codec) -> str | None:
        root = codec.target
        assert isinstance(root, ClassModel)
        return root.discriminator_default

    # -- the schema --------------------------------------------------------------------------
    def view(self) -> SchemaView:
        package = self.package
        described = package.document_description or package.description
        defs: dict[str, dict[str, Any]] = {}
        for enum in self.enums:
            defs[self.names[("enum", id(enum))]] = self.enum_def(enum)
        for cls in self.roles.direct:
            defs[self.names[("class", id(cls))]] = self.class_def(cls, tagged=False)
        for cls in self.roles.tagged:
            defs[self.names[("tagged", id(cls))]] = self.class_def(cls, tagged=True)
        for codec in self.families:
            defs[self.names[("family", id(codec))]] = self.family_def(codec)
        return SchemaView(
            comment=comment(package),
            dialect=DIALECT,
            title=package.title.en,
            description=described.en,
            root=self.codec_schema(package.root_codec),
            defs=sorted(defs.items()),
        )

    def ref(self, kind: str, item: object) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.names[(kind, id(item))]}"}

    def enum_def(self, enum: EnumModel) -> dict[str, Any]:
        values = [m.value for m in enum.members]
        listing = "\n".join(f"- `{m.value}`: {m.description.en}" for m in enum.members)
        out: dict[str, Any] = {"title": enum.name, "description": f"{enum.description.en}\n\n{listing}", "type": "string"}
        if enum.open:
            out["examples"] = values
        else:
            out["enum"] = values
            out["enumDescriptions"] = [m.description.en for m in enum.members]
        return out

    def class_def(self, cls: ClassModel, *, tagged: bool) -> dict[str, Any]:
        family = cls.family_root
        disc_key = self.discriminator_key(cls)
        properties = {f.key: self.field_schema(cls, f, tagged=tagged) for f in cls.fields}
        required = [f.key for f in cls.fields if f.required]
        if disc_key is not None and family is not None:
            if tagged and cls.discriminator_value != family.discriminator_default:
                required.append(disc_key)  # reached through its family: the key picks it
            elif family is cls and family.discriminator_default is not None:
                required.append(disc_key)  # the concrete root, reached as its family's fallback
        out: dict[str, Any] = {"title": cls.name, "description": cls.description.en, "type": "object", "properties": properties}
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out

    @staticmethod
    def discriminator_key(cls: ClassModel) -> str | None:
        family = cls.family_root
        if family is None or family.discriminator is None:
            return None
        return next(f.key for f in cls.fields if f.name == family.discriminator)

    def field_schema(self, cls: ClassModel, f: FieldModel, *, tagged: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"description": f.description.en}
        if f.fixed is not None:
            out["const"] = f.fixed
            if not tagged:
                out["default"] = f.fixed
            return out
        family = cls.family_root
        is_tag = family is not None and f.name == family.discriminator
        tags = [tag for tag, _ in self.family_members(family)] if family is not None and is_tag else []
        # the concrete root of a family takes any value of its key but those of its subclasses
        schema = {"type": "string", "pattern": other_than(tags)} if tags else self.codec_schema(f.codec)
        if f.nullable:
            schema = nullable(schema)
        out.update(schema)
        if f.readonly and not is_tag:
            out["readOnly"] = True
        if not f.required and f.default_doc not in (None, "None"):
            out["default"] = ast.literal_eval(f.default_doc)
        return out

    def family_members(self, root: ClassModel) -> list[tuple[str, ClassModel]]:
        return [(m.discriminator_value, m) for m in root.descendants() if m.discriminator_value is not None and not m.abstract]

    def member_ref(self, tag: str, member: ClassModel, codec: Codec) -> dict[str, Any]:
        return self.ref("class" if tag == self._default(codec) else "tagged", member)

    def family_def(self, codec: Codec) -> dict[str, Any]:
        root = codec.target
        assert isinstance(root, ClassModel)
        key, default = codec.prefix, root.discriminator_default
        tags = [tag for tag, _ in codec.members]
        branches = [self.member_ref(tag, member, codec) for tag, member in codec.members]
        out: dict[str, Any] = {"title": root.name, "description": root.description.en, "type": "object"}
        if default not in tags and codec.fallback is None:
            # the key is required and picks exactly one class: a discriminated union
            out["required"] = [key]
            out["oneOf"] = branches
            out["discriminator"] = {"propertyName": key, "mapping": {tag: b["$ref"] for tag, b in zip(tags, branches, strict=True)}}
            return out
        # one class at most takes a document: a subclass needs its key unless it is the default's;
        # the concrete root (the fallback) takes no value of a subclass, nor, with a default, no key
        out["oneOf"] = branches if codec.fallback is None else [*branches, self.ref("class", codec.fallback)]
        return out

    def codec_schema(self, codec: Codec) -> dict[str, Any]:
        kind = codec.kind
        if kind in ("scalar", "any"):
            return dict(_SCALARS[codec.py_type])
        if kind == "prefixed":
            return {"type": "string", "pattern": "^" + regex_literal(codec.prefix)}
        if kind == "enum":
            return self.ref("enum", codec.target)
        if kind == "class":
            return self.ref("class", codec.target)
        if kind == "family":
            return self.ref("family", codec)
        if kind == "list":
            assert codec.item is not None
            return {"type": "array", "items": self.codec_schema(codec.item)}
        if kind == "dict":
            assert codec.item is not None
            return {"type": "object", "propertyNames": {"type": "string"}, "additionalProperties": self.codec_schema(codec.item)}
        if kind == "union":
            options = [b.codec for b in codec.branches if b.codec.py_type != "None"]
            schemas = [self.codec_schema(c) for c in options]
            if len(options) < len(codec.branches):
                schemas.append({"type": "null"})
            return {"anyOf": schemas}
        raise AssertionError(f"no schema for codec kind {kind!r}")


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also takes ``null``."""
    if not schema:
        return schema  # Any: takes null already
    if set(schema) == {"type"} and isinstance(schema["type"], str):
        return {"type": [schema["type"], "null"]}
    if set(schema) == {"anyOf"}:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}


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


# -- pydantic, by datamodel-code-generator --------------------------------------------------------


def pydantic_source(schema_text: str, file_header: str, base_class: str) -> str:
    """Pydantic v2 models of a JSON Schema, by datamodel-code-generator with pinned options.

    The models derive from ``base_class`` (a dotted path). The output is unformatted (black formats
    it in the pipeline) and has no timestamp: the same schema always gives the same text.
    """
    from datamodel_code_generator import LiteralType, TargetPydanticVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes
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


def pydantic_input(schema: Any) -> Any:
    """The schema as datamodel-code-generator reads it: ``{"anyOf": [S, {"type": "null"}], ...}`` with ``S`` a
    ``$ref``, an array or a mapping becomes ``S`` with its siblings and OpenAPI's ``nullable: true``.

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
            out[key] = pydantic_input(value)
        elif key in _SUBSCHEMAS and isinstance(value, list):
            out[key] = [pydantic_input(item) for item in value]
        elif key in _NAMED_SUBSCHEMAS and isinstance(value, dict):
            out[key] = {name: pydantic_input(item) for name, item in value.items()}
        else:
            out[key] = value  # data (const, default, enum, examples, a discriminator's mapping) or a scalar keyword
    match out.get("anyOf"):
        case [dict() as first, second] if second == _NULL and ("$ref" in first or first.get("type") in ("array", "object")):
            siblings = {key: value for key, value in out.items() if key != "anyOf"}
            keys = {*siblings, *first}
            if len(keys) == len(siblings) + len(first) and not keys & {"nullable", "anyOf", "oneOf", "allOf"}:
                return {**first, **siblings, "nullable": True}
    return out


def public_classes(source: str) -> list[str]:
    """The classes a generated module defines, in order."""
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


def pydantic_root(package: Package) -> str:
    """The name of the top-level model: the document root's."""
    builder = SchemaBuilder(package)
    ref = builder.codec_schema(package.root_codec)["$ref"]
    return str(ref).rsplit("/", 1)[1]


def render_pydantic(package: Package, env: jinja2.Environment) -> list[OutputFile]:
    """An importable package of pydantic v2 models of the document, made from its JSON Schema."""
    (schema,) = render_schema(package, env)
    # datamodel-code-generator names a model after the schema's title, and the package title is
    # free text ("1. Shop" is no class name): it gets the root model's name instead
    data = pydantic_input(json.loads(schema.text))
    data["title"] = pydantic_root(package)
    top = f"{package.name}_pydantic"
    source = pydantic_source(json.dumps(data, ensure_ascii=False, indent=2), header("#", package.spec_file), f"{top}._base.StrictBaseModel")
    context = {
        "package": package,
        "header": lambda mark: header(mark, package.spec_file),
        "top": top,
        "schema_file": schema.path,
        "root": pydantic_root(package),
        "classes": public_classes(source),
    }
    return [
        OutputFile(f"{top}/pyproject.toml", env.get_template("schema/pydantic_pyproject.toml.j2").render(context), False),
        OutputFile(f"{top}/{top}/__init__.py", env.get_template("schema/pydantic_init.py.j2").render(context), True),
        OutputFile(f"{top}/{top}/_base.py", env.get_template("schema/pydantic_base.py.j2").render(context), True),
        OutputFile(f"{top}/{top}/models.py", source, True, laid_out=False),  # datamodel-code-generator's layout
    ]

