"""YAML in and out for the generated package: reading text in the encodings YAML allows, safe
parsing with a position for every problem, and safe dumping of what reads back.

Imported on first use by the package's load function and ``dump`` methods.

How documents are read, beyond pyyaml's safe loader (libyaml's when present):

- a file is UTF-8, or UTF-16 or UTF-32 that starts with a byte-order mark; other bytes are a
  problem at their line and column;
- a mapping key written ``on``, ``off``, ``yes`` or ``no`` (plain, in any case YAML 1.1 reads as
  a boolean) is that string, as YAML 1.2 reads it: values keep YAML 1.1's meaning;
- a key given twice in a mapping is a problem at its second place, naming the first (a key a
  merge ``<<`` brings in may be given again: that is what merging is for);
- an integer too long for Python to print (``sys.get_int_max_str_digits()``), a scalar its tag
  cannot hold (``2001-13-45``, ``!!int x``), a character YAML does not allow: problems at their
  place, like every other; syntax errors say what is wrong in plain words.
"""

from __future__ import annotations

import codecs
import datetime
import io
import math
import os
import re
import secrets
import sys
from collections.abc import Callable, Hashable, Mapping
from typing import IO, Any, TypeVar

import yaml

from ._runtime import (
    DocumentError,
    Invalid,
    PathKey,
    Problem,
    as_written,
    describe,
    in_data_order,
    key_text,
    shown,
)

try:  # libyaml's parser and emitter when present: same results, several times faster
    from yaml import CSafeDumper as _SafeDumper
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

T = TypeVar("T")

#: Most values a document may expand to through anchors and aliases.
MAX_EXPANDED_NODES = 100_000
#: Deepest nesting of mappings and lists a document may have.
MAX_DEPTH = 100
#: A line that starts with MAX_DEPTH / 2 or more spaces or block indicators (``- - - x`` nests a
#: level per indicator): the only way block nesting gets deep. Any YAML line break counts; the
#: search for "\n" alone is four times faster, so the others are looked for only when present.
_INDENT = "[ \t?:-]{" + str(MAX_DEPTH // 2 - 1) + ",}"
_DEEP_FIRST_LINE = re.compile(_INDENT)
_DEEP_INDENT = re.compile("\n" + _INDENT)
_DEEP_INDENT_ANY_BREAK = re.compile("[\r\n\x85\u2028\u2029]" + _INDENT)
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
#: A line break, as YAML counts lines.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: A character YAML does not allow in a document (outside an escape of a double-quoted string).
_FORBIDDEN = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
#: What pyyaml's composer says of a second document where one was expected.
_SEVERAL = "expected a single document in the stream"
#: The plain scalars YAML 1.1 reads as booleans and YAML 1.2 as strings (``true``/``false`` are
#: booleans in both): as mapping keys, they are strings.
_YAML11_BOOLEAN_KEYS = frozenset(
    spelling
    for word in ("yes", "no", "on", "off")
    for spelling in (word, word.capitalize(), word.upper())
)
#: An anchor followed by a tag, where a key starts (``&a !!bool on: x``).
_ANCHORED_TAG = re.compile(r"&\S+[ \t]+!")
#: Integers with more bits than this may have too many digits to print (Python's limit is at
#: least 640 digits, about 2,126 bits): those are checked.
_CHECKED_BITS = 2000


# -- text in -------------------------------------------------------------------------------

#: Byte-order marks and the codecs they call for (UTF-32's first: it starts as UTF-16's does).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: How a message names the encodings YAML allows (by the start of their codecs' names).
_LABELS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}


