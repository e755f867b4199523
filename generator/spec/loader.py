"""Stage 1: read a spec file into plain data plus the position of every node.

pyyaml's own loaders forget positions and silently keep the last of duplicate keys; this
stage composes the node graph and converts it itself, so that every later stage can say
``file:line:col`` and duplicate keys are an error.

A spec may include other files (``include: [common.yaml]``, relative to it): each is read once,
and its enums and classes join the spec's, after the spec's own, each keeping the positions of its
own file. A missing file, a cycle of includes and a name defined in two files are problems where
they are said.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Position, SpecError, SpecProblem, describe_path
from .reading import bad_character, decode, number_problem
from .source import read_spec

Path = tuple[str | int, ...]

#: Most values a spec may hold once aliases are expanded.
MAX_NODES = 1_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
_DEEP_INDENT = re.compile(r"(?:\A|[\r\n\x85\u2028\u2029])[ \t?:-]{200,}")


#: The parts of a spec that included files add to: their names are the spec's too.
MERGED = ("enums", "classes")


@dataclass
class Document:
    """A loaded spec: its data, and where each path's value (and each mapping key) starts.

    ``location`` is where it was read from (``file`` names it in messages), ``digest`` the hash of
    its bytes. A spec that includes files has them in ``included`` (each once, in the order first
    included, as read: their own data and positions), their enums and classes merged into ``data``
    and their positions into ``values`` and ``keys``.
    """

    file: str
    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    location: str = ""
    digest: str = ""
    included: list[Document] = field(default_factory=list)
    #: The hand-written modules of ``package.modules``, as read (see :func:`attach`).
    modules: list[Module] = field(default_factory=list)

    def where(self, path: Path, *, key: bool = False) -> Position:
        """Position of the value at ``path`` (or of its key), else of the nearest parent."""
        table = self.keys if key else self.values
        probe = path
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.values
        return table.get(probe, Position(self.file, 1, 1))


@dataclass(frozen=True)
class Module:
    """A hand-written Python file that ``package.modules`` ships in the generated package as ``name``:
    its name in messages (``file``), where it was read from, its text and the hash of its bytes."""

    name: str
    file: str
    location: str
    text: str
    digest: str


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


class Files:
    """Where the files a spec includes are read from: the file system, relative to the including file
    (a diff reads them from a git revision instead: ``generator.diff.sides``)."""

    def place(self, parent: Document, path: str) -> tuple[str, str]:
        """The location of the file ``path`` that ``parent`` includes, and its name in messages."""
        location = os.path.normpath(os.path.join(os.path.dirname(parent.location), path))
        return location, posixpath.normpath(posixpath.join(posixpath.dirname(parent.file), path))

    def read(self, location: str, display: str) -> bytes:
        """The bytes of an included file (SpecError when it cannot be read)."""
        return read_spec(location, display)

    def identity(self, location: str) -> str:
        """What the file at ``location`` is, whatever path leads to it: its real path (a file reached
        through a symbolic link is the file it links to), so that it is read once and a cycle is seen."""
        return os.path.realpath(location)


def load_text(text: str, file: str, *, location: str | None = None, files: Files | None = None) -> Document:
    """Parse ``text`` (named ``file`` in messages, read from ``location``: by default ``file``) into a
    :class:`Document`, with the files it includes (read by ``files``)."""
    doc = parse_text(text, file)
    doc.location = location if location is not None else file
    doc.digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return attach(include(doc, files or Files()), files or Files())


def parse_text(text: str, file: str) -> Document:
    """Parse ``text`` (named ``file`` in messages) into a :class:`Document`: one file, its includes not read."""
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
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: pyyaml tells its index
        raise SpecError([bad_character(text, file, exc.position)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecProblem(Position(file, 1, 1), f"YAML error: {exc}")]) from None
    except RecursionError:
        raise SpecError([SpecProblem(Position(file, 1, 1), "nesting deeper than 100 levels")]) from None
    doc = Document(file, None)
    problems: list[SpecProblem] = []
    constructor = yaml.SafeLoader("")
    budget = [MAX_NODES]

    def scalar(node: yaml.ScalarNode, path: Path, *, key: bool = False) -> Any:
        try:
            # most scalars of a spec are strings: taken as they are, the constructor is not needed
            value = node.value if node.tag == _STR_TAG else constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            problems.append(SpecProblem(_position(file, node.start_mark), f"cannot read this value: {exc.problem}"))
            return None
        except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits())
            problems.append(
                SpecProblem(_position(file, node.start_mark), f"an integer of {len(node.value):,} characters: too long")
            )
            return None
        wrong = number_problem(node, value) if not key else ""
        if wrong:
            problems.append(SpecProblem(_position(file, node.start_mark), wrong))
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
                raw = scalar(key_node, path, key=True)
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
    """Read and parse a spec file and the files it includes; ``display`` is the name used in messages
    (see ``source.read_spec``: only a regular file of at most 50 MB is read)."""
    name = display or path
    return load_bytes(read_spec(path, name), name, location=path)


def load_bytes(data: bytes, display: str, *, location: str | None = None, files: Files | None = None) -> Document:
    """Parse the bytes of a spec file (UTF-8) named ``display`` in messages, read from ``location``
    (by default ``display``), and the files it includes."""
    doc = parse_bytes(data, display)
    doc.location = location if location is not None else display
    doc.digest = hashlib.sha256(data).hexdigest()
    return attach(include(doc, files or Files()), files or Files())


def parse_bytes(data: bytes, display: str) -> Document:
    """Parse the bytes of one file (UTF-8), its includes not read."""
    return parse_text(decode(data, display), display)


# -- includes ----------------------------------------------------------------------------------------


def include(doc: Document, files: Files) -> Document:
    """``doc`` with the files it includes (and those include, each once) merged in; raises SpecError
    with every problem of the includes (a file that cannot be read, a cycle, a name in two files)."""
    if not isinstance(doc.data, dict) or "include" not in doc.data:
        return doc
    problems: list[SpecProblem] = []
    read: dict[str, Document] = {}
    order: list[Document] = []

    def visit(parent: Document, trail: list[tuple[Document, str]]) -> None:
        listed = parent.data.get("include") if isinstance(parent.data, dict) else None
        if not isinstance(listed, list):
            return  # not a list: the IDL schema says so
        for i, path in enumerate(listed):
            if not isinstance(path, str) or not path:
                continue  # the IDL schema says so
            at = parent.where(("include", i))
            if os.path.isabs(path) or posixpath.isabs(path):
                problems.append(SpecProblem(at, f'include "{path}": a path relative to this file, not an absolute path'))
                continue
            location, display = files.place(parent, path)
            identity = files.identity(location)
            chain = [known for _, known in trail]
            if identity in chain:
                cycle = " → ".join([*(d.file for d, _ in trail[chain.index(identity) :]), display])
                problems.append(SpecProblem(at, f"include cycle: {cycle}"))
                continue
            if identity in read:
                continue  # included already (by another file too, or by another path to it): read once
            try:
                data = files.read(location, display)
                part = parse_bytes(data, display)
            except SpecError as exc:
                problems.extend(_at_include(exc.problems, display, path, at))
                continue
            part.location, part.digest = location, hashlib.sha256(data).hexdigest()
            read[identity] = part
            order.append(part)
            if not isinstance(part.data, dict):
                problems.append(SpecProblem(part.where(()), f"an included file must be a mapping, not {_kind(part.data)}"))
                continue
            visit(part, [*trail, (part, identity)])

    visit(doc, [(doc, files.identity(doc.location))])
    merged = _merge(doc, order, problems)
    if problems:
        raise SpecError(problems)
    return merged


def included_files(path: str) -> list[str]:
    """The files the spec file ``path`` includes, and those include, as far as they read, and the modules
    it ships (no error: what ``watch`` watches beside the spec; a file that does not parse is listed, not
    followed)."""
    found: list[str] = []
    todo = [path]
    while todo:
        current = todo.pop(0)
        try:
            data = yaml.load(read_spec(current), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (SpecError, yaml.YAMLError, RecursionError):
            continue
        listed = data.get("include") if isinstance(data, dict) else None
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, str) and item and not os.path.isabs(item):
                location = os.path.normpath(os.path.join(os.path.dirname(current), item))
                if location not in found and location != os.path.normpath(path):
                    found.append(location)
                    todo.append(location)
        if current == path:  # the modules a spec ships are read beside it too
            for _, module in _listed_modules(data):
                location = os.path.normpath(os.path.join(os.path.dirname(current), module))
                if not os.path.isabs(module) and location not in found:
                    found.append(location)
    return found


def _listed_modules(data: Any) -> list[tuple[str, str]]:
    """The (name, path) entries of ``package.modules`` that name Python files (the IDL schema tells the others)."""
    package = data.get("package") if isinstance(data, dict) else None
    listed = package.get("modules") if isinstance(package, dict) else None
    if not isinstance(listed, dict):
        return []
    return [(name, path) for name, path in listed.items() if isinstance(name, str) and isinstance(path, str) and path.endswith(".py")]


def attach(doc: Document, files: Files) -> Document:
    """``doc`` with the modules of its ``package.modules`` read (by ``files``, relative to the spec);
    raises SpecError when one cannot be read, told at its entry."""
    problems: list[SpecProblem] = []
    for name, path in _listed_modules(doc.data):
        at = doc.where(("package", "modules", name))
        if os.path.isabs(path) or posixpath.isabs(path):
            problems.append(SpecProblem(at, f'module "{name}": a path relative to this file, not an absolute path'))
            continue
        location, display = files.place(doc, path)
        try:
            data = files.read(location, display)
        except SpecError as exc:
            reason = exc.problems[0].message.removeprefix("cannot read the spec: ")
            problems.append(SpecProblem(at, f'module "{name}": cannot read {display}: {reason}'))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(SpecProblem(at, f'module "{name}": {display} is not UTF-8 (byte {exc.start})'))
            continue
        doc.modules.append(Module(name, display, location, text, hashlib.sha256(data).hexdigest()))
    if problems:
        raise SpecError(problems)
    return doc


def _at_include(problems: list[SpecProblem], display: str, path: str, at: Position) -> list[SpecProblem]:
    """The problems of reading an included file: one that cannot be read is told at the include."""
    out: list[SpecProblem] = []
    for problem in problems:
        if problem.where == Position(display, 1, 1) and problem.message.startswith("cannot read the spec: "):
            why = problem.message.removeprefix("cannot read the spec: ")
            out.append(SpecProblem(at, f'cannot include "{path}" ({display}): {why}'))
        else:
            out.append(problem)
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def _merge(doc: Document, parts: list[Document], problems: list[SpecProblem]) -> Document:
    """One document of the spec and the files it includes: their enums and classes, each file's after
    the spec's own (a name defined twice is a problem at both definitions)."""
    data = dict(doc.data)
    merged = Document(doc.file, data, dict(doc.values), dict(doc.keys), doc.location, doc.digest, parts)
    for section in MERGED:
        if isinstance(doc.data.get(section), dict):
            data[section] = dict(doc.data[section])
    for part in parts:
        if not isinstance(part.data, dict):
            continue
        twice: set[tuple[str | int, ...]] = set()
        for section in MERGED:
            entries = part.data.get(section)
            if not isinstance(entries, dict):
                continue  # the IDL schema says what is wrong
            into = data.setdefault(section, {})
            if not isinstance(into, dict):
                continue
            what = {"enums": "enum", "classes": "class"}[section]
            for name, value in entries.items():
                here = part.keys[(section, name)]
                if name in into:
                    there = merged.keys[(section, name)]
                    problems.append(SpecProblem(here, f'{what} "{name}" is defined in two files: here and at {there}'))
                    problems.append(SpecProblem(there, f'{what} "{name}" is defined in two files: here and at {here}'))
                    twice.add((section, name))
                    continue
                into[name] = value
        for table, into_table in ((part.values, merged.values), (part.keys, merged.keys)):
            for path, position in table.items():
                if len(path) >= 2 and path[0] in MERGED and path[:2] not in twice:
                    into_table[path] = position
    return merged
