"""YAML in and out for the generated package: safe parsing, error positions, safe dumping.

Imported on first use by the package's load function and ``dump`` methods.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from typing import IO, Any, TypeVar

import yaml

from ._runtime import DocumentError, Invalid, Problem, as_written

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


# -- YAML in -------------------------------------------------------------------------------


def read_source(source: str | os.PathLike[str] | IO[str]) -> tuple[str, str]:
    """The text of a document and the name to show in messages."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8") as handle:
            return handle.read(), os.fspath(source)
    if not hasattr(source, "read"):
        raise TypeError(
            f"expected a path or an open text stream, not {type(source).__name__}"
        )
    text = source.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return text, str(getattr(source, "name", "<stream>"))


def _expanded_size(node: yaml.Node, memo: dict[int, int], depth: int) -> int:
    if depth > MAX_DEPTH:
        raise _TooDeep
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo, depth + 1) + _expanded_size(
                value, memo, depth + 1
            )
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo, depth + 1)
    memo[id(node)] = size
    if size > MAX_EXPANDED_NODES:
        raise _TooLarge
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
            node = yaml.compose(text, Loader=_SafeLoader)
            if node is not None:
                _expanded_size(node, {}, 0)
    except (_TooDeep, RecursionError):
        raise DocumentError(
            [
                Problem(
                    (),
                    f"a document nested at most {MAX_DEPTH} levels deep",
                    "deeper nesting",
                    source=name,
                )
            ]
        ) from None
    except _TooLarge:
        raise DocumentError(
            [
                Problem(
                    (),
                    f"a document of at most {MAX_EXPANDED_NODES} values once aliases are expanded",
                    "more (alias expansion)",
                    source=name,
                )
            ]
        ) from None
    except (yaml.YAMLError, ValueError, IndexError):
        return  # the parse below reports it, with its position


def parse_yaml(text: str, name: str, load_all: str = "") -> object:
    """Parse safe YAML (no tag builds an object); errors become a :class:`DocumentError`.

    ``load_all`` names the function that loads a file of several documents, for the message.
    """
    _hostile(text, name)
    try:
        return _safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if isinstance(exc, yaml.composer.ComposerError) and exc.context == _SEVERAL:
            raise DocumentError(
                [
                    Problem(
                        (),
                        f"one document (use {load_all or 'the load-all function'} to load every document of a file)",
                        "a second document",
                        line,
                        column,
                        name,
                    )
                ]
            ) from None
        found = str(exc.problem or exc.context or "invalid YAML").removeprefix("found ")
        raise DocumentError(
            [Problem((), "valid YAML", found, line, column, name)]
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError(
            [Problem((), "valid YAML", str(exc), source=name)]
        ) from None
    except RecursionError:
        raise DocumentError(
            [
                Problem(
                    (),
                    f"a document nested at most {MAX_DEPTH} levels deep",
                    "deeper nesting",
                    source=name,
                )
            ]
        ) from None
    # a scalar YAML resolves to a type it then cannot build
    except _CONSTRUCTION_ERRORS as exc:
        raise DocumentError(
            [
                Problem(
                    (),
                    "values YAML can construct",
                    f"{type(exc).__name__}: {exc}",
                    source=name,
                )
            ]
        ) from None


#: What pyyaml's composer says of a second document where one was expected.
_SEVERAL = "expected a single document in the stream"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
#: pyyaml's safe constructors of scalars, by tag.
_SCALARS: dict[str, Callable[[Any, yaml.Node], object]] = {
    f"tag:yaml.org,2002:{name}": yaml.constructor.SafeConstructor.yaml_constructors[
        f"tag:yaml.org,2002:{name}"
    ]
    for name in ("null", "bool", "int", "float", "binary", "timestamp", "str")
}


class _Unusual(Exception):
    """A document the direct builder leaves to pyyaml: a merge key, an explicit tag, a
    complex key..."""


def _safe_load(text: str) -> object:
    """What ``yaml.load(text, Loader=SafeLoader)`` returns, built faster.

    libyaml composes the nodes; plain mappings, lists and strings are then built directly,
    and other scalars by pyyaml's own safe constructors, instead of by pyyaml's generic
    (generator-based) construction, which costs as much as parsing. Left to ``yaml.load``
    itself: a text with a ``*`` (maybe an alias, whose nodes pyyaml shares), a merge key, an
    explicit tag or a complex key, and any error, which ``yaml.load`` then reports as it does
    (it builds the outer levels first, so it may meet another bad value first).
    """
    if "*" not in text:
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            return None if node is None else _build(loader, node)
        except Exception:  # unusual or bad: yaml.load decides
            pass
        finally:
            loader.dispose()
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader


def _build(loader: Any, node: yaml.Node) -> object:
    kind = node.__class__
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        build = _SCALARS.get(node.tag)
        if build is None:
            raise _Unusual
        if (
            node.tag == _TIMESTAMP
        ):  # kept with its text: dump writes it as it was written
            return as_written(build(loader, node), node.value)  # type: ignore[arg-type]
        return build(loader, node)
    if kind is yaml.MappingNode and node.tag == _MAP:
        data: dict[object, object] = {}
        for key, value in node.value:
            if key.__class__ is not yaml.ScalarNode or key.tag not in _SCALARS:
                raise _Unusual  # a merge key (<<), a key that is a mapping or a list
            data[_build(loader, key)] = _build(loader, value)
        return data
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(loader, item) for item in node.value]
    raise _Unusual


