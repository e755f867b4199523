"""Which regular expressions a spec's ``pattern`` may be: one Python's ``re`` and ECMA-262 read alike,
and that a backtracking engine matches without blowing up.

:func:`pattern_problem` says what is wrong with a pattern ('' when nothing is), in three parts:

- the syntax only Python reads (named groups, inline flags, ``\\A``...) or reads otherwise than
  ECMA-262 (``{,3}``, ``]`` first in a class), found by reading the pattern's text;
- what Python warns will change meaning (``[[``, ``--``, ``&&``... in a class: the nested sets and
  set operations of newer dialects), found by parsing it, warnings caught (none reaches the user);
- a part that can match one text in exponentially many ways (``(a+)+``, ``(\\w+\\s?)*``, ``(.|\\r)*``,
  ``(a+){1,40}``): the shape of catastrophic backtracking, which would hang the generator checking a
  default against it, and a loader checking a document; found by :mod:`.backtracking`.
"""

from __future__ import annotations

import re
import warnings
from re import _parser  # type: ignore[attr-defined]  # the parse tree of a pattern
from typing import Any

from .backtracking import POSITIONS, ROUNDS, STEPS, Intricate, exponential
from .validate import python_pattern


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
    try:
        slow = exponential(parsed.data)
    except RecursionError:
        return "does not compile: it nests too deeply"
    except Intricate:
        return f"is too intricate to check for exponential time to match (more than {POSITIONS} characters or {STEPS} steps): write it simpler"
    if slow:
        return (
            "can take exponential time to match: it can match one text in exponentially many ways (inside a"
            f" repetition without bound or of more than {ROUNDS} rounds: two repetitions, or a repetition and"
            " the next round, that can match the same characters with nothing else between them, or"
            " alternatives that can), as in (a+)+"
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
