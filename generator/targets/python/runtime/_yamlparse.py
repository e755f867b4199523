"""YAML parsing with a position for every problem: pyyaml's safe loader (libyaml's when present)
with YAML 1.2's keys, duplicate keys and scalars their tag cannot hold found at their place, and the
paths of the nodes of a document."""

from __future__ import annotations

import datetime
import math
import re
import sys
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

import yaml

from ._problems import (
    DocumentError,
    Problem,
    shown,
)
from ._values import as_written
from ._yamlerrors import (
    _CONSTRUCTION_ERRORS,
    _STR,
    _Issue,
    _issues,
    _syntax_problem,
    _tag_name,
    declares_yaml12,
    yaml12_differences,
)
from ._yamltext import _bad_character, _too_deep

try:  # libyaml's parser when present: same results, several times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


#: The plain scalars YAML 1.1 reads as booleans, 1.2 as strings: as mapping keys, strings.
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


class _Unusual(Exception):
    """A document the direct builder leaves to pyyaml's constructor: a merge key, an explicit
    tag of a collection, a key that is a collection..."""


class _Bad:
    """The value of a scalar that is a problem (unique: it is no key's duplicate)."""


class _Loader(_SafeLoader):
    """pyyaml's safe loader with this package's rules (see the module's docstring).

    It composes the nodes; :func:`_build` makes most documents of them directly, and the others
    (merge keys, aliases, explicit tags of collections) are built by pyyaml's constructor,
    which the methods below hold to the same rules. Problems go to ``issues``.
    """

    #: The constructors of scalars, by tag (for :func:`_build`).
    scalars: ClassVar[dict[str, Callable[[Any, Any], object]]]

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text
        self.issues: list[_Issue] = []
        #: Each mapping node's number of keys as written (before merge keys are flattened).
        self.written: dict[int, int] = {}
        #: The key nodes already told as given twice (a merge key ``<<`` repeated).
        self.told: set[int] = set()

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
        self.again(first, key_node)

    def again(self, first: yaml.Node, key_node: yaml.Node) -> None:
        """Report ``key_node``, a key of a mapping that ``first`` gave before it."""
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
            bad = self.constructed_objects[node] = self.bad_scalar(node, exc)
            return bad  # an alias of it is the same problem, told once

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        if id(node) not in self.written:  # its first flattening: the keys as written
            merges = [key for key, _ in node.value if key.tag == _MERGE]
            for key in merges[
                1:
            ]:  # a merge key given twice: each key once, as any other
                self.again(merges[0], key)
                key.tag = _STR  # kept as a key "<<", the problem's path
                self.told.add(id(key))
            self.written[id(node)] = sum(
                1 for key, _ in node.value if key.tag != _MERGE
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
                if key.__class__ is _Bad:
                    continue  # a problem already: its pair is left out for the loader
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            if index >= merged:
                if key in written and id(key_node) not in self.told:
                    self.duplicate(node.value[merged:], key_node, key)
                written.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_checked_int(
        self, node: yaml.ScalarNode, value: int | None = None
    ) -> object:
        """``value`` (else the integer YAML 1.1 reads), or a problem when it has too many digits."""
        if value is None:
            value = yaml.constructor.SafeConstructor.construct_yaml_int(self, node)
        if value.bit_length() > _CHECKED_BITS and not _printable(value):
            digits = int(value.bit_length() * math.log10(2)) + 1
            return self.too_long(node, f"an integer of about {digits:,} digits")
        return value

    def construct_kept_timestamp(self, node: yaml.ScalarNode) -> datetime.date:
        """A timestamp that keeps its text: dump writes it as it was written."""
        value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        return as_written(value, node.value)

    def construct_ordered_map(self, node: yaml.Node) -> dict[Any, Any]:
        """``!!omap``, a list of one-pair mappings: an ordered mapping, which a dict is (a list of
        pairs, pyyaml's, would be written back as a list of lists)."""
        mapping: dict[Any, Any] = {}
        for key_node, value_node in self._pairs(node, "!!omap"):
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing an ordered map",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            if key in mapping:
                pairs = [pair for entry in node.value for pair in entry.value]
                self.duplicate(pairs, key_node, key)
            mapping[key] = self.construct_object(value_node, deep=True)
        return mapping

    def construct_listed_pairs(self, node: yaml.Node) -> list[list[Any]]:
        """``!!pairs``, a list of one-pair mappings whose keys may repeat: a list of [key, value]
        lists, written back as it is read (pyyaml's tuples would not be)."""
        return [
            [
                self.construct_object(key_node, deep=True),
                self.construct_object(value_node, deep=True),
            ]
            for key_node, value_node in self._pairs(node, "!!pairs")
        ]

    def _pairs(self, node: yaml.Node, tag: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode) or not all(
            isinstance(entry, yaml.MappingNode) and len(entry.value) == 1
            for entry in node.value
        ):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a {tag} that is not a list of mappings of one key each",
                node.start_mark,
            )
        return [entry.value[0] for entry in node.value]