def read_source(source: str | os.PathLike[str] | IO[str]) -> tuple[str, str]:
    """The text of a document and the name to show in messages.

    A path is read as bytes and decoded as YAML allows (:func:`decode`); a stream is read as it
    is (a binary stream is decoded as a file is).

    Raises:
        DocumentError: the bytes are not text YAML reads (at their line and column).
        OSError: the file cannot be read.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        with open(source, "rb") as handle:
            return decode(handle.read(), name), name
    if not hasattr(source, "read"):
        raise TypeError(
            f"expected a path or an open text stream, not {type(source).__name__}"
        )
    name = str(getattr(source, "name", "<stream>"))
    try:
        text = source.read()
    except UnicodeDecodeError as exc:  # a text stream opened with another encoding
        raise DocumentError([_undecodable(exc, exc.encoding, name, "stream")]) from None
    if isinstance(text, bytes):
        text = decode(text, name)
    return text, name


def decode(data: bytes, name: str) -> str:
    """The text of a file: UTF-8, or UTF-16 or UTF-32 that starts with a byte-order mark (the
    encodings YAML allows; without a mark, YAML text is UTF-8).

    Raises:
        DocumentError: the bytes are none of these (with the line, column and byte offset).
    """
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), "")
    if not codec:
        codec = "utf-8"
        guess = _unmarked_wide(data)
        if guess:
            raise DocumentError(
                [
                    Problem(
                        (),
                        "UTF-8 text (or UTF-16 or UTF-32 that starts with a byte-order mark)",
                        f"what looks like {guess} without a byte-order mark: save the file as UTF-8",
                        1,
                        1,
                        name,
                    )
                ]
            )
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DocumentError([_undecodable(exc, codec, name, "file")]) from None


def _unmarked_wide(data: bytes) -> str:
    """The encoding the first bytes of ``data`` look like when they are UTF-16 or UTF-32 without
    a byte-order mark (YAML text starts with an ASCII character: its zero bytes tell), else ''.
    """
    if len(data) >= 4 and data[:3] == b"\0\0\0":
        return "UTF-32 (big-endian)"
    if len(data) >= 4 and data[1:4] == b"\0\0\0":
        return "UTF-32 (little-endian)"
    if len(data) >= 2 and data[0] == 0:
        return "UTF-16 (big-endian)"
    if len(data) >= 2 and data[1] == 0:
        return "UTF-16 (little-endian)"
    return ""


def _undecodable(
    exc: UnicodeDecodeError, codec: str, name: str, source: str
) -> Problem:
    """The problem of bytes that do not decode: where they are, and which byte."""
    normal = codecs.lookup(codec).name  # such as utf-8, utf-16-le, latin-1
    label = next((v for k, v in _LABELS.items() if normal.startswith(k)), normal)
    before = exc.object[: exc.start].decode(codec, errors="replace")
    line, column = _line_column(before, len(before))
    return Problem(
        (),
        f"{label} text",
        f"the byte 0x{exc.object[exc.start]:02x} (byte {exc.start} of the {source}), which is not {label}"
        " (is the file in another encoding? save it as UTF-8)",
        line,
        column,
        name,
    )


def _line_column(text: str, index: int) -> tuple[int, int]:
    """The line and column (from 1) of ``text[index]``, as YAML counts lines."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _bad_character(text: str, name: str) -> Problem | None:
    """The problem of the first character of ``text`` that YAML does not allow, if any."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        what = f"the lone surrogate U+{code:04X} (half of a UTF-16 pair: no character)"
    elif code in (0xFFFE, 0xFFFF):
        what = f"the noncharacter U+{code:04X}"
    else:
        what = f"the control character U+{code:04X}"
    line, column = _line_column(text, match.start())
    return Problem(
        (),
        'a character YAML allows (write others as escapes in a double-quoted string, such as "\\x00")',
        what,
        line,
        column,
        name,
    )


# -- limits on hostile documents -----------------------------------------------------------


def _expanded_size(
    node: yaml.Node, memo: dict[int, int], depth: int, shared: list[bool]
) -> int:
    if depth > MAX_DEPTH:
        raise _TooDeep
    known = memo.get(id(node))
    if known is not None:
        shared[0] = True
        return known
    size = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo, depth + 1, shared) + _expanded_size(
                value, memo, depth + 1, shared
            )
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo, depth + 1, shared)
    memo[id(node)] = size
    return size


class _TooDeep(Exception):
    pass


class _TooLarge(Exception):
    pass


def _deeply_indented(text: str) -> bool:
    if _DEEP_FIRST_LINE.match(text):
        return True
    if any(brk in text for brk in _OTHER_BREAKS):
        return _DEEP_INDENT_ANY_BREAK.search(text) is not None
    return _DEEP_INDENT.search(text) is not None


def _check_depth(text: str) -> None:
    """Raise _TooDeep when ``text`` nests deeper than MAX_DEPTH.

    Counted on the parser's events, which libyaml makes without recursion: composing nodes
    recurses, and on deep nesting libyaml's composer would overflow the C stack.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        kind = event.__class__
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1


def _too_deep(name: str | None = None) -> Problem:
    return Problem(
        (),
        f"a document nested at most {MAX_DEPTH} levels deep",
        "deeper nesting",
        source=name,
    )


def _too_large(name: str | None = None) -> Problem:
    return Problem(
        (),
        f"a document of at most {MAX_EXPANDED_NODES:,} values once aliases are expanded",
        "more (alias expansion)",
        source=name,
    )


