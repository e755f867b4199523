"""YAML in and out for the generated package (imported on first use; its parts: ``_yamltext``,
``_yamlparse``, ``_yamlcore``, ``_yamlerrors``, ``_yamldump``): reading text in the encodings YAML
allows, safe parsing with a position for every problem, and safe dumping of what reads back.

Imported on first use by the package's load function and ``dump`` methods.

How documents are read, beyond pyyaml's safe loader (libyaml's when present):

- a file is UTF-8, or UTF-16 or UTF-32 that starts with a byte-order mark; other bytes are a
  problem at their line and column;
- values have YAML 1.1's meaning (pyyaml's), or YAML 1.2's for a format that says so (``core``:
  its core schema; the spec's ``package.document.yaml``); read as 1.1, a mapping key written
  ``on``, ``off``, ``yes`` or ``no`` (plain, in any case YAML 1.1 reads as a boolean) is that
  string, as YAML 1.2 reads it, and in a document that declares ``%YAML 1.2`` a value the two read
  otherwise (``yes``, ``012``, ``0o17``...) is a problem at its place;
- a key given twice in a mapping is a problem at its second place, naming the first, and so is a
  merge key ``<<`` given twice (a key a merge brings in may be given again: that is what merging
  is for);
- an integer too long for Python to print (``sys.get_int_max_str_digits()``), a scalar its tag
  cannot hold (``2001-13-45``, ``!!int x``, ``!!null foo``, ``!!int 1:70``: a tag reads only a
  text its type is written as), a character YAML does not allow: problems at their
  place, like every other, and told with the document's other problems (the loader checks the
  last value of a key given twice); syntax errors say what is wrong in plain words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, TypeVar

import yaml

from ._problems import (
    DocumentError,
    Invalid,
    PathKey,
    Problem,
)
from ._yamldump import dump_yaml as dump_yaml
from ._yamldump import dump_yaml_all as dump_yaml_all
from ._yamlerrors import (
    _issues,
    _syntax_problem,
    declares_yaml12,
    locate,
    yaml12_differences,
)
from ._yamlparse import _Bad, _build, _Loader, _Unusual
from ._yamltext import (
    _bad_character,
    _hostile,
    _nested,
    _too_deep,
    last_line,
    read_source,
)

T = TypeVar("T")


def parse_yaml(text: str, name: str, load_all: str = "", core: bool = False) -> object:
    """Parse safe YAML (no tag builds an object); problems become a :class:`DocumentError`.

    ``load_all`` names the function that loads a file of several documents, for the message;
    ``core``: the text is read as YAML 1.2 (its core schema), not 1.1.
    """
    _hostile(text, name)
    ((_, data),) = _parse(text, name, load_all, core=core)
    return data


def load_document(
    source: str | os.PathLike[str] | IO[str],
    loader: Callable[[object], T],
    load_all: str = "",
    core: bool = False,
) -> T:
    """Read a YAML document from a path or stream and load it; paths in it are kept as written.

    ``load_all`` names the function that loads a file of several documents, for the message;
    ``core``: the text is read as YAML 1.2 (its core schema), not 1.1.
    """
    text, name = read_source(source)
    _hostile(text, name)
    early: list[Problem] = []  # a key given twice, a scalar its tag cannot hold
    ((root, data),) = _parse(text, name, load_all, early, core)
    if no_content(root):  # at its last line: the document's place, past its comments
        raise DocumentError(
            [Problem((), "a mapping", "an empty document", last_line(text), 1, name)]
        )
    try:
        loaded = loader(data)
    except Invalid as exc:
        problems = locate(exc.problems, root, name)
        raise DocumentError(early + _beside(problems, early, [((), data)])) from None
    except RecursionError:
        raise DocumentError([*early, _nested(name)]) from None
    if early:
        raise DocumentError(early)
    return loaded


def load_documents(
    source: str | os.PathLike[str] | IO[str],
    loader: Callable[[object], T],
    core: bool = False,
) -> list[T]:
    """Read every YAML document of a path or stream (separated by ``---``) and load each
    (``core``: read as YAML 1.2). A document with no content at all (nothing, or only comments,
    after its ``---``) is skipped; ``--- null`` is a document, and a problem."""
    text, name = read_source(source)
    _hostile(text, name)
    loaded: list[T] = []
    early: list[Problem] = []
    problems: list[Problem] = []
    parsed = _parse(text, name, None, early, core)
    for index, (root, data) in enumerate(parsed):
        try:
            loaded.append(loader(data))
        except Invalid as exc:
            problems += locate(exc.at(index), root, name, index)
        except RecursionError:
            problems.append(_nested(name, (index,)))
    if problems or early:
        documents: list[tuple[tuple[PathKey, ...], object]] = [
            ((i,), data) for i, (_, data) in enumerate(parsed)
        ]
        raise DocumentError(early + _beside(problems, early, documents), len(parsed))
    return loaded


def _beside(
    problems: list[Problem],
    early: list[Problem],
    documents: list[tuple[tuple[PathKey, ...], object]],
) -> list[Problem]:
    """The loader's ``problems`` but those at or under the place of a problem the text itself
    had (``early``: the last value of a key given twice) or of the placeholder of a bad scalar in
    one of the ``documents`` (each its data, under its path: an alias may put one where no problem
    is told).
    """
    if not early:
        return problems
    places = {problem.path for problem in early}
    for path, data in documents:
        places |= _bad_places(data, path)
    return [
        problem
        for problem in problems
        if not any(
            problem.path[:size] in places for size in range(len(problem.path) + 1)
        )
    ]


def _bad_places(data: object, path: tuple[PathKey, ...]) -> set[tuple[PathKey, ...]]:
    """The paths under ``path`` of the placeholders of bad scalars in ``data`` (an alias may put
    one at several places)."""
    if data.__class__ is _Bad:
        return {path}
    places: set[tuple[PathKey, ...]] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, (str, int)):
                places |= _bad_places(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            places |= _bad_places(item, (*path, index))
    return places


# -- parsing: the documents of a text, their nodes and data, and the problems of their values


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
    :func:`no_content`), which are left out: a document's index is its index among the others.
    The problems of values the text holds (a key given twice, a scalar its tag cannot hold) raise
    a :class:`DocumentError`, or go to ``found`` when it is given: the data then holds the last value of a key given twice, and a placeholder for a bad
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
    """YAML 1.2's loader, imported on first use (its module imports this one)."""
    from ._yamlcore import _CoreLoader

    return _CoreLoader


def _unreadable(text: str, name: str, exc: Exception) -> DocumentError:
    """The error of a text with a character YAML does not allow (at its place)."""
    bad = _bad_character(text, name)
    if bad is None:  # pragma: no cover - libyaml refuses no other character
        bad = Problem((), "text YAML can read", str(exc), source=name)
    return DocumentError([bad])
