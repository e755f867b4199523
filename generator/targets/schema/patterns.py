"""Regular expressions of a schema: a text matched literally or whatever its case, any string but
some values, and the spellings of values (an ``enum``, or a ``pattern`` when case is ignored).

Every expression means the same to ECMA-262, Python's ``re`` and Rust's ``regex``: the end of
the text is ``(?![\\s\\S])`` (``$`` also matches before a final newline in Python's).
"""

from __future__ import annotations

from typing import Any

from ...model import Spellings

#: Characters with a meaning in a regular expression (ECMA-262, Python ``re`` and Rust ``regex`` alike).
_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}")


def other_than(values: list[str]) -> str:
    """A regular expression that matches any string but the ``values``.

    ``(?![\\s\\S])`` is the end of the string in every dialect (``$`` also matches before a final
    newline in Python's); datamodel-code-generator compiles a pattern with a lookahead for Python's
    engine, which pydantic then uses.
    """
    return "^(?!(?:" + "|".join(regex_literal(v) for v in values) + ")(?![\\s\\S]))"


def regex_literal(text: str) -> str:
    """A regular expression that matches ``text`` literally, in every regex dialect a schema meets."""
    return "".join("\\" + ch if ch in _REGEX_SYNTAX else ch for ch in text)


def regex_any_case(text: str) -> str:
    """A regular expression that matches ``text`` whatever the case of its (ASCII) letters."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isascii() and ch.isalpha() else regex_literal(ch) for ch in text)


def spelled(spellings: Spellings, values: list[str] | None = None) -> dict[str, Any]:
    """A string that is one of the spellings of ``values`` (all of them by default): an ``enum`` of
    them, or, when the match ignores case, a ``pattern``."""
    chosen = [(v, a) for v, a in spellings.values if values is None or v in values]
    words = [w for v, aliases in chosen for w in (v, *aliases)]
    if spellings.match != "case_insensitive":
        return {"type": "string", "enum": words} if len(words) > 1 else {"type": "string", "const": words[0]}
    return {"type": "string", "pattern": "^(?:" + "|".join(regex_any_case(w) for w in words) + ")(?![\\s\\S])"}


def other_than_spellings(spellings: Spellings) -> str:
    """A regular expression that matches any string but the spellings of ``spellings``."""
    if spellings.match != "case_insensitive":
        return other_than([w for v, aliases in spellings.values for w in (v, *aliases)])
    words = [regex_any_case(w) for v, aliases in spellings.values for w in (v, *aliases)]
    return "^(?!(?:" + "|".join(words) + ")(?![\\s\\S]))"