_Loader.add_constructor(_INT, _Loader.construct_checked_int)
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader.construct_ordered_map)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _Loader.construct_listed_pairs)
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_kept_timestamp)


#: The constructors of scalars, by tag.
_Loader.scalars = {
    f"tag:yaml.org,2002:{name}": _Loader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "binary", "timestamp", "str")
}


def _printable(value: int) -> bool:
    try:
        str(value)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return False
    return True


def _same_key(loader: _Loader, node: yaml.ScalarNode, key: object) -> bool:
    if node.tag == _STR or (node.tag == _BOOL and loader.key_is_text(node)):
        return bool(node.value == key)
    build = loader.scalars.get(node.tag)
    try:
        return build is not None and bool(build(loader, node) == key)
    except _CONSTRUCTION_ERRORS:  # a scalar that is a problem itself
        return False


def _build(loader: _Loader, node: Any) -> object:
    """What pyyaml's safe constructor would make of ``node`` (with the package's rules), made
    directly: plain mappings, lists and strings, and other scalars by pyyaml's constructors.
    Raises _Unusual for what it leaves to pyyaml."""
    kind = node.__class__
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        build = loader.scalars.get(node.tag)
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
                build = loader.scalars.get(tag)
                if build is None:
                    raise _Unusual  # a merge key (<<), a key with an explicit tag
                key = loader.scalar(key_node, build)
                if key.__class__ is _Bad:
                    continue  # a problem already: its pair is left out for the loader
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


def _safe_load(text: str, name: str = "<string>", core: bool = False) -> object:
    """What ``yaml.load(text, Loader=SafeLoader)`` returns, with the package's rules (see the
    module's docstring), built faster; a problem raises a :class:`DocumentError`. ``core``: read
    as YAML 1.2."""
    ((_, data),) = _parse(text, name, "", core=core)
    return data


def _parse(
    text: str,
    name: str,
    load_all: str | None,
    found: list[Problem] | None = None,
    core: bool = False,
) -> list[tuple[yaml.Node | None, object]]:
    """Each document of ``text`` as (its root node, or None for an empty one; its data).

    ``load_all`` names the function that loads a file of several documents, for the message of
    a second one; None reads every document but those with no content at all (see
    :func:`no_content`), which are left out: a document's index is its index among the others. The problems of values the text holds (a key given
    twice, a scalar its tag cannot hold) raise a :class:`DocumentError`, or go to ``found`` when it
    is given: the data then holds the last value of a key given twice, and a placeholder for a bad
    scalar, for a loader to find the document's other problems. ``core``: read as YAML 1.2.
    """
    try:  # libyaml reads UTF-8: it encodes the text first
        loader = _core_loader()(text) if core else _Loader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate
        raise _unreadable(text, name, exc) from None
    try:
        roots: list[yaml.Node | None] = []
        if load_all is not None:
            roots.append(loader.get_single_node())
        else:
            while loader.check_node():
                root = loader.get_node()
                if not no_content(root):
                    roots.append(root)
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
    if not core and declares_yaml12(text):  # pyyaml reads 1.1 whatever a text declares
        for root, data in parsed:
            if root is not None:
                loader.issues += yaml12_differences(root, data, text)
    if loader.issues:
        problems = _issues(loader.issues, parsed, load_all is None, name)
        if found is None:
            raise DocumentError(problems)
        found += problems
    return parsed


def no_content(root: yaml.Node | None) -> bool:
    """Whether a document has no node at all: no document, or nothing but comments after its
    ``---`` (an empty plain scalar with no tag nor anchor, which takes no room in the text). An
    explicit null (``--- null``, ``--- !!null``, ``--- ~``) has content."""
    return root is None or (
        root.__class__ is yaml.ScalarNode
        and root.value == ""
        and not root.style
        and root.start_mark.index == root.end_mark.index
    )


def _core_loader() -> type[_Loader]:
    from ._yamlcore import (
        _CoreLoader,
    )  # YAML 1.2's loader, whose module imports this one

    return _CoreLoader


def _unreadable(text: str, name: str, exc: Exception) -> DocumentError:
    """The error of a text with a character YAML does not allow (at its place)."""
    bad = _bad_character(text, name)
    if bad is None:  # pragma: no cover - libyaml refuses no other character
        bad = Problem((), "text YAML can read", str(exc), source=name)
    return DocumentError([bad])