def _hostile(text: str, name: str) -> None:
    """Reject documents whose aliases expand without bound, or that nest deeper than MAX_DEPTH.

    Only documents that could be hostile pay for this check: it runs when the text has a ``*``
    (maybe an alias), many brackets or a deeply indented line. A document with neither nests
    less than MAX_DEPTH levels, so libyaml's composer (which recurses) is safe to run on it.
    """
    if (
        "*" not in text
        and text.count("[") + text.count("{") < MAX_DEPTH // 2
        and not _deeply_indented(text)
    ):
        return
    try:
        _check_depth(text)
        if "*" in text:  # nesting is bounded now: libyaml's composer is safe to run
            for node in yaml.compose_all(text, Loader=_SafeLoader):
                shared = [False]
                # linear: each node is counted once; only aliases make a document larger
                if (
                    node is not None
                    and _expanded_size(node, {}, 0, shared) > MAX_EXPANDED_NODES
                    and shared[0]
                ):
                    raise _TooLarge
    except (_TooDeep, RecursionError):
        raise DocumentError([_too_deep(name)]) from None
    except _TooLarge:
        raise DocumentError([_too_large(name)]) from None
    except (yaml.YAMLError, ValueError, IndexError, UnicodeEncodeError):
        return  # the parse reports it, with its position


# -- parsing -------------------------------------------------------------------------------


class _Unusual(Exception):
    """A document the direct builder leaves to pyyaml's constructor: a merge key, an explicit
    tag of a collection, a key that is a collection..."""


class _Bad:
    """The value of a scalar that is a problem (unique: it is no key's duplicate)."""


#: A problem met while building a document: its node, what was expected and found, and whether
#: it is a key (located by the node; its path is found once the document is built).
_Issue = tuple[yaml.Node, str, str, bool]


class _Loader(_SafeLoader):
    """pyyaml's safe loader with this package's rules (see the module's docstring).

    It composes the nodes; :func:`_build` makes most documents of them directly, and the others
    (merge keys, aliases, explicit tags of collections) are built by pyyaml's constructor,
    which the methods below hold to the same rules. Problems go to ``issues``.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text
        self.issues: list[_Issue] = []
        #: Each mapping node's number of keys as written (before merge keys are flattened).
        self.written: dict[int, int] = {}

    # -- the rules, shared with _build

    def key_is_text(self, node: yaml.ScalarNode) -> bool:
        """Whether a key pyyaml reads as a boolean is a YAML 1.1 boolean that YAML 1.2 reads as
        a string (``on``...), written without a tag."""
        if node.value not in _YAML11_BOOLEAN_KEYS:
            return False
        at = node.start_mark.index
        first = self.text[at : at + 1]
        return first != "!" and not (
            first == "&" and _ANCHORED_TAG.match(self.text, at)
        )

    def scalar(
        self, node: yaml.ScalarNode, build: Callable[[Any, Any], object]
    ) -> object:
        """A scalar built by ``build``, or a problem when its tag cannot hold it."""
        try:
            return build(self, node)
        except _CONSTRUCTION_ERRORS as exc:
            return self.bad_scalar(node, exc)

    def bad_scalar(self, node: yaml.ScalarNode, exc: Exception) -> object:
        tag = _tag_name(node.tag)
        if node.tag == _INT and "integer string conversion" in str(exc):
            digits = sum(ch.isdigit() for ch in node.value)
            return self.too_long(node, f"an integer of {digits:,} digits")
        if node.tag == _TIMESTAMP:
            expected = "a valid date or time (quote a value that only looks like one)"
        else:
            expected = f"a value the tag {tag} can hold"
        found = shown(node.value) if node.value else "no value"
        if isinstance(exc, ValueError) and node.tag == _TIMESTAMP:
            found += f" ({exc})"  # such as "month must be in 1..12"
        self.issues.append((node, expected, found, False))
        return _Bad()

    def too_long(self, node: yaml.Node, found: str) -> object:
        limit = sys.get_int_max_str_digits()
        self.issues.append(
            (
                node,
                f"an integer of at most {limit:,} digits, Python's limit (quote a longer number to read it as a string)",
                found,
                False,
            )
        )
        return _Bad()

    def duplicate(self, pairs: list[Any], key_node: yaml.Node, key: object) -> None:
        """Report ``key_node``, a key of a mapping written as ``pairs`` that an earlier key gave."""
        first = next(
            k
            for k, _ in pairs
            if k.__class__ is yaml.ScalarNode and _same_key(self, k, key)
        )
        at = f"line {first.start_mark.line + 1}, column {first.start_mark.column + 1}"
        same = (
            f"first given at {at}"
            if first.value == key_node.value
            else f"the same key to Python as {shown(first.value)} at {at}"
        )
        self.issues.append(
            (
                key_node,
                f"each key once in a mapping (this one is {same})",
                "it again",
                True,
            )
        )

    # -- pyyaml's constructor, held to the rules

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.__class__ is not yaml.ScalarNode:
            return super().construct_object(node, deep)
        try:
            return super().construct_object(node, deep)
        except _CONSTRUCTION_ERRORS as exc:
            self.recursive_objects.pop(node, None)
            return self.bad_scalar(node, exc)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        self.written.setdefault(
            id(node), sum(1 for key, _ in node.value if key.tag != _MERGE)
        )
        super().flatten_mapping(node)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"expected a mapping node, but found {getattr(node, 'id', 'node')}",
                node.start_mark,
            )
        self.flatten_mapping(node)
        merged = (
            len(node.value) - self.written[id(node)]
        )  # the pairs merge keys brought in
        mapping: dict[Any, Any] = {}
        written: set[object] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if (
                key_node.__class__ is yaml.ScalarNode
                and key_node.tag == _BOOL
                and self.key_is_text(key_node)
            ):
                key = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            if index >= merged:
                if key in written:
                    self.duplicate(node.value[merged:], key_node, key)
                written.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_checked_int(self, node: yaml.ScalarNode) -> object:
        value: int = yaml.constructor.SafeConstructor.construct_yaml_int(self, node)
        if value.bit_length() > _CHECKED_BITS and not _printable(value):
            digits = int(value.bit_length() * math.log10(2)) + 1
            return self.too_long(node, f"an integer of about {digits:,} digits")
        return value

    def construct_kept_timestamp(self, node: yaml.ScalarNode) -> datetime.date:
        """A timestamp that keeps its text: dump writes it as it was written."""
        value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        return as_written(value, node.value)


_Loader.add_constructor(_INT, _Loader.construct_checked_int)
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_kept_timestamp)

#: The constructors of scalars, by tag.
_SCALARS: dict[str, Callable[[Any, Any], object]] = {
    f"tag:yaml.org,2002:{name}": _Loader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "binary", "timestamp", "str")
}

#: What pyyaml's constructors raise on a scalar that looks like a date, an int... and is not one.
_CONSTRUCTION_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
)


def _printable(value: int) -> bool:
    try:
        str(value)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return False
    return True


def _same_key(loader: _Loader, node: yaml.ScalarNode, key: object) -> bool:
    if node.tag == _STR or (node.tag == _BOOL and loader.key_is_text(node)):
        return bool(node.value == key)
    build = _SCALARS.get(node.tag)
    try:
        return build is not None and bool(build(loader, node) == key)
    except _CONSTRUCTION_ERRORS:  # a scalar that is a problem itself
        return False


def _tag_name(tag: str) -> str:
    """A tag as a document writes it (``!!int``, not ``tag:yaml.org,2002:int``)."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _build(loader: _Loader, node: Any) -> object:
    """What pyyaml's safe constructor would make of ``node`` (with the package's rules), made
    directly: plain mappings, lists and strings, and other scalars by pyyaml's constructors.
    Raises _Unusual for what it leaves to pyyaml."""
    kind = node.__class__
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        build = _SCALARS.get(node.tag)
        if build is None:
            raise _Unusual
        try:
            return build(loader, node)
        except _CONSTRUCTION_ERRORS as exc:
            return loader.bad_scalar(node, exc)
    if kind is yaml.MappingNode and node.tag == _MAP:
        data: dict[object, object] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode:
                raise _Unusual  # a key that is a mapping or a list
            tag = key_node.tag
            if tag == _STR or (tag == _BOOL and loader.key_is_text(key_node)):
                key: object = key_node.value
            else:
                build = _SCALARS.get(tag)
                if build is None:
                    raise _Unusual  # a merge key (<<), a key with an explicit tag
                key = loader.scalar(key_node, build)
            if key in data:
                loader.duplicate(node.value, key_node, key)
            data[key] = _build(loader, value_node)
        return data
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(loader, item) for item in node.value]
    raise _Unusual


