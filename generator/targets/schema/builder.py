"""The schema of a package's document, computed from its codecs (the loader's own plan):
:class:`SchemaBuilder` walks what the document reaches, names each definition once, and builds
the :class:`SchemaView` that ``templates/schema/schema.json.j2`` lays out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...model import ClassModel, Codec, EnumModel, FieldModel, Package, Spellings
from ...outputs import header
from .fragments import SCALARS, constrained, deprecation_note, exclusive_schema, nullable
from .patterns import other_than_spellings, regex_literal, spelled

DIALECT = "https://json-schema.org/draft/2020-12/schema"


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
                    stack.append(iter([(f.codec, None, None) for f in cls.document_fields if f.fixed is None]))
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
        described = [m.description.default + deprecation_note(m.deprecated) for m in enum.members]
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
        properties = {f.key: self.field_schema(cls, f, tagged=tagged) for f in cls.document_fields}
        required = [f.key for f in cls.document_fields if f.required]
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
            return {"type": ["string", *(SCALARS[t]["type"] for t in codec.accepts)]}
        if kind == "scalar":
            return dict(SCALARS[codec.scalar])
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
