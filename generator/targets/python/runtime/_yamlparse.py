"""The YAML loader, with a position for every problem: pyyaml's safe loader (libyaml's when
present) with YAML 1.2's keys, duplicate keys and scalars their tag cannot hold found at their
place, and a direct builder of the data of its nodes (:mod:`._yamlio` parses texts with them).
"""

from __future__ import annotations

import datetime
import math
import re
import sys
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

import yaml

from ._problems import shown
from ._values import as_written
from ._yamlerrors import (
    _CONSTRUCTION_ERRORS,
    _STR,
    CORE_RESOLVERS,
    _Issue,
    _tag_name,
)

try:  # libyaml's parser when present: same results, several times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
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


#: The texts of a null and of a boolean, as YAML 1.1 spells them (pyyaml's constructors read
#: ``!!null foo`` as null and ``!!bool yEs`` as true: a tag on another text is a problem).
_NULL_TEXTS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL_TEXTS = _YAML11_BOOLEAN_KEYS | {
    spelling
    for word in ("true", "false")
    for spelling in (word, word.capitalize(), word.upper())
}


#: The patterns of the plain scalars pyyaml reads as each tag (YAML 1.1), and YAML 1.2's core
#: schema: the texts a tag ``!!int`` or ``!!float`` holds (``!!int 1:70`` is no sexagesimal
#: 130, ``!!float infinity`` no float), a float's being either's float or integer.
_PATTERNS_11 = {
    tag: pattern
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, pattern in resolvers
}
_PATTERNS_12 = {tag: re.compile(pattern) for tag, pattern, _ in CORE_RESOLVERS}


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

    def construct_checked_null(self, node: yaml.ScalarNode) -> None:
        """Null, when ``node`` is written as YAML writes a null (else a ValueError)."""
        _written_as(self.construct_scalar(node) in _NULL_TEXTS)

    def construct_checked_bool(self, node: yaml.ScalarNode) -> bool:
        """The boolean ``node`` is written as (else a ValueError: ``!!bool yEs`` is none)."""
        text = self.construct_scalar(node)
        _written_as(text in _BOOL_TEXTS)
        return bool(self.bool_values[text.lower()])

    def construct_checked_float(self, node: yaml.ScalarNode) -> float:
        """The float ``node`` is written as, in YAML 1.1 or 1.2 (else a ValueError)."""
        text = self.construct_scalar(node)
        _written_as(
            _PATTERNS_11[_FLOAT].fullmatch(text) is not None
            or _PATTERNS_12[_FLOAT].fullmatch(text) is not None
        )
        return float(yaml.constructor.SafeConstructor.construct_yaml_float(self, node))

    def construct_checked_int(
        self, node: yaml.ScalarNode, value: int | None = None
    ) -> object:
        """``value`` (else the integer YAML 1.1 reads, when ``node`` is written as one), or a problem
        when it has too many digits."""
        if value is None:
            _written_as(_PATTERNS_11[_INT].fullmatch(self.construct_scalar(node)))
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


_Loader.add_constructor(_NULL, _Loader.construct_checked_null)
_Loader.add_constructor(_BOOL, _Loader.construct_checked_bool)
_Loader.add_constructor(_INT, _Loader.construct_checked_int)
_Loader.add_constructor(_FLOAT, _Loader.construct_checked_float)
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader.construct_ordered_map)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _Loader.construct_listed_pairs)
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_kept_timestamp)


#: The constructors of scalars, by tag.
_Loader.scalars = {
    f"tag:yaml.org,2002:{name}": _Loader.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "binary", "timestamp", "str")
}


def _written_as(match: object) -> None:
    """Raise a ValueError unless a scalar's text is written as its tag's type (``match``)."""
    if not match:
        raise ValueError("not a text of its tag")


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
        # the same object, as a dict finds it: pyyaml makes every ``.nan`` one float, not equal to itself
        return build is not None and (
            (built := build(loader, node)) is key or bool(built == key)
        )
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
