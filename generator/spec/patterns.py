"""Which regular expressions a spec's ``pattern`` may be: one Python's ``re`` and ECMA-262 read alike,
and that a backtracking engine matches without blowing up.

:func:`pattern_problem` says what is wrong with a pattern ('' when nothing is), in three parts:

- the syntax only Python reads (named groups, inline flags, ``\\A``...) or reads otherwise than
  ECMA-262 (``{,3}``, ``]`` first in a class), found by reading the pattern's text;
- what Python warns will change meaning (``[[``, ``--``, ``&&``... in a class: the nested sets and
  set operations of newer dialects), found by parsing it, warnings caught (none reaches the user);
- a repetition without bound whose body can match the same text in more than one way: the shape of
  catastrophic backtracking (``(a+)+``, ``(\\w+\\s?)*``, ``(.|\\r)*``), which would hang the generator
  checking a default against it, and a loader checking a document.

The last is read from the parse tree: inside each unbounded repetition, at most one repetition of a
varying count, which cannot match both a character that begins the body and one that ends it
(``(-[a-z]+)*`` is kept: each round begins with ``-``, which ``[a-z]+`` does not match; ``([^-]+-)*``
too: each ends with it), and no alternatives that can begin alike.
"""

from __future__ import annotations

import re
import warnings
from re import _constants, _parser  # type: ignore[attr-defined]  # the parse tree of a pattern
from typing import Any

from .validate import python_pattern

#: Code points as sorted, disjoint, inclusive ranges.
Chars = tuple[tuple[int, int], ...]
_TOP = 0x10FFFF
_ALL: Chars = ((0, _TOP),)
_NONE: Chars = ()
#: What each category matches in ASCII; beyond it (a ``str`` pattern is Unicode), any character may.
_ASCII = {
    "DIGIT": ((0x30, 0x39),),
    "WORD": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "SPACE": ((0x09, 0x0D), (0x1C, 0x20)),
}