def _document(loader: _Loader, text: str, root: yaml.Node) -> object:
    """The data of one document's nodes. A text with a ``*`` (maybe an alias, whose nodes
    pyyaml shares) goes to pyyaml's constructor, like a document the builder leaves to it.
    """
    if "*" not in text:
        found = len(loader.issues)
        try:
            return _build(loader, root)
        except _Unusual:
            del loader.issues[found:]  # pyyaml's constructor meets them again
    return loader.construct_document(root)


def _safe_load(text: str, name: str = "<string>") -> object:
    """What ``yaml.load(text, Loader=SafeLoader)`` returns, with the package's rules (see the
    module's docstring), built faster; a problem raises a :class:`DocumentError`."""
    ((_, data),) = _parse(text, name, "")
    return data


def _parse(
    text: str, name: str, load_all: str | None
) -> list[tuple[yaml.Node | None, object]]:
    """Each document of ``text`` as (its root node, or None for an empty one; its data).

    ``load_all`` names the function that loads a file of several documents, for the message of
    a second one; None reads every document.
    """
    try:
        loader = _Loader(text)  # libyaml reads UTF-8: it encodes the text first
    except UnicodeEncodeError as exc:  # a lone surrogate
        raise _unreadable(text, name, exc) from None
    try:
        roots: list[yaml.Node | None] = []
        if load_all is not None:
            roots.append(loader.get_single_node())
        else:
            while loader.check_node():
                roots.append(loader.get_node())
        parsed = [
            (root, None if root is None else _document(loader, text, root))
            for root in roots
        ]
    except yaml.MarkedYAMLError as exc:
        raise DocumentError([_syntax_problem(exc, text, name, load_all)]) from None
    except (yaml.reader.ReaderError, UnicodeEncodeError) as exc:
        raise _unreadable(text, name, exc) from None
    except yaml.YAMLError as exc:
        raise DocumentError(
            [Problem((), "valid YAML", str(exc), source=name)]
        ) from None
    except RecursionError:
        raise DocumentError([_too_deep(name)]) from None
    finally:
        loader.dispose()
    if loader.issues:
        raise DocumentError(_issues(loader.issues, parsed, load_all is None, name))
    return parsed


