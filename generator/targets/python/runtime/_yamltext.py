"""Text in: a source's bytes decoded in the encodings YAML allows (UTF-8, or UTF-16/32 with a
byte-order mark), characters YAML does not allow located, and the limits on hostile documents
(nesting, expansion through aliases) checked before parsing."""

from __future__ import annotations

import codecs
import os
import re
from typing import IO, Any

import yaml

from ._problems import DocumentError, PathKey, Problem, shown

try:  # libyaml's parser when present: same results, several times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


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


def last_line(text: str) -> int:
    """The number (from 1) of the last line of ``text``, as YAML counts lines: a line break at its
    end starts no line."""
    line = _line_column(text, len(text))[0]
    return line - 1 if line > 1 and text.endswith(_ENDS) else line


#: The characters a text that ends with a line break ends with.
_ENDS = ("\n", *_OTHER_BREAKS)


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
    """Nesting deeper than MAX_DEPTH; ``mark``: where the first level too deep starts in the text
    (None when aliases nest it)."""

    def __init__(self, mark: Any = None) -> None:
        super().__init__()
        self.mark = mark


class _TooLarge(Exception):
    pass


def _deeply_indented(text: str) -> bool:
    if _DEEP_FIRST_LINE.match(text):
        return True
    if any(brk in text for brk in _OTHER_BREAKS):
        return _DEEP_INDENT_ANY_BREAK.search(text) is not None
    return _DEEP_INDENT.search(text) is not None


class _InItself(Exception):
    """An alias inside the value its anchor names (``&l [*l]``, ``&m {<<: *m}``): a value that
    would hold itself. ``alias`` and ``anchor``: their marks."""

    def __init__(self, name: str, alias: Any, anchor: Any) -> None:
        super().__init__(name)
        self.name, self.alias, self.anchor = name, alias, anchor


def _check_depth(text: str) -> None:
    """Raise _TooDeep when ``text`` nests deeper than MAX_DEPTH, _InItself at an alias inside
    the value it names.

    Counted on the parser's events, which libyaml makes without recursion: composing nodes
    recurses, and on deep nesting libyaml's composer would overflow the C stack.
    """
    depth = 0
    anchors: list[str | None] = (
        []
    )  # the anchor of each collection open, outermost first
    marks: list[Any] = []
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark)
            anchors.append(event.anchor)
            marks.append(event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchors.pop()
            marks.pop()
        elif isinstance(event, yaml.AliasEvent) and event.anchor in anchors:
            at = len(anchors) - 1 - anchors[::-1].index(event.anchor)
            raise _InItself(str(event.anchor), event.start_mark, marks[at])


def _too_deep(name: str | None = None, mark: Any = None) -> Problem:
    return Problem(
        (),
        f"a document nested at most {MAX_DEPTH} levels deep",
        "deeper nesting",
        None if mark is None else mark.line + 1,
        None if mark is None else mark.column + 1,
        name,
    )


def _in_itself(exc: _InItself, name: str) -> Problem:
    alias, anchor = exc.alias, exc.anchor
    return Problem(
        (),
        "a value that does not hold itself",
        f"the alias {shown('*' + exc.name)} inside the value it names (at line"
        f" {anchor.line + 1}, column {anchor.column + 1})",
        alias.line + 1,
        alias.column + 1,
        name,
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
    except _TooDeep as exc:
        raise DocumentError([_too_deep(name, exc.mark)]) from None
    except RecursionError:
        raise DocumentError([_too_deep(name)]) from None
    except _InItself as exc:
        raise DocumentError([_in_itself(exc, name)]) from None
    except _TooLarge:
        raise DocumentError([_too_large(name)]) from None
    except (yaml.YAMLError, ValueError, IndexError, UnicodeEncodeError):
        return  # the parse reports it, with its position


def _nested(name: str | None = None, path: tuple[PathKey, ...] = ()) -> Problem:
    return Problem(
        path, "a document nested less deeply", "too deep a nesting", source=name
    )
