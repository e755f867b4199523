"""Stage 2: check a loaded spec against the IDL's own JSON Schema, with positions.

The schema (``idl.schema.json``, checked in beside this module) is the one source of truth:
editors use it to validate and complete spec files, and this stage interprets the subset of
JSON Schema it uses, so that every problem gets ``file:line:col`` and unknown keys get a
did-you-mean.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..errors import SpecError, SpecProblem, describe_path, did_you_mean
from .loader import MERGED, Document, Path

Schema = dict[str, Any]


@cache
def idl_schema() -> Schema:
    """The IDL's JSON Schema."""
    text = resources.files(__package__).joinpath("idl.schema.json").read_text(encoding="utf-8")
    schema: Schema = json.loads(text)
    return schema


_JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
    "number": "a number",
}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    return f"{type(value).__name__} {value!r}"


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise AssertionError(f"type {name} is not used by the IDL schema")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(python_pattern(pattern))


def python_pattern(pattern: str) -> str:
    """A JSON Schema ``pattern`` as Python's ``re`` reads it: ``$`` is the end of the text, as in JSON
    Schema (ECMA-262), not also the place before a final newline as in Python (``\\Z``)."""
    return _rewrite_end(pattern, r"\Z")


def portable_pattern(pattern: str) -> str:
    """A JSON Schema ``pattern`` that Python's ``re`` (as ``jsonschema`` uses it) and ECMA-262 read alike:
    ``$`` written ``(?![\\s\\S])``, the end of the text in every dialect."""
    return _rewrite_end(pattern, r"(?![\s\S])")


