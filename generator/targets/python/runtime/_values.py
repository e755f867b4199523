"""The values of a document that need more than a type test: scalars of exactly their type, dates
and times that remember how they were written, the text of a scalar read as a string, case folding.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeGuard

from ._checks import invalid


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


class IsoDateTime(datetime.datetime):
    """A date and time read from a document, which remembers how the document wrote it: ``to_dict``
    and ``dump`` write it back the same way (a string stays a string, ``Z`` stays ``Z``).
    """

    text: str
    quoted: bool


class IsoDate(datetime.date):
    """A date read from a document, which remembers how the document wrote it."""

    text: str
    quoted: bool


def load_datetime(value: object) -> datetime.datetime:
    """A date and time: a YAML timestamp, or an ISO 8601 string (its timezone kept)."""
    if type(value) is str:
        try:
            out = IsoDateTime.fromisoformat(value)
        except ValueError:
            raise invalid("a date and time (ISO 8601)", value) from None
        out.text, out.quoted = value, True
        return out
    if isinstance(value, datetime.datetime):
        return value
    raise invalid("a date and time (ISO 8601)", value)


def load_date(value: object) -> datetime.date:
    """A date: a YAML date, or an ISO 8601 string ``YYYY-MM-DD``."""
    if type(value) is str:
        try:
            out = IsoDate.fromisoformat(value)
        except ValueError:
            raise invalid("a date (ISO 8601)", value) from None
        out.text, out.quoted = value, True
        return out
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    raise invalid("a date (ISO 8601)", value)


def is_datetime(value: object) -> bool:
    """Whether ``value`` is a date and time (what a datetime field holds)."""
    return isinstance(value, datetime.datetime)


def is_date(value: object) -> bool:
    """Whether ``value`` is a date without a time (what a date field holds)."""
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def as_written(value: datetime.date, text: str) -> datetime.date:
    """A YAML timestamp (a date, or a date and time) that remembers its text, written back as it is."""
    out: IsoDate | IsoDateTime
    if isinstance(value, datetime.datetime):
        out = IsoDateTime.combine(value.date(), value.timetz())
    else:
        out = IsoDate(value.year, value.month, value.day)
    out.text, out.quoted = text, False
    return out


def text_of(value: object) -> str:
    """The text of a scalar read where a string is expected (a field that ``accepts`` it), as
    YAML writes it: ``2``, ``1.5``, ``true``, ``.inf``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    try:
        return str(value)
    except ValueError:  # an integer of more digits than Python will print
        raise invalid("an integer Python can write as text", value) from None


def folded(text: str) -> str:
    """``text`` with its letters in lower case when it is ASCII: how a value is looked up where the
    format ignores the case of ASCII letters (a non-ASCII text is looked up as it is).
    """
    return text.lower() if text.isascii() else text


def plain_copy(value: Any) -> Any:
    """``value`` with each list and dict in it copied, however deep (``to_dict`` gives data of its
    own: changing it changes nothing of the object); a list or dict that holds itself, or is held
    twice, is so in the copy too. Other values, and subclasses of list and dict, are not copied.
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        return value
    top: Any = {} if kind is dict else []
    made: dict[int, Any] = {id(value): top}
    stack: list[tuple[Any, Any]] = [(value, top)]
    while stack:  # a loop, not recursion: a value may nest deeper than Python's stack
        source, copy = stack.pop()
        pairs = source.items() if type(source) is dict else enumerate(source)
        for key, item in pairs:
            item_kind = type(item)
            if item_kind is dict or item_kind is list:
                new = made.get(id(item))
                if new is None:
                    new = made[id(item)] = {} if item_kind is dict else []
                    stack.append((item, new))
                item = new
            if type(copy) is dict:
                copy[key] = item
            else:
                copy.append(item)
    return top
