"""YAML out: the text of a document (strings and dates as they were read), what YAML cannot write
or read back refused at its path, and writing to a new file only (never replacing one) or to an
open stream."""

from __future__ import annotations

import datetime
import io
import os
import re
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

import yaml

from ._problems import (
    DocumentError,
    Invalid,
    PathKey,
    Problem,
    describe,
    in_data_order,
    key_text,
)
from ._yamlerrors import CORE_RESOLVERS
from ._yamlparse import _CHECKED_BITS, _printable
from ._yamltext import MAX_DEPTH, MAX_EXPANDED_NODES, _nested, _too_large

try:  # libyaml's emitter when present: same results, several times faster
    from yaml import CSafeDumper as _SafeDumper
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    from yaml import SafeDumper as _SafeDumper  # type: ignore[assignment]


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Dumper(_SafeDumper):
    """Block style, keys in the order given, multi-line strings as literal blocks; a string YAML
    1.1 or 1.2 would read as something else (``yes``, ``012``, ``0o17``, ``1e3``) quoted.
    """


for _tag, _pattern, _first in CORE_RESOLVERS:
    if _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        _Dumper.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


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


def _represent_set(dumper: _Dumper, value: set[Any]) -> yaml.MappingNode:
    """A set (``!!set``) in a stable order, its members sorted: the same set, the same text."""
    try:
        members = sorted(value, key=lambda item: (type(item).__name__, item))
    except TypeError:  # members that do not compare (naive and aware datetimes...)
        members = sorted(value, key=lambda item: (type(item).__name__, repr(item)))
    return dumper.represent_mapping(
        "tag:yaml.org,2002:set", {member: None for member in members}
    )


_Dumper.add_representer(set, _represent_set)


_Dumper.add_representer(datetime.datetime, _represent_datetime)


_Dumper.add_multi_representer(
    datetime.date, _represent_datetime
)  # datetimes, as written


class _CoreDumper(_Dumper):
    """The dumper of a format read as YAML 1.2 (``core``), which has no dates: a date (and time)
    is written as its ISO 8601 string, quoted, as YAML 1.1 and 1.2 read alike (a string), and as
    the format's date fields read it back."""


def _represent_iso_string(dumper: _Dumper, value: datetime.date) -> yaml.ScalarNode:
    """A date (and time) as the string its document wrote, else in ISO 8601."""
    quoted = getattr(value, "quoted", False)
    text = getattr(value, "text", None) if quoted else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text or value.isoformat())


_CoreDumper.add_representer(datetime.date, _represent_iso_string)
_CoreDumper.add_representer(datetime.datetime, _represent_iso_string)
_CoreDumper.add_multi_representer(datetime.date, _represent_iso_string)


#: Options of ``yaml.dump`` that would write a text this package does not read as it was
#: written, or write no text: refused.
_REFUSED = {
    "version": "a %YAML directive (the package reads the YAML its format says)",
    "tags": "%TAG directives",
    "encoding": "bytes (dump writes text; open a file with the encoding instead)",
    "Dumper": "another dumper",
    "stream": "another destination (give it as dest)",
    "core": "the YAML of another version (the package writes the YAML its format reads)",
}


def _check_options(kwargs: Mapping[str, object]) -> None:
    for option in kwargs:
        if option in _REFUSED:
            raise TypeError(
                f"dump does not take {option}=: it would write {_REFUSED[option]}"
            )


def to_yaml(data: Mapping[str, Any], *, core: bool = False, **kwargs: Any) -> str:
    """The YAML text of a document, which YAML 1.1 and 1.2 read alike; ``kwargs`` are
    ``yaml.dump``'s presentation options (``indent``, ``width``, ``explicit_start``...).
    ``core``: the format is read as YAML 1.2, which has no dates (they are written as strings).
    """
    return to_yaml_all([data], core=core, **kwargs)


def to_yaml_all(
    documents: Sequence[Mapping[str, Any]], *, core: bool = False, **kwargs: Any
) -> str:
    """The YAML text of several documents, each after a ``---`` but the first (see
    :func:`to_yaml`)."""
    _check_options(kwargs)
    options: dict[str, Any] = {
        "sort_keys": False,
        "default_flow_style": False,
        "allow_unicode": True,
    }
    options.update(kwargs)
    dumper = _CoreDumper if core else _Dumper
    text: str = yaml.dump_all(
        [dict(data) for data in documents], Dumper=dumper, **options
    )
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
    as they are: objects of other types (a subclass of int or float, a tuple, a frozenset...), strings
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
        if kind is tuple:
            return bad("a list (a tuple would be read back as a list)", "a tuple")
        if kind is not dict and kind is not list and kind is not set:
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
    options: Mapping[str, Any],
    *,
    core: bool = False,
) -> None:
    """Write a document to a new file (never replacing one) or to an open, writable text stream,
    once ``loader`` takes it and YAML can write it so that it reads back: only a document the
    package loads is written (``core``, and ``options``, the caller's ``yaml.dump`` options: see
    :func:`to_yaml`).

    Raises:
        DocumentError: a value does not fit its field, or cannot be written as YAML that reads
            back (every such value, with its path); nothing is written.
        FileExistsError: ``dest`` is a path and a file already exists there.
        OSError: the file cannot be written (the message names ``dest``); nothing is left.
        ValueError: ``dest`` is an open stream that is not writable, or a binary one.
        TypeError: an option that would write another text (see :func:`to_yaml`).
    """
    _check_options(options)  # before anything is written
    problems = _unfit(data, loader)
    if problems:
        raise DocumentError(problems)
    _write(dest, lambda: to_yaml(data, core=core, **options))


def dump_yaml_all(
    documents: Sequence[Mapping[str, Any]],
    loader: Callable[[object], object],
    dest: str | os.PathLike[str] | IO[str],
    options: Mapping[str, Any],
    *,
    core: bool = False,
) -> None:
    """Write several documents as one text (each after a ``---`` but the first), as
    :func:`dump_yaml` writes one: every document is checked first, and a problem's path starts
    with its document's index (``[1].name``); nothing is written when one has a problem.
    """
    _check_options(options)
    problems: list[Problem] = []
    for index, data in enumerate(documents):
        problems += Invalid(_unfit(data, loader)).at(index)
    if problems:
        raise DocumentError(problems, len(documents))
    _write(dest, lambda: to_yaml_all(documents, core=core, **options))


def _unfit(
    data: Mapping[str, Any], loader: Callable[[object], object]
) -> list[Problem]:
    """The problems of a document ``loader`` does not take, or YAML cannot write so that it
    reads back, in the document's order."""
    try:
        loader(data)
    except Invalid as exc:
        return in_data_order(exc.problems, data)
    except RecursionError:
        return [_nested()]
    return unwritable(data)


def _write(dest: str | os.PathLike[str] | IO[str], text: Callable[[], str]) -> None:
    """Write ``text()`` to ``dest``: a new file (never replacing one) or an open, writable text
    stream (checked before the text is made)."""
    if isinstance(dest, (str, os.PathLike)):
        path = os.fspath(dest)
        if os.path.lexists(path):
            raise FileExistsError(
                f"{path} already exists; dump never overwrites a file"
            )
        _write_new(path, text())
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
    dest.write(text())


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