def _unreadable(text: str, name: str, exc: Exception) -> DocumentError:
    """The error of a text with a character YAML does not allow (at its place)."""
    bad = _bad_character(text, name)
    if bad is None:  # pragma: no cover - libyaml refuses no other character
        bad = Problem((), "text YAML can read", str(exc), source=name)
    return DocumentError([bad])


def _issues(
    issues: list[_Issue],
    parsed: list[tuple[yaml.Node | None, object]],
    several: bool,
    name: str,
) -> list[Problem]:
    """The problems of ``issues``, each with its path (starting with its document's index when
    the text has ``several``)."""
    targets = {id(node) for node, *_ in issues}
    paths: dict[int, tuple[PathKey, ...]] = {}
    for index, (root, _) in enumerate(parsed):
        if root is not None:
            _find_paths(root, ((index,) if several else ()), targets, paths)
    problems = []
    for node, expected, found, at_key in issues:
        mark = node.start_mark
        path = paths.get(id(node), ())
        problems.append(
            Problem(path, expected, found, mark.line + 1, mark.column + 1, name, at_key)
        )
    return problems


def _find_paths(
    root: yaml.Node,
    start: tuple[PathKey, ...],
    targets: set[int],
    paths: dict[int, tuple[PathKey, ...]],
) -> None:
    """Put in ``paths`` the path of each node of ``targets`` under ``root`` (a key node's path
    is its key's)."""
    stack: list[tuple[yaml.Node, tuple[PathKey, ...]]] = [(root, start)]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in targets:
            paths.setdefault(id(node), path)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                part = _key_text(key_node)
                if id(key_node) in targets:
                    paths.setdefault(id(key_node), (*path, part))
                stack.append((value_node, (*path, part)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))


def _key_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        return value if len(value) <= 60 else value[:57] + "..."
    return "<a key that is a mapping or a list>"


# -- syntax errors in plain words ----------------------------------------------------------