def _rewrite_end(pattern: str, end: str) -> str:
    """``pattern`` with each ``$`` that ends the text (not escaped, not in a class) written ``end``."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(end)
            continue
        out.append(char)
    return "".join(out)


def matches(pattern: str, value: str) -> bool:
    """True when ``value`` matches the JSON Schema ``pattern`` (a search, anchored where it says)."""
    return _compiled(pattern).search(value) is not None


def _escaped(name: str) -> str:
    """A name as a message shows it: control and line-breaking characters escaped, so that the
    message stays one line (``"Loan\\n"``)."""
    return "".join(c.encode("unicode_escape").decode("ascii") if _UNSEEN.match(c) else c for c in name)


_UNSEEN = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")


class _Validator:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root = idl_schema()
        self.problems: list[SpecProblem] = []

    def fail(self, path: Path, message: str, *, key: bool = False) -> None:
        self.problems.append(SpecProblem(self.doc.where(path, key=key), message))

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            ref = schema["$ref"]
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            schema = {**target, **{k: v for k, v in extra.items() if k not in ("description",)}}
        return schema

    def check(self, value: Any, schema: Schema, path: Path, what: str | None = None) -> None:
        """Check ``value`` at ``path`` against ``schema``; ``what`` names it in messages (by default
        its path, worded only when a message needs it)."""
        schema = self.resolve(schema)
        if "oneOf" in schema:  # the IDL's unions are told apart by type: check the branch of the value's type
            branches = [self.resolve(b) for b in schema["oneOf"]]
            branch = next((b for b in branches if _is_type(value, b["type"])), None)
            if branch is None:
                kinds = " or ".join(_JSON_TYPES[b["type"]] for b in branches)
                self.fail(path, f"{what or describe_path(path)} must be {kinds}, not {_describe(value)}")
                return
            schema = branch
        if "anyOf" in schema:
            self.check_any(value, schema, path, what)
            return
        if "const" in schema and (value != schema["const"] or isinstance(value, bool) != isinstance(schema["const"], bool)):
            self.fail(path, f"{what or describe_path(path)} must be {json.dumps(schema['const'])}, not {_describe(value)}")
            return
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(json.dumps(c) for c in schema["enum"])
            hint = did_you_mean(value, schema["enum"]) if isinstance(value, str) else ""
            self.fail(path, f"{what or describe_path(path)} must be one of {choices}, not {_describe(value)}{hint}")
            return
        kind = schema.get("type")
        if kind and not _is_type(value, kind):
            self.fail(path, f"{what or describe_path(path)} must be {_JSON_TYPES[kind]}, not {_describe(value)}")
            return
        if _is_type(value, "number"):
            if "minimum" in schema and value < schema["minimum"]:
                self.fail(path, f"{what or describe_path(path)} must be at least {schema['minimum']}, not {_describe(value)}")
            if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                self.fail(path, f"{what or describe_path(path)} must be more than {schema['exclusiveMinimum']}, not {_describe(value)}")
        if isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                self.fail(path, f"{what or describe_path(path)} must not be empty")
            pattern = schema.get("pattern")
            if pattern and not matches(pattern, value):
                self.fail(path, f"{what or describe_path(path)} is {json.dumps(value)}, which is not valid: {self.rule(schema)}")
        elif isinstance(value, list):
            if len(value) < schema.get("minItems", 0):
                least = "not be empty" if schema["minItems"] == 1 else f"list at least {schema['minItems']} items"
                self.fail(path, f"{what or describe_path(path)} must {least}")
            seen: set[str] = set()
            for i, item in enumerate(value):
                if schema.get("uniqueItems") and isinstance(item, str):
                    if item in seen:
                        self.fail((*path, i), f"{describe_path((*path, i))} repeats {_describe(item)}")
                    seen.add(item)
                self.check(item, schema.get("items", {}), (*path, i))
        elif isinstance(value, dict):
            self.check_mapping(value, schema, path, what)

    def check_any(self, value: Any, schema: Schema, path: Path, what: str | None) -> None:
        """``anyOf`` as the IDL uses it: options of different JSON types (``true`` or a text). A value
        of one option's type is checked against that option (its own mistakes are told); any other
        value is told what the options are (``x-expected``)."""
        options = [self.resolve(option) for option in schema["anyOf"]]
        if any("const" in o and value == o["const"] and isinstance(value, bool) == isinstance(o["const"], bool) for o in options):
            return
        typed = [o for o in options if "type" in o and _is_type(value, o["type"])]
        if len(typed) == 1:
            self.check(value, typed[0], path, what)
            return
        self.fail(path, f"{what or describe_path(path)} must be {schema['x-expected']}, not {_describe(value)}")

    def rule(self, schema: Schema) -> str:
        return str(schema.get("x-rule") or f"it must match {schema['pattern']}")

    def check_mapping(self, value: dict[str, Any], schema: Schema, path: Path, what: str | None) -> None:
        props: dict[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        if len(value) < schema.get("minProperties", 0):
            self.fail(path, f"{what or describe_path(path)} must not be empty")
        for name in schema.get("required", []):
            if name not in value:
                self.fail(path, f'{what or describe_path(path)} is missing the required key "{name}"')
        names = schema.get("propertyNames")
        for key, item in value.items():
            sub = (*path, key)
            if names is not None:
                rule = self.resolve(names)
                if not matches(rule["pattern"], key):
                    hint = _comma_hint(key, item)
                    self.fail(sub, f"{describe_path((*path, _escaped(key)))} has an invalid name: {self.rule(rule)}{hint}", key=True)
                    continue
            if key in props:
                self.check(item, props[key], sub)
            elif extra is False:
                hint = did_you_mean(key, props)
                allowed = ", ".join(sorted(props))
                self.fail(sub, f'unknown key "{_escaped(key)}" in {what or describe_path(path)}{hint}; allowed: {allowed}', key=True)
            elif isinstance(extra, dict):
                self.check(item, extra, sub)


def _comma_hint(key: str, value: object) -> str:
    """A hint for a key of no value that reads like words: the end of a text a comma cut, as in
    ``{en: The port, by name.}`` (a flow mapping, where a comma ends the text), or of one word
    with the text's punctuation (``{en: On a node (NodePort, LoadBalancer).}``)."""
    if value is None and any(ch.isspace() or not (ch.isalnum() or ch in "-_") for ch in key):
        return " (a comma ends an unquoted text in {...}: quote the text)"
    return ""


def validate(doc: Document) -> None:
    """Raise :class:`SpecError` listing every way ``doc`` breaks the IDL schema: the spec with the enums
    and classes of the files it includes, each file's own keys against ``includedSpec``."""
    checker = _Validator(doc)
    if not isinstance(doc.data, dict):
        checker.fail((), f"a spec must be a mapping, not {_describe(doc.data)}")
    else:
        checker.check(doc.data, checker.root, (), "the spec")
    problems = checker.problems
    for part in doc.included:
        if isinstance(part.data, dict):  # else the loader said so
            sub = _Validator(part)
            sub.check(part.data, _included_keys(), (), "an included file")
            problems += sub.problems
    if problems:
        raise SpecError(problems)


@cache
def _included_keys() -> Schema:
    """``includedSpec`` with its enums and classes checked as mappings only (the spec they join checks
    them in full)."""
    included: Schema = idl_schema()["$defs"]["includedSpec"]
    shallow = {key: {"type": "object"} if key in MERGED else value for key, value in included["properties"].items()}
    return {**included, "properties": shallow}
