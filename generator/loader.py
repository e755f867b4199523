"""Stage 1: read a spec file into plain data plus the position of every node.

pyyaml's own loaders forget positions and silently keep the last of duplicate keys; this
stage composes the node graph and converts it itself, so that every later stage can say
``file:line:col`` and duplicate keys are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Position, SpecError, SpecProblem

Path = tuple[str | int, ...]


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


_SCALARS = yaml.SafeLoader  # resolves scalar tags (int, float, bool, null) the safe way


def load_text(text: str, file: str) -> Document:
    """Parse ``text`` (named ``file`` in messages) into a :class:`Document`."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _position(file, mark) if mark else Position(file, 1, 1)
        raise SpecError([SpecProblem(where, f"YAML syntax error: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecProblem(Position(file, 1, 1), f"YAML error: {exc}")]) from None
    doc = Document(file, None)
    problems: list[SpecProblem] = []
    constructor = yaml.SafeLoader("")

    def convert(node: yaml.Node, path: Path, depth: int) -> Any:
        doc.values[path] = _position(file, node.start_mark)
        if depth > 100:
            problems.append(SpecProblem(doc.values[path], "nesting deeper than 100 levels"))
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(SpecProblem(_position(file, key_node.start_mark), "a mapping key must be a string"))
                    continue
                key = str(constructor.construct_object(key_node))
                if key_node.tag == "tag:yaml.org,2002:merge":
                    problems.append(SpecProblem(_position(file, key_node.start_mark), "merge keys (<<) are not supported"))
                    continue
                if key in out:
                    first = doc.keys[(*path, key)]
                    problems.append(
                        SpecProblem(
                            _position(file, key_node.start_mark),
                            f'duplicate key "{key}" (first defined at line {first.line})',
                        )
                    )
                    continue
                doc.keys[(*path, key)] = _position(file, key_node.start_mark)
                out[key] = convert(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            problems.append(SpecProblem(doc.values[path], f"cannot read this value: {exc.problem}"))
            return None

    doc.data = convert(root, (), 0) if root is not None else None
    if problems:
        raise SpecError(problems)
    return doc


def load_file(path: str, display: str | None = None) -> Document:
    """Read and parse a spec file; ``display`` is the name used in messages."""
    name = display or path
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([SpecProblem(Position(name, 1, 1), f"cannot read the spec: {exc}")]) from None
    return load_text(text, name)