#: What pyyaml's constructors raise on a scalar that looks like a date, an int... and is not one.
_CONSTRUCTION_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
)


def locate(
    problems: list[Problem], text: str, name: str, document: int | None = None
) -> list[Problem]:
    """Give each problem the line and column of its value in ``text`` (in its ``document``-th
    document, for a file of several: the problems' paths then start with its index).

    Runs only when there are problems to report: a valid document never pays for positions.
    """
    root: yaml.Node | None
    try:
        if document is None:
            root = yaml.compose(text, Loader=_SafeLoader)
        else:
            root = list(yaml.compose_all(text, Loader=_SafeLoader))[document]
    except (yaml.YAMLError, RecursionError, IndexError):
        root = None
    located = []
    indexes: dict[int, dict[object, tuple[yaml.Node, yaml.Node]]] = {}
    for problem in problems:
        node, mark = root, root.start_mark if root is not None else None
        for part in problem.path[0 if document is None else 1 :]:
            if isinstance(node, yaml.MappingNode):
                index = indexes.get(id(node))
                # each mapping is indexed once, not searched once per problem
                if index is None:
                    index = indexes[id(node)] = {}
                    for key_node, value_node in node.value:
                        index.setdefault(key_node.value, (key_node, value_node))
                found = index.get(part)
                if found is None:
                    break
                key_node, value_node = found
                is_unknown = (
                    problem.found == "an unknown key" and part == problem.path[-1]
                )
                node, mark = (
                    value_node,
                    (key_node if is_unknown else value_node).start_mark,
                )
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        line, column = (
            (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        )
        located.append(
            Problem(problem.path, problem.expected, problem.found, line, column, name)
        )
    return located


def load_document(
    source: str | os.PathLike[str] | IO[str],
    loader: Callable[[object], T],
    load_all: str = "",
) -> T:
    """Read a YAML document from a path or stream and load it; paths in it are kept as written.

    ``load_all`` names the function that loads a file of several documents, for the message.
    """
    text, name = read_source(source)
    data = parse_yaml(text, name, load_all)
    if data is None:
        raise DocumentError([Problem((), "a mapping", "an empty document", 1, 1, name)])
    try:
        return loader(data)
    except Invalid as exc:
        raise DocumentError(locate(exc.problems, text, name)) from None
    except RecursionError:
        raise DocumentError(
            [
                Problem(
                    (),
                    "a document nested less deeply",
                    "too deep a nesting",
                    source=name,
                )
            ]
        ) from None


def load_documents(
    source: str | os.PathLike[str] | IO[str], loader: Callable[[object], T]
) -> list[T]:
    """Read every YAML document of a path or stream (separated by ``---``) and load each."""
    text, name = read_source(source)
    _hostile(text, name)
    try:
        datas = list(yaml.load_all(text, Loader=_SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        found = str(exc.problem or exc.context or "invalid YAML").removeprefix("found ")
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DocumentError(
            [Problem((), "valid YAML", found, line, column, name)]
        ) from None
    except (yaml.YAMLError, RecursionError, *_CONSTRUCTION_ERRORS) as exc:
        raise DocumentError(
            [Problem((), "valid YAML", f"{type(exc).__name__}: {exc}", source=name)]
        ) from None
    loaded: list[T] = []
    problems: list[Problem] = []
    for index, data in enumerate(datas):
        try:
            if data is None:
                raise Invalid([Problem((), "a mapping", "an empty document")])
            loaded.append(loader(data))
        except Invalid as exc:
            at_index = [
                Problem((index, *p.path), p.expected, p.found) for p in exc.problems
            ]
            problems += locate(at_index, text, name, index)
        except RecursionError:
            problems.append(
                Problem(
                    (index,),
                    "a document nested less deeply",
                    "too deep a nesting",
                    source=name,
                )
            )
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


def dump_yaml(
    data: Mapping[str, Any],
    loader: Callable[[object], object],
    dest: str | os.PathLike[str] | IO[str],
    **kwargs: Any,
) -> None:
    """Write a document to a new file (never replacing one) or to an open, writable stream,
    once ``loader`` takes it: only a document the package loads is written.

    Raises:
        DocumentError: a value does not fit its field (every such value, with its path).
        FileExistsError: ``dest`` is a path and a file already exists there.
        ValueError: ``dest`` is an open stream that is not writable.
    """
    try:
        loader(data)
    except Invalid as exc:
        raise DocumentError(exc.problems) from None
    except RecursionError:
        raise DocumentError(
            [Problem((), "a document nested less deeply", "too deep a nesting")]
        ) from None
    if isinstance(dest, (str, os.PathLike)):
        path = os.fspath(dest)
        if os.path.lexists(path):
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            )
        text = to_yaml(data, **kwargs)
        _write_new(path, text)
        return
    writable = getattr(dest, "writable", None)
    if not callable(writable) or not writable():
        raise ValueError(
            f"{getattr(dest, 'name', 'the stream')} is not writable: open it for writing to dump into it"
        )
    dest.write(to_yaml(data, **kwargs))


def _write_new(path: str, text: str) -> None:
    """Create ``path`` holding ``text``: all of it or nothing, and only if it does not exist."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".dump-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # atomic, and fails if path exists
        except FileExistsError:
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            ) from None
        except OSError:  # a file system without hard links
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
    finally:
        os.unlink(temp)
