"""Reading a spec's characters and plain values: its bytes as UTF-8 (a UTF-16 or UTF-32 file is told
as such), the characters YAML does not allow, and the numbers that YAML 1.1 (pyyaml, which reads
specs) would take as something else than a YAML 1.2 reader, or as infinity.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..errors import Position, SpecError, SpecProblem

_STR_TAG = "tag:yaml.org,2002:str"
#: How a file of another Unicode encoding begins (the YAML spec's own detection): a byte order mark, or
#: the zero bytes around its first (ASCII) character. UTF-32 first: its marks begin like UTF-16's.
_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian) text, with a byte order mark"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian) text, with a byte order mark"),
    (b"\xfe\xff", "UTF-16 (big-endian) text, with a byte order mark"),
    (b"\xff\xfe", "UTF-16 (little-endian) text, with a byte order mark"),
)
_ZEROS = (
    (re.compile(b"\x00\x00\x00[^\x00]", re.S), "UTF-32 (big-endian) text"),
    (re.compile(b"[^\x00]\x00\x00\x00", re.S), "UTF-32 (little-endian) text"),
    (re.compile(b"\x00[^\x00]", re.S), "UTF-16 (big-endian) text"),
    (re.compile(b"[^\x00]\x00", re.S), "UTF-16 (little-endian) text"),
)
#: A number with an exponent that YAML 1.2 reads, and pyyaml (YAML 1.1: a "." and a signed exponent) not.
_EXPONENT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+")


def decode(data: bytes, display: str) -> str:
    """The text of a spec file's bytes, which are UTF-8; raises SpecError at the first byte that is not,
    or at ``display:1:1`` for a file in another Unicode encoding (which it names)."""
    encoding = next((name for mark, name in _ENCODINGS if data.startswith(mark)), None)
    encoding = encoding or next((name for zeros, name in _ZEROS if zeros.match(data)), None)
    if encoding is not None:
        why = f"it is {encoding}: a spec is UTF-8 (save it as UTF-8)"
        raise SpecError([SpecProblem(Position(display, 1, 1), f"cannot read the spec: {why}")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        where = Position(display, line, col)
        raise SpecError([SpecProblem(where, f"cannot read the spec: byte 0x{data[exc.start]:02x} is not UTF-8")]) from None


def bad_character(text: str, file: str, index: int) -> SpecProblem:
    """The problem of the character at ``index`` of ``text``, which YAML does not allow."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    code = ord(text[index]) if index < len(text) else 0
    return SpecProblem(
        Position(file, line, column),
        f"the character U+{code:04X}, which YAML does not allow (write it as an escape in a double-quoted string,"
        ' such as "\\x07")',
    )


def number_problem(node: yaml.ScalarNode, value: Any) -> str:
    """What is wrong with the value ``value`` that pyyaml read from ``node`` ('' for nothing): a plain
    ``1e5`` or ``1.0e400``, which YAML 1.2 reads as a number and YAML 1.1 as a string, or a number too
    large for a float, which reads as infinity."""
    if node.tag == _STR_TAG and not node.style and _EXPONENT.fullmatch(node.value):
        text = node.value
        if math.isinf(float(text)):
            return _too_large(text)
        mantissa, _, exponent = text.lower().partition("e")
        mantissa = mantissa if "." in mantissa else f"{mantissa}.0"
        exponent = exponent if exponent[0] in "+-" else f"+{exponent}"
        return f'YAML 1.1 reads {text} as a string, not a number: write {mantissa}e{exponent} for the number, or "{text}" for the text'
    if isinstance(value, float) and math.isinf(value) and any(c.isdigit() for c in node.value):
        return _too_large(node.value)
    return ""


def _too_large(text: str) -> str:
    return f"the number {text} is too large for a float (it would read as infinity; write .inf if that is meant)"