def parse(pattern: str) -> tuple[Any, list[str]]:
    """The parse tree of the IDL ``pattern`` as Python's ``re`` reads it, and what Python warns about it
    (the warnings caught: none reaches the terminal); raises ``re.error``, OverflowError (a repetition
    count past re's limit), RecursionError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parsed = _parser.parse(python_pattern(pattern))
    return parsed, [str(warning.message) for warning in caught]


def pattern_problem(pattern: str) -> str:
    """What is wrong with the IDL ``pattern`` ('' when nothing is), as a message's ending:
    ``does not compile: ...``, ``uses ...``."""
    try:
        parsed, warned = parse(pattern)
    except (re.error, OverflowError) as exc:
        return f"does not compile: {exc}"
    except RecursionError:
        return "does not compile: it nests too deeply"
    python_only = _python_only(pattern)
    if python_only:
        return f"uses {python_only}"
    if warned:
        return f"has what Python warns will change meaning ({warned[0].lower()}): escape the character (\\[, \\-, \\&, \\~, \\|)"
    if _ambiguous(parsed.data):
        return (
            "can take exponential time to match: a repetition without bound holds a part that matches the same"
            " text in more than one way (another repetition that can match where a round begins, two repetitions,"
            " or alternatives that begin alike), as in (a+)+"
        )
    return ""


# -- syntax only Python reads -------------------------------------------------------------------------

#: After ``(?``: the extensions of Python's alone.
_EXTENSIONS = {
    "P": "a named group or reference ((?P<name>...), (?P=name)), which ECMA-262 writes otherwise: use a plain group",
    "#": "a comment group ((?#...)), which ECMA-262 does not have",
    ">": "an atomic group ((?>...)), which ECMA-262 does not have",
    "(": "a conditional group ((?(1)...)), which ECMA-262 does not have",
}
#: After a backslash, outside a class or in one.
_ESCAPES = {
    "A": '\\A, which ECMA-262 does not have (write "^")',
    "Z": '\\Z, which ECMA-262 does not have (write "$": the end of the text)',
    "a": '\\a, which ECMA-262 does not have (write "\\x07")',
    "N": "\\N{...}, which ECMA-262 does not have (write the character)",
    "U": "\\U, which ECMA-262 does not have (write the character)",
}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _python_only(pattern: str) -> str:
    """The first construct of ``pattern`` that only Python reads, or reads its own way ('' for none)."""
    i, in_class, after_quantifier = 0, False, False
    while i < len(pattern):
        char = pattern[i]
        quantifier = False
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped in _ESCAPES:
                return _ESCAPES[escaped]
            digits = pattern[i + 1 : i + 4]
            if (escaped == "0" and digits[1:2].isdigit()) or (len(digits) == 3 and digits.isdigit()):
                return 'an octal escape, which ECMA-262 reads otherwise (write "\\xHH")'
            i, after_quantifier = i + 2, False
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            start = i + 2 if pattern[i + 1 : i + 2] == "^" else i + 1
            if pattern[start : start + 1] == "]":
                return '"]" first in a class, which ECMA-262 reads as the end of an empty class (write "\\]")'
            i, after_quantifier = start, False
            continue
        elif char == "(" and pattern[i + 1 : i + 2] == "?":
            extension = pattern[i + 2 : i + 3]
            if extension in _EXTENSIONS:
                return _EXTENSIONS[extension]
            if extension and extension in "aiLmsux-":
                return "inline flags ((?i), (?s:...)), which ECMA-262 does not have"
            i, after_quantifier = i + 2, False
            continue
        elif char in "*+?":
            if char == "+" and after_quantifier:
                return "a possessive repetition (*+, ++, ?+), which ECMA-262 does not have"
            quantifier = not after_quantifier  # a ? after a repetition makes it lazy: no repetition again
        elif char == "{":
            found = _QUANTIFIER.match(pattern, i)
            if found is None or not (found.group(1) or found.group(3)):
                return 'a "{" that starts no repetition (write "\\{")'
            if not found.group(1):
                return 'a repetition "{,n}", which ECMA-262 reads as text (write "{0,n}")'
            i, after_quantifier = found.end(), True
            continue
        elif char in "}]":
            return f'a "{char}" outside a class that closes nothing (write "\\{char}")'
        after_quantifier = quantifier
        i += 1
    return ""


# -- repetitions that backtrack without bound ------------------------------------------------------------


def _ambiguous(items: Any) -> bool:
    """Whether a repetition without bound in ``items`` (a parsed pattern) holds a part that matches
    the same text in more than one way (see the module's docstring)."""
    for op, arg in items:
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[1] == _constants.MAXREPEAT:
            body = arg[2]
            varying = [a for o, a in _descendants(body) if o in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and a[0] != a[1]]
            if len(varying) > 1:
                return True
            if varying and _overlap(chars := _chars(varying[0][2]), _first(body)[0]) and _overlap(chars, _first(body, last=True)[0]):
                return True  # it can match across the end of one round and the start of the next
            if any(_branches_overlap(a[1]) for o, a in _descendants(body) if o == _constants.BRANCH):
                return True
        if any(_ambiguous(sub) for sub in _children(op, arg)):
            return True
    return False


def _children(op: Any, arg: Any) -> list[Any]:
    """The parsed sub-patterns of one item of a parsed pattern."""
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
        return [arg[2]]
    if op in (_constants.SUBPATTERN, _constants.ATOMIC_GROUP):
        return [arg[-1]]
    if op == _constants.BRANCH:
        return list(arg[1])
    if op in (_constants.ASSERT, _constants.ASSERT_NOT):
        return [arg[1]]
    if op == _constants.GROUPREF_EXISTS:
        return [part for part in arg[1:] if part is not None]
    return []


def _descendants(items: Any) -> list[tuple[Any, Any]]:
    """Every item of ``items``, and of their sub-patterns, all the way down."""
    found: list[tuple[Any, Any]] = []
    for op, arg in items:
        found.append((op, arg))
        for sub in _children(op, arg):
            found.extend(_descendants(sub))
    return found


def _branches_overlap(branches: list[Any]) -> bool:
    """Whether two alternatives can begin with the same character (or both match nothing)."""
    firsts = [_first(branch) for branch in branches]
    return any(
        _overlap(a[0], b[0]) or (a[1] and b[1]) for i, a in enumerate(firsts) for b in firsts[i + 1 :]
    )


def _first(items: Any, *, last: bool = False) -> tuple[Chars, bool]:
    """The characters a match of ``items`` can begin with (or end with: ``last``), at most, and whether it
    can match nothing."""
    first: Chars = _NONE
    for op, arg in reversed(items) if last else items:
        if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
            continue  # matches no character
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            chars, empty = _first(arg[2], last=last)
            empty = empty or arg[0] == 0
        elif op in (_constants.SUBPATTERN, _constants.ATOMIC_GROUP):
            chars, empty = _first(arg[-1], last=last)
        elif op == _constants.BRANCH:
            parts = [_first(branch, last=last) for branch in arg[1]]
            chars, empty = _union(*(p[0] for p in parts)), any(p[1] for p in parts)
        elif op in (_constants.GROUPREF, _constants.GROUPREF_EXISTS):
            chars, empty = _ALL, True
        else:
            chars, empty = _atom(op, arg), False
        first = _union(first, chars)
        if not empty:
            return first, False
    return first, True


def _chars(items: Any) -> Chars:
    """Every character ``items`` can match (at most)."""
    found: Chars = _NONE
    for op, arg in _descendants(items):
        if op in (_constants.GROUPREF, _constants.GROUPREF_EXISTS):
            return _ALL
        if not _children(op, arg) and op != _constants.AT:
            found = _union(found, _atom(op, arg))
    return found


def _atom(op: Any, arg: Any, *, most: bool = True) -> Chars:
    """The characters one parsed atom matches: at most them (``most``), or at least them."""
    if op == _constants.LITERAL:
        return ((arg, arg),)
    if op == _constants.NOT_LITERAL:
        return _complement(((arg, arg),))
    if op == _constants.ANY:
        return _complement(((0x0A, 0x0A),))
    if op == _constants.RANGE:
        return ((arg[0], arg[1]),)
    if op == _constants.CATEGORY:
        name = str(arg).removeprefix("CATEGORY_")
        negated = name.startswith("NOT_")
        ascii_chars = _ASCII.get(name.removeprefix("NOT_"))
        if ascii_chars is None:
            return _ALL if most else _NONE
        # beyond ASCII a category may hold any character: at most all of them, at least none
        bound = _union(ascii_chars, ((0x80, _TOP),)) if most != negated else ascii_chars
        return _complement(bound) if negated else bound
    if op == _constants.IN:
        if arg and arg[0][0] == _constants.NEGATE:
            return _complement(_union(*(_atom(o, a, most=not most) for o, a in arg[1:])))
        return _union(*(_atom(o, a, most=most) for o, a in arg))
    return _ALL if most else _NONE  # what this reading does not know may match anything


def _union(*sets: Chars) -> Chars:
    ranges = sorted(r for s in sets for r in s)
    merged: list[tuple[int, int]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(chars: Chars) -> Chars:
    out: list[tuple[int, int]] = []
    start = 0
    for low, high in chars:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= _TOP:
        out.append((start, _TOP))
    return tuple(out)


def _overlap(a: Chars, b: Chars) -> bool:
    return any(low <= other_high and other_low <= high for low, high in a for other_low, other_high in b)
