"""The generated package builds parsed YAML itself (``_yamlio._safe_load``) instead of through pyyaml's
generic construction: it must return exactly what pyyaml's safe loader returns, held to the package's
reading rules, or fail where it fails, for every document: the corpus, the shapes it leaves to pyyaml, and
random YAML. The rules (``reference`` below applies them to pyyaml's own nodes and data, apart from the
package's code): a plain mapping key ``on``/``off``/``yes``/``no`` (YAML 1.1 booleans, YAML 1.2 strings) is
a string; a key given twice in a mapping (besides what a merge key brings in) is an error, and so is an
integer too long for Python to print. A failure of ours is always a ``DocumentError``. The one difference
in what is built: a timestamp is a subclass of pyyaml's ``datetime`` or ``date`` that keeps its text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from aml_entities import DocumentError, _yamlio
from aml_entities._runtime import IsoDate, IsoDateTime
from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

BOOL = "tag:yaml.org,2002:bool"
MERGE = "tag:yaml.org,2002:merge"
VALUE = "tag:yaml.org,2002:value"  # the key "=", which pyyaml reads as a string


class Twice(Exception):
    """A key given twice in a mapping."""


def yaml12_keys(node: yaml.Node, text: str, seen: set[int]) -> None:
    """Retag the plain keys that YAML 1.1 reads as booleans and YAML 1.2 as strings, as strings."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            tagged = text[key.start_mark.index : key.start_mark.index + 1] in ("!", "&")  # an explicit tag (or an anchor: none in these tests)
            if (
                isinstance(key, yaml.ScalarNode)
                and key.tag == BOOL
                and key.value.lower() in {"yes", "no", "on", "off"}
                and not tagged
            ):
                key.tag = "tag:yaml.org,2002:str"
            yaml12_keys(key, text, seen)
            yaml12_keys(value, text, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yaml12_keys(item, text, seen)


def no_key_twice(loader: yaml.CSafeLoader, node: yaml.Node, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys = [k.value if k.tag == VALUE else loader.construct_object(k, deep=True) for k, _ in node.value if k.tag != MERGE]
        hashable = [k for k in keys if not isinstance(k, (list, dict))]
        if len(set(hashable)) != len(hashable):
            raise Twice
        for _, value in node.value:
            no_key_twice(loader, value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            no_key_twice(loader, item, seen)


def printable(data: Any, seen: set[int]) -> None:
    if isinstance(data, int):
        str(data)  # ValueError past sys.get_int_max_str_digits()
    elif isinstance(data, (dict, list)) and id(data) not in seen:
        seen.add(id(data))
        for item in [*data, *data.values()] if isinstance(data, dict) else data:
            printable(item, seen)


def reference(text: str) -> tuple[str, Any]:
    """pyyaml's safe loader, with the rules of the package's reader applied to its nodes and data."""
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return "ok", None
        yaml12_keys(node, text, set())
        no_key_twice(loader, node, set())
        loader.constructed_objects.clear()
        data = loader.construct_document(node)
        printable(data, set())
        return "ok", data
    except Exception as exc:  # the exception is the result compared
        return "error", type(exc)
    finally:
        loader.dispose()


def ours(text: str) -> tuple[str, Any]:
    try:
        return "ok", _yamlio._safe_load(text)
    except DocumentError:
        return "error", DocumentError


def same(a: Any, b: Any, seen: set[tuple[int, int]] | None = None) -> bool:
    """Equal, with the same types all the way down (True == 1 and 1 == 1.0 do not count); an alias can make
    a list that holds itself, so a pair of containers already being compared counts as equal."""
    if isinstance(b, (IsoDateTime, IsoDate)):
        # a timestamp comes back as the value pyyaml makes, keeping the text it was written as
        return type(a) is type(b).__bases__[0] and a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, (dict, list)):
        seen = set() if seen is None else seen
        if (id(a), id(b)) in seen:
            return True
        seen.add((id(a), id(b)))
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(k1, k2, seen) and same(a[k1], b[k2], seen) for k1, k2 in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def assert_same(text: str) -> None:
    want, got = reference(text), ours(text)
    if want[0] == "error":
        assert got == ("error", DocumentError), f"{text!r}: {got} != {want}"
    else:
        assert got[0] == "ok" and same(want[1], got[1]), f"{text!r}: {got} != {want}"


def test_the_corpus_builds_the_same() -> None:
    documents = sorted(CORPUS.rglob("*.yml")) + sorted(CORPUS.rglob("*.yaml"))
    assert len(documents) >= 39
    for path in documents:
        assert_same(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 0x1F\ng: 1_000\nh: 190:20:30\ni: .inf\nj: -.nan\n",
        "when: 2001-12-14t21:59:43.10-05:00\nday: 2002-12-14\n",
        "data: !!binary aGVsbG8=\n",
        "on: yes\noff: no\ny: y\nYES: On\n",  # YAML 1.1 booleans as keys (strings) and values (booleans)
        "!!bool on: x\ntrue: y\n",  # a key tagged a boolean, and one YAML 1.2 reads as a boolean too
        "a: 1\na: 2\n",  # a repeated key: an error
        "a: {b: 1, b: 2}\n",  # in a nested mapping too
        "1: one\ntrue: two\n",  # two keys Python holds equal: one would be lost
        "base: &b {x: 1}\nderived:\n  <<: *b\n  x: 2\n",  # a key a merge brings in may be given again
        "1: one\n2.5: two\nfalse: three\nnull: four\n",  # keys of every scalar type
        "big: " + "9" * 5000 + "\n",  # an integer Python will not print
        "big: 0x" + "f" * 4000 + "\n",
        "? 0x" + "f" * 4000 + "\n: key\n",
        "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",  # a merge key and an alias
        "a: &x [1, 2]\nb: *x\n",  # an alias: pyyaml shares the object
        "&a [*a]\n",  # a list that holds itself
        "<<: {x: 1}\n",  # a merge key without alias
        "? [1, 2]\n: complex key\n",  # unhashable key: an error either way
        "? {a: 1}\n: complex key\n",
        "s: !!set {a, b}\n",
        "t: !!str 123\nu: !!int '7'\nv: !!float '1'\n",
        "w: !!python/object:os.system x\n",  # an unsafe tag: an error either way
        "x: !custom 1\n",
        "bad: !!int abc\n",  # a constructor error
        "bad: !!timestamp 2001-13-45\n",
        "bad: !!bool maybe\n",
        "a: [!!int abc]\nb: !custom 1\n",  # two bad values: the error pyyaml meets first (outer levels first)
        "a: [!!binary é]\nb: !!int abc\n",
        "= : value\n",  # the value key
        "- a\n- [b, {c: d}]\n- {e: [f]}\n",
        "a: 1\n---\nb: 2\n",  # two documents: an error either way
        "a: [1, 2\n",  # a syntax error
        "key: 'quoted'\nother: \"double \\u00e9\"\nblock: |\n  line 1\n  line 2\nfolded: >\n  a\n  b\n",
    ],
)
def test_every_yaml_shape_builds_as_pyyaml_builds_it(text: str) -> None:
    assert_same(text)


def test_ordered_maps_and_pairs_are_read_as_what_dump_writes_back_not_as_pyyamls_tuples() -> None:
    assert reference("o: !!omap [{a: 1}, {b: 2}]\n") == ("ok", {"o": [("a", 1), ("b", 2)]})
    assert _yamlio._safe_load("o: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}, {a: 2}]\n") == {
        "o": {"a": 1, "b": 2},
        "p": [["a", 1], ["a", 2]],
    }


def test_an_alias_still_shares_the_object_as_pyyaml_does() -> None:
    data = _yamlio._safe_load("a: &x [1]\nb: *x\n")
    assert isinstance(data, dict) and data["a"] is data["b"]


def test_timestamps_and_binaries_are_pyyamls() -> None:
    data = _yamlio._safe_load("when: 2002-12-14\nbytes: !!binary aGk=\n")
    assert data == {"when": datetime.date(2002, 12, 14), "bytes": b"hi"}


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.dates()
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([{}, {"default_flow_style": True}, {"default_style": '"'}, {"default_style": "'"}]))
def test_random_documents_build_as_pyyaml_builds_them(data: Any, style: dict[str, Any]) -> None:
    assert_same(yaml.safe_dump(data, allow_unicode=True, **style))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},&*!<>|'\"#?\n 1.~%@`=")), max_size=40))
def test_random_text_builds_or_fails_as_pyyaml_does(text: str) -> None:
    assert_same(text)