def _syntax_problem(
    exc: yaml.MarkedYAMLError, text: str, name: str, load_all: str | None
) -> Problem:
    """The problem of a text pyyaml cannot read: what is wrong, in plain words, where."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    expected = "valid YAML"
    if context == _SEVERAL:
        return _at(
            f"one document (use {load_all or 'the load-all function'} to load every document of a file)",
            "a second document",
            mark,
            name,
        )
    where = (
        f"line {opened.line + 1}, column {opened.column + 1}" if opened else "its start"
    )
    word = _word_at(text, mark)
    if problem == "could not find expected ':'":
        mark = opened or mark  # the key that has no ':', not the line after it
        found = f"{_word_at(text, mark)}, a key with no ': ' after it"
    elif problem == "did not find expected key":
        found = (
            f"{word} where a key of the mapping at {where} should be (check its"
            " indentation)"
        )
    elif problem == "did not find expected '-' indicator":
        found = (
            f"{word} where an item ('- ') of the list at {where} should be (check its"
            " indentation)"
        )
    elif problem.startswith("did not find expected ',' or '"):
        closer = problem[-2]
        kind = "list" if closer == "]" else "mapping"
        found = (
            f"{word} where a ',' or the '{closer}' closing the {kind} opened at {where}"
            " should be"
        )
    elif "quoted scalar" in context and "end of stream" in problem:
        found = (
            f"the end of the text in the string quoted at {where} (is its closing quote"
            " missing?)"
        )
    elif "quoted scalar" in context and "document indicator" in problem:
        found = (
            f"a line '---' or '...' in the string quoted at {where} (is its closing"
            " quote missing?)"
        )
    elif problem == "found character that cannot start any token":
        char = text[mark.index : mark.index + 1] if mark else ""
        found = (
            "a tab: YAML indents with spaces, never tabs"
            if char == "\t"
            else f"{shown(char)}, which cannot start a plain value (quote the value)"
        )
    elif problem == "found a tab character that violates indentation":
        found = "a tab in the indentation: YAML indents with spaces, never tabs"
    elif problem == "mapping values are not allowed in this context":
        found = "a ': ' where no mapping can start (quote a value that holds ': ')"
    elif problem == "block sequence entries are not allowed in this context":
        found = (
            "a '- ' list item where no list can start (start the list on a line of its"
            " own)"
        )
    elif problem == "mapping keys are not allowed in this context":
        found = "a '? ' key where no mapping can start"
    elif problem == "found undefined alias":
        found = (
            f"the alias {word}, which no anchor before it defines (quote a value that"
            " starts with '*')"
        )
    elif problem.startswith("could not determine a constructor for the tag"):
        expected = (
            "no tag, or a standard one (!!str, !!int, !!float, !!bool, !!null,"
            " !!timestamp, !!binary, !!map, !!seq, !!set, !!omap, !!pairs)"
        )
        found = f"the tag {_tag_name(problem.split(chr(39))[1])}"
    elif context.startswith("found duplicate anchor"):
        found = f"the anchor {word} again (it is first defined at {where})"
    elif problem == "did not find expected node content":
        found = f"{word} where a value should be"
    elif problem == "found unknown escape character":
        escape = text[mark.index : mark.index + 2] if mark else "\\"
        found = (
            f"the escape {shown(escape)}, which YAML does not have (write '\\\\' for a"
            " backslash)"
        )
    elif problem == "found invalid Unicode character escape code":
        found = "an escape of no character (a surrogate, or past \\U0010FFFF)"
    elif problem == "found incompatible YAML document":
        found = "a %YAML directive of a version other than 1.1 or 1.2"
    elif "directive" in context:
        found = (
            f"{word}, a directive YAML does not have (quote a value that starts with"
            " '%')"
        )
    elif problem == "did not find expected <document start>":
        found = f"{word} after the end of the document (a line '...' ends it)"
    elif problem == "found unhashable key":
        found = (
            "a key that is a mapping or a list (a key is a string, a number, a boolean"
            " or null)"
        )
    elif "for merging" in problem:
        found = "a merge key ('<<') whose value is not a mapping or a list of mappings"
    elif "did not find expected alphabetic or numeric character" in problem:
        found = (
            f"{word}: an anchor or an alias needs a name (quote a value that starts"
            " with '&' or '*')"
        )
    elif problem == "found unconstructable recursive node":
        found = "an alias inside the value it names, where YAML cannot build it"
    elif problem.startswith("failed to convert base64"):
        found = "a !!binary value that is not base64"
    else:
        found = _plain(problem or context or "invalid YAML")
        if exc.problem and context:
            found += f" (in the {_plain(context).split(' ', 2)[-1]} at {where})"
    return _at(expected, found, mark, name)


def _at(expected: str, found: str, mark: Any, name: str) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem((), expected, found, line, column, name)


def _word_at(text: str, mark: Any) -> str:
    """The text at ``mark`` up to a space or the end of its line, quoted (or what ends it)."""
    if mark is None or mark.index >= len(text):
        return "the end of the text"
    rest = text[mark.index : mark.index + 40]
    word = re.split(r"[ \t\r\n\x85\u2028\u2029]", rest, maxsplit=1)[0]
    return shown(word) if word else "the end of the line"


def _plain(message: str) -> str:
    """One of pyyaml's messages without its parser words: ``expected X, but found Y`` reads
    ``Y where X should be``, and ``<block end>``-like tokens get names."""
    for token, words in (
        ("<block end>", "the end of a block"),
        ("<block mapping start>", "a mapping"),
        ("<block sequence start>", "a list"),
        ("<block collection start>", "a block"),
        ("<document start>", "the start of a document"),
        ("<stream end>", "the end of the text"),
        ("<scalar>", "a value"),
    ):
        message = message.replace(token, words)
    match = re.fullmatch(r"expected (.*?),? but found (.*)", message)
    if match:
        return f"{match[2]} where {match[1]} should be"
    return message.removeprefix("found ")


# -- positions of the loader's problems ----------------------------------------------------


def locate(
    problems: list[Problem],
    root: yaml.Node | None,
    name: str,
    document: int | None = None,
) -> list[Problem]:
    """Give each problem the line and column of its value under ``root`` (a document's nodes;
    for a file of several, the ``document``-th, and the problems' paths start with its index).

    In place (a loader's problems are its own until they are reported). Runs only when there
    are problems to report: a valid document never pays for positions.
    """
    indexes: dict[int, dict[object, tuple[yaml.Node, yaml.Node]]] = {}
    skip = 0 if document is None else 1
    for problem in problems:
        node, mark = root, root.start_mark if root is not None else None
        parts = problem.path
        last = len(parts) - 1
        for depth in range(skip, len(parts)):
            part = parts[depth]
            if isinstance(node, yaml.MappingNode):
                index = indexes.get(id(node))
                # each mapping is indexed once, not searched once per problem
                if index is None:
                    index = indexes[id(node)] = {}
                    for key_node, value_node in node.value:
                        if isinstance(key_node, yaml.ScalarNode):
                            index.setdefault(key_node.value, (key_node, value_node))
                found = index.get(part)
                if found is None:
                    break
                key_node, node = found
                mark = (
                    key_node if problem.at_key and depth == last else node
                ).start_mark
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        if mark is None:
            problem._place(None, None, name)
        else:
            problem._place(mark.line + 1, mark.column + 1, name)
    return problems


# -- loading -------------------------------------------------------------------------------


def parse_yaml(text: str, name: str, load_all: str = "") -> object:
    """Parse safe YAML (no tag builds an object); problems become a :class:`DocumentError`.

    ``load_all`` names the function that loads a file of several documents, for the message.
    """
    _hostile(text, name)
    ((_, data),) = _parse(text, name, load_all)
    return data


def load_document(
    source: str | os.PathLike[str] | IO[str],
    loader: Callable[[object], T],
    load_all: str = "",
) -> T:
    """Read a YAML document from a path or stream and load it; paths in it are kept as written.

    ``load_all`` names the function that loads a file of several documents, for the message.
    """
    text, name = read_source(source)
    _hostile(text, name)
    ((root, data),) = _parse(text, name, load_all)
    if root is None:
        raise DocumentError([Problem((), "a mapping", "an empty document", 1, 1, name)])
    try:
        return loader(data)
    except Invalid as exc:
        raise DocumentError(locate(exc.problems, root, name)) from None
    except RecursionError:
        raise DocumentError([_nested(name)]) from None


def _nested(name: str | None = None, path: tuple[PathKey, ...] = ()) -> Problem:
    return Problem(
        path, "a document nested less deeply", "too deep a nesting", source=name
    )


def load_documents(
    source: str | os.PathLike[str] | IO[str], loader: Callable[[object], T]
) -> list[T]:
    """Read every YAML document of a path or stream (separated by ``---``) and load each."""
    text, name = read_source(source)
    _hostile(text, name)
    loaded: list[T] = []
    problems: list[Problem] = []
    for index, (root, data) in enumerate(_parse(text, name, None)):
        try:
            if root is None:
                raise Invalid([Problem((), "a mapping", "an empty document")])
            loaded.append(loader(data))
        except Invalid as exc:
            problems += locate(exc.at(index), root, name, index)
        except RecursionError:
            problems.append(_nested(name, (index,)))
    if problems:
        raise DocumentError(problems)
    return loaded


# -- YAML out ------------------------------------------------------------------------------


class _Dumper(_SafeDumper):
    """Block style, keys in the order given, multi-line strings as literal blocks."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = (
        "|"
        if "\n" in value and not value.endswith((" ", "\t")) and "\n " not in value
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _represent_datetime(dumper: _Dumper, value: datetime.date) -> yaml.ScalarNode:
    """A date (and time) as its document wrote it, else in ISO 8601 as a YAML timestamp."""
    text = getattr(value, "text", None)
    if text is not None and getattr(value, "quoted", False):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text)
    return dumper.represent_scalar(
        "tag:yaml.org,2002:timestamp", text or value.isoformat()
    )


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(str, _represent_str)  # the members of the (str) enums
_Dumper.add_representer(datetime.date, _represent_datetime)
_Dumper.add_representer(datetime.datetime, _represent_datetime)
_Dumper.add_multi_representer(
    datetime.date, _represent_datetime
)  # datetimes, as written


def to_yaml(data: Mapping[str, Any], **kwargs: Any) -> str:
    """The YAML text of a document."""
    options: dict[str, Any] = {
        "sort_keys": False,
        "default_flow_style": False,
        "allow_unicode": True,
    }
    options.update(kwargs)
    text: str = yaml.dump(dict(data), Dumper=_Dumper, **options)
    return text


#: The scalars YAML writes and reads back as they are (a str subclass, an enum member, is
#: written as its string).
_SCALAR_TYPES = (type(None), bool, int, float, bytes)
#: What a value of a document may be, for a message.
_WRITABLE = (
    "a value YAML can write (a mapping, a list, a string, a number, a boolean, null or"
    " a date)"
)
_WRITABLE_KEY = "a key YAML can write (a string, a number, a boolean or null)"


def unwritable(data: object) -> list[Problem]:
    """The values of ``data`` that YAML cannot write, or that this package would not read back
    as they are: objects of other types (a subclass of int or float, a frozenset...), strings
    with lone surrogates, integers too long to print, keys that are collections, nesting deeper
    than :data:`MAX_DEPTH`, a value that holds itself, aliases expanding past
    :data:`MAX_EXPANDED_NODES`. Each problem has the value's path, in the order of ``data``.
    """
    problems: list[Problem] = []
    path: list[PathKey] = []
    sizes: dict[int, int] = {}  # the expanded size of each collection walked
    shared = False

    def bad(expected: str, found: str) -> int:
        problems.append(Problem(tuple(path), expected, found))
        return 1

    def scalar(value: object, expected: str) -> int:
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                return bad(
                    "text without lone surrogates (UTF-8 cannot hold them)",
                    describe(value),
                )
            return 1
        kind = type(value)
        if kind in _SCALAR_TYPES or isinstance(value, datetime.date):
            if (
                isinstance(value, int)
                and kind is int
                and value.bit_length() > _CHECKED_BITS
                and not _printable(value)
            ):
                limit = sys.get_int_max_str_digits()
                return bad(
                    f"an integer of at most {limit:,} digits, Python's limit",
                    describe(value),
                )
            return 1
        return bad(expected, describe(value))

    def walk(value: object, depth: int) -> int:
        nonlocal shared
        kind = type(value)
        if (
            kind is not dict
            and kind is not list
            and kind is not tuple
            and kind is not set
        ):
            return scalar(value, _WRITABLE)
        known = sizes.get(id(value))
        if known is not None:
            shared = True
            return known
        if id(value) in active:
            return bad("a value that does not hold itself", "a value inside itself")
        if depth > MAX_DEPTH:
            return bad(
                f"a document nested at most {MAX_DEPTH} levels deep", "deeper nesting"
            )
        active.add(id(value))
        size = 1
        if isinstance(value, dict):
            for key, item in value.items():
                path.append(key if isinstance(key, str) else key_text(key))
                size += scalar(key, _WRITABLE_KEY) + walk(item, depth + 1)
                path.pop()
        elif isinstance(value, set):
            for i, item in enumerate(value):
                path.append(i)
                size += scalar(item, _WRITABLE_KEY)
                path.pop()
        else:
            for i, item in enumerate(value):  # type: ignore[arg-type]
                path.append(i)
                size += walk(item, depth + 1)
                path.pop()
        active.discard(id(value))
        sizes[id(value)] = size
        return size

    active: set[int] = set()
    total = walk(data, 1)
    if shared and total > MAX_EXPANDED_NODES:
        problems.append(_too_large())
    return problems


def dump_yaml(
    data: Mapping[str, Any],
    loader: Callable[[object], object],
    dest: str | os.PathLike[str] | IO[str],
    **kwargs: Any,
) -> None:
    """Write a document to a new file (never replacing one) or to an open, writable text stream,
    once ``loader`` takes it and YAML can write it so that it reads back: only a document the
    package loads is written.

    Raises:
        DocumentError: a value does not fit its field, or cannot be written as YAML that reads
            back (every such value, with its path); nothing is written.
        FileExistsError: ``dest`` is a path and a file already exists there.
        OSError: the file cannot be written (the message names ``dest``); nothing is left.
        ValueError: ``dest`` is an open stream that is not writable, or a binary one.
    """
    try:
        loader(data)
    except Invalid as exc:
        raise DocumentError(in_data_order(exc.problems, data)) from None
    except RecursionError:
        raise DocumentError([_nested()]) from None
    problems = unwritable(data)
    if problems:
        raise DocumentError(problems)
    if isinstance(dest, (str, os.PathLike)):
        path = os.fspath(dest)
        if os.path.lexists(path):
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            )
        _write_new(path, to_yaml(data, **kwargs))
        return
    stream_name = getattr(dest, "name", "the stream")
    writable = getattr(dest, "writable", None)
    if not callable(writable) or not writable():
        raise ValueError(
            f"{stream_name} is not writable: open it for writing to dump into it"
        )
    if isinstance(dest, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(
        getattr(dest, "mode", "")
    ):
        raise ValueError(
            f"{stream_name} is a binary stream: dump writes text (open it with 'w', not 'wb')"
        )
    dest.write(to_yaml(data, **kwargs))


def _write_new(path: str, text: str) -> None:
    """Create ``path`` holding ``text``: all of it or nothing, and only if it does not exist.

    The text goes to a new file beside ``path``, flushed to the disk, which then takes the name
    ``path`` at once: by a hard link, which fails if ``path`` exists; where the file system has
    none, by reserving ``path`` (created empty, exclusively) and renaming the full file over it.
    A full disk or any other failure leaves nothing behind.
    """
    folder = os.path.dirname(os.path.abspath(path))
    temp, fd = _new_file(folder, os.path.basename(path), path)
    try:
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, path) from None
        try:
            os.link(temp, path)  # atomic, and fails if path exists
            return
        except FileExistsError:
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            ) from None
        except OSError:  # a file system without hard links
            pass
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            ) from None
        try:
            os.replace(temp, path)  # the reserved (empty) name gets the whole file
        except BaseException:
            os.unlink(path)
            raise
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def _new_file(folder: str, base: str, path: str) -> tuple[str, int]:
    """A new, empty file in ``folder`` (named after ``base``; the umask applies), open for
    writing. An error names ``path``, the file being made."""
    while True:
        temp = os.path.join(folder, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:  # no such folder, no permission...
            raise OSError(exc.errno, exc.strerror, path) from None
