"""Stage 1: read a spec file into plain data plus the position of every node.

pyyaml's own loaders forget positions and silently keep the last of duplicate keys; this
stage composes the node graph and converts it itself, so that every later stage can say
``file:line:col`` and duplicate keys are an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Position, SpecError, SpecProblem, describe_path
from .source import read_spec

Path = tuple[str | int, ...]

#: Most values a spec may hold once aliases are expanded.
MAX_NODES = 1_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
_DEEP_INDENT = re.compile(r"(?:\A|[\r\n\x85\u2028\u2029])[ \t?:-]{200,}")


@dataclass
class Document:
    """A loaded spec: its data, and where each path's value (and each mapping key) starts."""

    file: str
    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> Position:
        """Position of the value at ``path`` (or of its key), else of the nearest parent."""
        table = self.keys if key else self.values
        probe = path
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.values
        return table.get(probe, Position(self.file, 1, 1))


def _position(file: str, mark: yaml.Mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


#: Plain keys pyyaml (YAML 1.1) reads as booleans and YAML 1.2 as strings: a spec names things with them
#: (a field ``on``), so they stay the words they are; ``true`` and ``false`` remain booleans, an error.
_YAML11_WORDS = frozenset({"on", "off", "yes", "no"})
_SCALARS = yaml.SafeLoader  # resolves scalar tags (int, float, bool, null) the safe way


def _flow_depth(text: str) -> int:
    """How deep brackets nest in ``text`` (quotes ignored: an estimate, to pick a composer)."""
    depth = deepest = 0
    for char in _BRACKETS.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


_BRACKETS = re.compile(r"[^\[\]{}]+")


def load_text(text: str, file: str) -> Document:
    """Parse ``text`` (named ``file`` in messages) into a :class:`Document`."""
    # libyaml's composer keeps positions too and is far faster; on deep nesting it would overflow
    # the C stack, where the pure-Python one stops with an error
    deep = _flow_depth(text) > 200 or _DEEP_INDENT.search(text)
    root: yaml.Node | None = None
    if not deep and hasattr(yaml, "CSafeLoader"):
        try:
            root = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            deep = True  # the pure-Python composer says what is wrong, in pyyaml's words
    try:
        if root is None and (deep or not hasattr(yaml, "CSafeLoader")):
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _position(file, mark) if mark else Position(file, 1, 1)
        raise SpecError([SpecProblem(where, f"YAML syntax error: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecProblem(Position(file, 1, 1), f"YAML error: {exc}")]) from None
    except RecursionError:
        raise SpecError([SpecProblem(Position(file, 1, 1), "nesting deeper than 100 levels")]) from None
    doc = Document(file, None)
    problems: list[SpecProblem] = []
    constructor = yaml.SafeLoader("")
    budget = [MAX_NODES]

    def scalar(node: yaml.ScalarNode, path: Path) -> Any:
        try:
            # most scalars of a spec are strings: taken as they are, the constructor is not needed
            value = node.value if node.tag == _STR_TAG else constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            problems.append(SpecProblem(_position(file, node.start_mark), f"cannot read this value: {exc.problem}"))
            return None
        if isinstance(value, str) and _SURROGATE.search(value):
            bad = _SURROGATE.search(value).group()  # type: ignore[union-attr]
            shown = bad.encode("unicode_escape").decode("ascii")
            problems.append(
                SpecProblem(
                    _position(file, node.start_mark),
                    f'{describe_path(path)} holds "{shown}", a lone surrogate that UTF-8 cannot encode',
                )
            )
        return value

    def convert(node: yaml.Node, path: Path, depth: int) -> Any:
        doc.values[path] = _position(file, node.start_mark)
        budget[0] -= 1
        if budget[0] == 0:
            problems.append(SpecProblem(doc.values[path], f"more than {MAX_NODES} values (aliases expanding without bound?)"))
        if depth > 100 or budget[0] <= 0:
            if depth > 100:
                problems.append(SpecProblem(doc.values[path], "nesting deeper than 100 levels"))
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                where = _position(file, key_node.start_mark)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    problems.append(SpecProblem(where, "merge keys (<<) are not supported"))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(SpecProblem(where, "a mapping key must be a string"))
                    continue
                raw = scalar(key_node, path)
                if isinstance(raw, bool) and not key_node.style and key_node.value.lower() in _YAML11_WORDS:
                    raw = key_node.value  # on, off, yes, no: a YAML 1.1 boolean, a word in YAML 1.2 and here
                if not isinstance(raw, str):
                    kind = "boolean" if isinstance(raw, bool) else "null" if raw is None else type(raw).__name__
                    shown = json.dumps(raw) if raw is None or isinstance(raw, bool) else str(raw)
                    problems.append(
                        SpecProblem(
                            where,
                            f'YAML reads the key {key_node.value} as the {kind} {shown}: quote it ("{key_node.value}") '
                            "to use it as a name",
                        )
                    )
                    continue
                key = raw
                if key in out:
                    first = doc.keys[(*path, key)]
                    problems.append(SpecProblem(where, f'duplicate key "{key}" (first defined at line {first.line})'))
                    continue
                doc.keys[(*path, key)] = where
                out[key] = convert(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return scalar(node, path)

    doc.data = convert(root, (), 0) if root is not None else None
    if problems:
        raise SpecError(problems)
    return doc


def load_file(path: str, display: str | None = None) -> Document:
    """Read and parse a spec file; ``display`` is the name used in messages (see ``source.read_spec``:
    only a regular file of at most 50 MB is read)."""
    name = display or path
    return load_bytes(read_spec(path, name), name)


def load_bytes(data: bytes, display: str) -> Document:
    """Parse the bytes of a spec file (UTF-8) named ``display`` in messages."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        where = Position(display, line, col)
        raise SpecError([SpecProblem(where, f"cannot read the spec: byte 0x{data[exc.start]:02x} is not UTF-8")]) from None
    return load_text(text, display)
