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

The schema is computed here (``SchemaBuilder``, from the codecs: the loader's own plan); the
template ``templates/schema/schema.json.j2`` only lays it out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ...model import ClassModel, Codec, Constraints, Deprecation, EnumModel, Exclusive, FieldModel, Package, Spellings
from ...outputs import OutputFile, header
from ...spec.names import snake
from ...spec.validate import portable_pattern

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: What a scalar is in JSON Schema (a YAML timestamp is a string to a JSON reader).
_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
}

#: The JSON Schema keyword of each constraint of the IDL.
KEYWORDS = {
    "minimum": "minimum",
    "exclusive_minimum": "exclusiveMinimum",
    "maximum": "maximum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "min_items": "minItems",
    "max_items": "maxItems",
    "unique_items": "uniqueItems",
}
#: The kind of constraint that applies to the values of each JSON type.
_KIND_OF_TYPE = {"integer": "number", "number": "number", "string": "string", "array": "list"}

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


def regex_any_case(text: str) -> str:
    """A regular expression that matches ``text`` whatever the case of its (ASCII) letters."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isascii() and ch.isalpha() else regex_literal(ch) for ch in text)


def spelled(spellings: Spellings, values: list[str] | None = None) -> dict[str, Any]:
    """A string that is one of the spellings of ``values`` (all of them by default): an ``enum`` of
    them, or, when the match ignores case, a ``pattern``."""
    chosen = [(v, a) for v, a in spellings.values if values is None or v in values]
    words = [w for v, aliases in chosen for w in (v, *aliases)]
    if spellings.match != "case_insensitive":
        return {"type": "string", "enum": words} if len(words) > 1 else {"type": "string", "const": words[0]}
    return {"type": "string", "pattern": "^(?:" + "|".join(regex_any_case(w) for w in words) + ")(?![\\s\\S])"}


def other_than_spellings(spellings: Spellings) -> str:
    """A regular expression that matches any string but the spellings of ``spellings``."""
    if spellings.match != "case_insensitive":
        return other_than([w for v, aliases in spellings.values for w in (v, *aliases)])
    words = [regex_any_case(w) for v, aliases in spellings.values for w in (v, *aliases)]
    return "^(?!(?:" + "|".join(words) + ")(?![\\s\\S]))"


def exclusive_schema(group: Exclusive) -> dict[str, Any]:
    """The rule of a group of keys that exclude each other: exactly one (``oneOf`` the keys) or at
    most one (``not`` any two of them)."""
    if group.required:
        return {"oneOf": [{"required": [key]} for key in group.keys]}
    pairs = [[a, b] for i, a in enumerate(group.keys) for b in group.keys[i + 1 :]]
    if len(pairs) == 1:
        return {"not": {"required": pairs[0]}}
    return {"not": {"anyOf": [{"required": pair} for pair in pairs]}}


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
            whole = root.abstract and codec.fallback is None and codec.name == f"{root.snake}_family"
            wanted = root.name if whole else "".join(part.capitalize() for part in codec.name.split("_"))
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
            elif codec.kind == "keyed":
                steps.extend((None, c, self.roles.direct) for c in codec.classes)
            elif codec.kind == "family":
                self.families.append(codec)
                for tag, member in codec.members:
                    steps.append((None, member, self.roles.direct if tag == self._default(codec) else self.roles.tagged))
                if codec.fallback is not None:
                    steps.append((None, codec.fallback, self.roles.direct))
            steps.extend((child, None, None) for child in codec.children())
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
            title=package.title.default,
            description=described.default,
            root=self.codec_schema(package.root_codec),
            defs=sorted(defs.items()),
        )

    def ref(self, kind: str, item: object) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.names[(kind, id(item))]}"}

    def enum_def(self, enum: EnumModel) -> dict[str, Any]:
        values = [m.value for m in enum.members]
        described = [m.description.default + _deprecated(m.deprecated) for m in enum.members]
        listing = "\n".join(f"- `{m.value}`: {text}" for m, text in zip(enum.members, described, strict=True))
        out: dict[str, Any] = {"title": enum.name, "description": f"{enum.description.default}\n\n{listing}", "type": "string"}
        if enum.open:
            out["examples"] = values
        elif enum.spelled:  # a member may be spelled otherwise: every spelling, or a pattern
            out.update(spelled(Spellings(enum.match, tuple((m.value, m.aliases) for m in enum.members))))
            out["examples"] = values
        else:
            out["enum"] = values
            out["enumDescriptions"] = described
        return out

    def class_def(self, cls: ClassModel, *, tagged: bool) -> dict[str, Any]:
        family = cls.family_root
        disc_key = cls.discriminator_key
        properties = {f.key: self.field_schema(cls, f, tagged=tagged) for f in cls.fields}
        required = [f.key for f in cls.fields if f.required]
        if disc_key is not None and family is not None:
            if tagged and cls.discriminator_value != family.discriminator_default:
                required.append(disc_key)  # reached through its family: the key picks it
            elif family is cls and family.discriminator_default is not None:
                required.append(disc_key)  # the concrete root, reached as its family's fallback
        out: dict[str, Any] = {"title": cls.name, "description": cls.description.default, "type": "object", "properties": properties}
        if cls.deprecated is not None:
            out["deprecated"] = True
        if required:
            out["required"] = required
        rules = [exclusive_schema(g) for g in cls.exclusive]
        if len(rules) == 1:
            out.update(rules[0])
        elif rules:
            out["allOf"] = rules
        if cls.unknown_keys == "forbid":
            out["additionalProperties"] = False
        else:
            out["propertyNames"] = {"type": "string"}  # any other key, but a string
            if cls.unknown_keys == "keep":
                out["additionalProperties"] = True  # kept, and written back: pydantic's extra="allow"
            # ignore: no more said (other keys are allowed; pydantic drops them, as the loader does)
        return out

    def field_schema(self, cls: ClassModel, f: FieldModel, *, tagged: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"description": f.description.default}
        family = cls.family_root
        if f.fixed is not None:
            mine = Spellings(family.discriminator_match, ((f.fixed, cls.discriminator_aliases),)) if family is not None else None
            if mine is not None and mine.spelled:
                out.update(spelled(mine))  # its value, spelled any way the family allows
            else:
                out["const"] = f.fixed
            if not tagged:
                out["default"] = f.fixed
            return out
        is_tag = family is not None and f.name == family.discriminator
        members = self.family_members(family) if family is not None and is_tag else []
        # the concrete root of a family takes any value of its key but those of its subclasses
        if members and family is not None:
            taken = Spellings(family.discriminator_match, tuple((tag, m.discriminator_aliases) for tag, m in members))
            schema: dict[str, Any] = {"type": "string", "pattern": other_than_spellings(taken)}
        else:
            schema = self.codec_schema(f.codec)
        if f.nullable:
            schema = nullable(schema)
        if f.constraints:
            schema = constrained(schema, f.constraints)
        out.update(schema)
        if f.readonly and not is_tag:
            out["readOnly"] = True
        if not f.required and f.default is not None and f.default.value is not None:
            out["default"] = f.default.value
        if f.deprecated is not None:
            out["deprecated"] = True
        return out

    def family_members(self, root: ClassModel) -> list[tuple[str, ClassModel]]:
        return [(m.discriminator_value, m) for m in root.descendants() if m.discriminator_value is not None and not m.abstract]

    def member_ref(self, tag: str, member: ClassModel, codec: Codec) -> dict[str, Any]:
        return self.ref("class" if tag == self._default(codec) else "tagged", member)

    def family_def(self, codec: Codec) -> dict[str, Any]:
        root = codec.target
        assert isinstance(root, ClassModel)
        key, default = codec.tag_key, root.discriminator_default
        tags = [tag for tag, _ in codec.members]
        branches = [self.member_ref(tag, member, codec) for tag, member in codec.members]
        out: dict[str, Any] = {"title": root.name, "description": root.description.default, "type": "object"}
        if default not in tags and codec.fallback is None and codec.tag_spellings is None:
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
        if kind == "any":
            return {}
        if kind == "none":
            return {"type": "null"}
        if kind == "scalar" and codec.accepts:  # a string, or another scalar read as its text
            return {"type": ["string", *(_SCALARS[t]["type"] for t in codec.accepts)]}
        if kind == "scalar":
            return dict(_SCALARS[codec.scalar])
        if kind == "prefixed":
            if len(codec.prefix) == 1:
                return {"type": "string", "pattern": "^" + regex_literal(codec.prefix[0])}
            return {"type": "string", "pattern": "^(?:" + "|".join(regex_literal(p) for p in codec.prefix) + ")"}
        if kind == "enum":
            return self.ref("enum", codec.target)
        if kind == "class":
            return self.ref("class", codec.target)
        if kind == "family":
            return self.ref("family", codec)
        if kind == "keyed":  # the classes require keys that no other one has: one at most takes a document
            return {"oneOf": [self.ref("class", c) for c in codec.classes]}
        if kind == "list":
            assert codec.item is not None
            return {"type": "array", "items": self.codec_schema(codec.item)}
        if kind == "dict":
            assert codec.item is not None
            return {"type": "object", "propertyNames": {"type": "string"}, "additionalProperties": self.codec_schema(codec.item)}
        if kind == "union":
            schemas = [self.codec_schema(o) for o in codec.options if o.kind != "none"]
            if any(o.kind == "none" for o in codec.options):
                schemas.append({"type": "null"})
            return {"anyOf": schemas}
        raise AssertionError(f"no schema for codec kind {kind!r}")


def _deprecated(deprecated: Deprecation | None) -> str:
    """What an enum member's description says of its deprecation ('' for none)."""
    if deprecated is None:
        return ""
    return f" Deprecated: {deprecated.note.default}" if deprecated.note is not None else " Deprecated."


def constrained(schema: dict[str, Any], constraints: Constraints) -> dict[str, Any]:
    """``schema`` with the field's constraints on the (sub)schemas of the values they apply to: on a
    union's options of their kind (numbers, strings, arrays), or on the schema itself. A pattern's
    ``$`` is written so that Python's ``re`` reads it as ECMA-262 does (the end of the text)."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [constrained(option, constraints) for option in schema["anyOf"]]}
    types = schema.get("type", [])
    kinds = {_KIND_OF_TYPE.get(t) for t in ([types] if isinstance(types, str) else types)}
    out = dict(schema)
    for check in constraints.checks:
        if check.kind in kinds:
            value = check.value
            out[KEYWORDS[check.keyword]] = portable_pattern(value) if isinstance(value, str) else value
    return out


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


