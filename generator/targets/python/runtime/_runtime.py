"""Runtime support of the generated classes: problems, errors and the checks loaders share.

Nothing here knows the entity types: the generated ``models`` module calls these helpers from
straight-line code written for each type. YAML reading and writing live in ``_yamlio``, which
is imported on first use so that importing the package does not pay for pyyaml.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

T = TypeVar("T")
PathKey = str | int


@dataclass(frozen=True)
class Problem:
    """One bad value in a document: where it is, what was expected and what was found."""

    path: tuple[PathKey, ...]
    expected: str
    found: str
    line: int | None = None
    column: int | None = None
    source: str | None = None

    @property
    def location(self) -> str:
        """The dotted path of the value, such as ``inputs.input1.mode`` (``<document>`` for the top)."""
        text = ""
        for part in self.path:
            text += (
                f"[{part}]"
                if isinstance(part, int)
                else (f".{part}" if text else str(part))
            )
        return text or "<document>"

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where = f"{self.source or '<string>'}:{self.line}:{self.column}: "
        return f"{where}{self.location}: expected {self.expected}, found {self.found}"


class DocumentError(ValueError):
    """A document that does not fit the format; ``problems`` lists every bad value found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the document:\n{lines}"
        )


class Invalid(Exception):
    """Raised inside loaders; carries problems with paths relative to the value being loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems

    def at(self, key: PathKey) -> list[Problem]:
        """The problems, with ``key`` put in front of each path."""
        return [Problem((key, *p.path), p.expected, p.found) for p in self.problems]


def describe(value: object) -> str:
    """How a found value is shown in a problem."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dict):
        return "a mapping"
    # loaders take the plain dicts YAML makes: a MappingProxyType is not one
    if isinstance(value, Mapping):
        return f"a {type(value).__name__} (a mapping, but not a dict)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int):
        # Python will not print an int of thousands of digits
        if value.bit_length() > 256:
            return f"an integer of {value.bit_length()} bits"
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    return f"a value of type {type(value).__name__}"


def invalid(expected: str, value: object) -> Invalid:
    """A problem at the value being loaded."""
    return Invalid([Problem((), expected, describe(value))])


def missing(key: str) -> Problem:
    """A required key that is absent."""
    return Problem((key,), "a value (this key is required)", "no such key")


def wrong_tag(key: str, expected: str, value: object) -> Problem:
    """A discriminator value that names another class than the one being loaded."""
    return Problem((key,), expected, describe(value))


def bad_tag(key: str, expected: str, value: Mapping[str, object]) -> Invalid:
    """A discriminator that is missing or names no class this position accepts."""
    found = describe(value[key]) if key in value else "no such key"
    return Invalid([Problem((key,), expected, found)])


class _Missing:
    """The value of a key a document does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def mismatch(key: PathKey, expected: str, value: object) -> Problem:
    """A value of the wrong type at ``key``."""
    return Problem((key,), expected, describe(value))


#: Unknown keys of one mapping that get a did-you-mean (each costs a fuzzy match against every key).
MAX_HINTS = 20


def unknown_keys(data: Mapping[str, Any], keys: frozenset[str]) -> list[Problem]:
    """The problems of the keys of ``data`` that the format does not have."""
    known = ", ".join(sorted(keys))
    unknown = [key for key in data if key not in keys]
    return [
        unknown_key(key, keys, known, hint=i < MAX_HINTS)
        for i, key in enumerate(unknown)
    ]


def unknown_key(
    key: object, keys: frozenset[str], known: str = "", *, hint: bool = True
) -> Problem:
    """The problem of a key that the format does not have, with a did-you-mean when ``hint``."""
    if not isinstance(key, str):
        return Problem((str(key),), "a string key", describe(key))
    suggestion = ""
    if hint:
        import difflib  # only on the error path

        close = difflib.get_close_matches(key, sorted(keys), n=1)
        suggestion = f' (did you mean "{close[0]}"?)' if close else ""
    return Problem(
        (key,),
        f"no such key{suggestion}; known keys: {known or ', '.join(sorted(keys))}",
        "an unknown key",
    )


def is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an integer (a bool is not one, though Python's bool is an int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """Whether ``value`` is a number: an integer or a float, not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_str(value: object) -> str:
    """A string."""
    if isinstance(value, str):
        return value
    raise invalid("a string", value)


def load_int(value: object) -> int:
    """An integer (a boolean or a string of digits is not one)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise invalid("an integer", value)


def load_float(value: object) -> float:
    """A number; an integer is kept as it was written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise invalid("a number", value)


def load_bool(value: object) -> bool:
    """A boolean."""
    if isinstance(value, bool):
        return value
    raise invalid("a boolean", value)


def format_repr(obj: object, pairs: Iterable[tuple[str, object]]) -> str:
    """``Name(a=1, b='x')`` with the fields that are set (not None)."""
    shown = ", ".join(f"{name}={value!r}" for name, value in pairs if value is not None)
    return f"{type(obj).__name__}({shown})"


def from_data(loader: Callable[[object], T], data: object) -> T:
    """Run a generated loader on plain data, turning its problems into a :class:`DocumentError`."""
    try:
        return loader(data)
    except Invalid as exc:
        raise DocumentError(exc.problems) from None
    except RecursionError:
        raise DocumentError(
            [Problem((), "a document nested less deeply", "too deep a nesting")]
        ) from None
