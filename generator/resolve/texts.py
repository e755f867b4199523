"""Step: the languages of the spec (``package.languages``, default ``[en]``) and every text in them.

Each text of the spec (a description, a title, a changelog entry...) must carry exactly the
declared languages: a missing one and an undeclared one are problems, at the text. The texts are
found where the IDL's own schema says a text goes (``$ref: #/$defs/text``), so a new key of the
IDL that holds a text is checked without a change here.
"""

from __future__ import annotations

from typing import Any

from ..errors import describe_path
from ..spec.loader import Path
from ..spec.validate import idl_schema
from .context import Resolution
from .naming import first

Schema = dict[str, Any]
_TEXT = "#/$defs/text"


def run(res: Resolution) -> None:
    declared = res.spec["package"].get("languages", ["en"])  # never empty: the IDL's schema says so
    seen: set[str] = set()
    for i, lang in enumerate(declared):
        if lang in seen:
            res.fail(("package", "languages", i), f'"languages" of "package" lists "{lang}" twice')
        seen.add(lang)
        res.check_name(("package", "languages", i), first([r.language(lang) for r in res.all_rules]), key=False)
    res.languages = tuple(dict.fromkeys(declared))
    schema = idl_schema()
    for path, text in _texts(res.spec, schema, schema, ()):
        _check(res, path, text)


def _check(res: Resolution, path: Path, text: dict[str, str]) -> None:
    listed = ", ".join(res.languages)
    for lang in res.languages:
        if lang not in text:
            res.fail(path, f'{describe_path(path)} has no "{lang}" text (package.languages: {listed})')
    for lang in text:
        if lang not in res.languages:
            res.fail((*path, lang), f'{describe_path(path)} has a "{lang}" text, but package.languages declares {listed} only', key=True)


def _texts(value: Any, schema: Schema, root: Schema, path: Path) -> list[tuple[Path, dict[str, str]]]:
    """Every text in ``value`` (which ``schema`` describes), with its path."""
    if schema.get("$ref") == _TEXT:
        return [(path, value)] if isinstance(value, dict) else []
    schema = _resolve(schema, root)
    if "anyOf" in schema:  # true or a text (deprecated): a mapping is the text
        texts = [o for o in schema["anyOf"] if o.get("$ref") == _TEXT]
        return [(path, value)] if texts and isinstance(value, dict) else []
    found: list[tuple[Path, dict[str, str]]] = []
    if isinstance(value, dict):
        props: dict[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = props.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                found += _texts(item, sub, root, (*path, key))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            found += _texts(item, schema["items"], root, (*path, i))
    return found


def _resolve(schema: Schema, root: Schema) -> Schema:
    while "$ref" in schema and schema["$ref"] != _TEXT:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema
