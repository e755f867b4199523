"""The problems loaders report, made by one call each from the straight-line code of the generated
``models`` (a value of the wrong type, a missing or unknown key, a wrong discriminator, a broken
constraint), and the checks of constraints that take more than an expression."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._problems import Invalid, PathKey, Problem, UnknownKey, describe, key_text


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

    def __reduce__(self) -> str:
        """Pickled by name: ``copy.deepcopy`` and pickle give back the one ``MISSING`` (loaders
        and ``to_dict`` tell it by identity), not a copy."""
        return "MISSING"


MISSING: Any = _Missing()


def mismatch(key: PathKey, expected: str, value: object) -> Problem:
    """A value of the wrong type at ``key``."""
    return Problem((key,), expected, describe(value))


def unknown_keys(data: Mapping[str, Any], keys: frozenset[str]) -> list[Problem]:
    """The problems of the keys of ``data`` that the format does not have (each gets its
    did-you-mean once it is reported)."""
    return [
        UnknownKey(key, keys) if isinstance(key, str) else key_problem(key)
        for key in data
        if key not in keys
    ]


def key_problem(key: object) -> Problem:
    """The problem of a key that is no string (a document's keys are)."""
    return Problem((key_text(key),), "a string key", describe(key), at_key=True)


def exclusive(
    data: Mapping[str, object], keys: tuple[str, ...], required: bool
) -> list[Problem]:
    """The problem of a mapping that gives more than one of ``keys`` (each excludes the others),
    or none of them when one is ``required``: located at the second key given, or at the mapping.
    """
    given = [key for key in keys if key in data]
    names = ", ".join(f'"{key}"' for key in keys[:-1]) + f' or "{keys[-1]}"'
    if not given:
        return [Problem((), f"a mapping with one of the keys {names}", "none of them")]
    first, second = given[0], given[1]
    why = "they exclude each other" if len(keys) == 2 else f"only one of {names}"
    return [
        Problem(
            (second,), f'no "{second}" beside "{first}" ({why})', describe(data[second])
        )
    ]


def unkeyed(expected: str) -> Invalid:
    """A mapping that has none of the keys that tell the classes of its position apart."""
    return Invalid([Problem((), expected, "a mapping with none of those keys")])


def bad_number(key: PathKey, expected: str, value: float) -> Problem:
    """A number at ``key`` that breaks a constraint of its field (``expected`` says which)."""
    if isinstance(value, int) and value.bit_length() > 256:
        return Problem((key,), expected, f"an integer of {value.bit_length()} bits")
    return Problem((key,), expected, repr(value))


def bad_size(key: PathKey, expected: str, size: int, unit: str) -> Problem:
    """A string or a list at ``key`` whose length (``size`` of ``unit``) breaks a constraint."""
    return Problem((key,), expected, f"{size} {unit}{'' if size == 1 else 's'}")


#: The integers a float holds exactly.
_EXACT_INT = 2**53


def is_multiple(value: float, step: float) -> bool:
    """Whether ``value`` is a multiple of ``step``, exactly (no rounding, whatever their size; NaN
    and the infinities are no multiples)."""
    if (type(value) is float or -_EXACT_INT <= value <= _EXACT_INT) and (
        type(step) is float or -_EXACT_INT <= step <= _EXACT_INT
    ):
        # exact: a float's remainder is, and these integers are floats exactly
        return value % step == 0
    from fractions import Fraction  # for the integers a float does not hold

    return Fraction(value) % Fraction(step) == 0


def repeats(key: PathKey, items: list[Any]) -> list[Problem]:
    """The problems of the items of ``items`` (the list at ``key``) that repeat an item before them,
    as document values: numbers by value (``1`` is ``1.0``), a boolean no number, mappings whatever
    their key order."""
    problems: list[Problem] = []
    first: dict[object, int] = {}
    for index, item in enumerate(items):
        seen = first.setdefault(_document_form(item), index)
        if seen != index:
            problems.append(
                Problem((key, index), "unique items", f"a repeat of item [{seen}]")
            )
    return problems


def _document_form(value: object) -> object:
    """A hashable form of a document value, equal for equal document values."""
    if isinstance(value, bool):
        return (bool, value)
    if isinstance(value, list):
        return (list, tuple(_document_form(item) for item in value))
    if isinstance(value, dict):
        return (
            dict,
            frozenset((key, _document_form(item)) for key, item in value.items()),
        )
    try:
        hash(value)
    except TypeError:
        return (object, id(value))
    return value
