"""Runtime support of the generated classes: their base class, problems, errors and the checks
loaders share.

Nothing here knows the entity types: the generated ``models`` module calls these helpers from
straight-line code written for each type. YAML reading and writing live in ``_yamlio``, which
is imported on first use so that importing the package does not pay for pyyaml.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, TypeGuard, TypeVar

T = TypeVar("T")
PathKey = str | int


@dataclass(frozen=True, init=False)
class Problem:
    """One bad value in a document: where it is, what was expected and what was found.

    ``at_key`` is true when the problem is the key itself (an unknown key, a key that is no
    string), so that its position is the key's, not its value's.
    """

    path: tuple[PathKey, ...]
    expected: str
    found: str
    line: int | None = None
    column: int | None = None
    source: str | None = None
    at_key: bool = False

    def __init__(
        self,
        path: tuple[PathKey, ...],
        expected: str,
        found: str,
        line: int | None = None,
        column: int | None = None,
        source: str | None = None,
        at_key: bool = False,
    ) -> None:
        # a document may have thousands of problems: set in the instance's dict at once, three
        # times faster than the frozen dataclass's own __init__ (one object.__setattr__ a field)
        fields = self.__dict__
        fields["path"] = path
        fields["expected"] = expected
        fields["found"] = found
        fields["line"] = line
        fields["column"] = column
        fields["source"] = source
        fields["at_key"] = at_key

    @property
    def location(self) -> str:
        """The dotted path of the value, such as ``inputs.input1.mode`` (``<document>`` for the top)."""
        return self._dotted() or "<document>"

    def _dotted(self) -> str:
        text = ""
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
                continue
            if not part.isprintable():  # a control character, a lone surrogate
                part = repr(part)
            text += f".{part}" if text else part
        return text

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where = f"{self.source or '<string>'}:{self.line}:{self.column}: "
        dotted = self._dotted()
        what = f"expected {self.expected}, found {self.found}"
        return f"{where}{dotted}: {what}" if dotted else f"{where}{what}"

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.path,
            self.expected,
            self.found,
            self.line,
            self.column,
            self.source,
            self.at_key,
        )

    def _place(self, line: int | None, column: int | None, source: str | None) -> None:
        """Set the position (a loader's problems are its own until they are reported)."""
        fields = self.__dict__
        fields["line"], fields["column"], fields["source"] = line, column, source


class _UnknownKey(Problem):
    """An unknown key, whose did-you-mean is looked for once it is reported (a fuzzy match
    against every known key: a document with thousands of unknown keys must not pay for all).
    """

    def __init__(self, key: str, keys: frozenset[str]) -> None:
        super().__init__((key,), "a known key", "an unknown key", at_key=True)
        self.__dict__["_keys"] = keys

    def hinted(self) -> Problem:
        """This problem, with the closest known key."""
        import difflib  # only on the error path

        key = self.path[-1]
        keys: frozenset[str] = self.__dict__["_keys"]
        close = difflib.get_close_matches(str(key), sorted(keys), n=1)
        expected = (
            f'a known key (did you mean "{close[0]}"?)' if close else self.expected
        )
        return Problem(
            self.path, expected, self.found, self.line, self.column, self.source, True
        )


#: Most problems a :class:`DocumentError` lists (the first ones, in document order); it counts the others.
MAX_PROBLEMS = 1000
#: Unknown keys of a :class:`DocumentError` that get a did-you-mean (the first ones it lists).
MAX_HINTS = 100


def _position(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


class DocumentError(ValueError):
    """A document that does not fit the format.

    ``problems`` lists its bad values in document order (by position, when they have one): the first
    :data:`MAX_PROBLEMS` of them; ``count`` is how many there are in all.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = sorted(
            problems, key=_position
        )  # stable: unplaced problems keep their order
        self.count = len(found)
        self.problems = found[:MAX_PROBLEMS]
        hints = 0
        for i, problem in enumerate(self.problems):
            if isinstance(problem, _UnknownKey):
                hints += 1
                self.problems[i] = (
                    problem.hinted()
                    if hints <= MAX_HINTS
                    else Problem(*problem._fields())
                )
        lines = "\n".join(f"  {p}" for p in self.problems)
        more = self.count - len(self.problems)
        if more:
            lines += f"\n  and {more} more problem{'s' if more != 1 else ''}"
        count = self.count
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the document:\n{lines}"
        )


class Invalid(Exception):
    """Raised inside loaders; carries problems with paths relative to the value being loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems

    def at(self, key: PathKey) -> list[Problem]:
        """The problems, with ``key`` put in front of each path.

        In place: a loader's problems are its own until they are reported, and a document may
        have thousands of them, each prefixed at every level it is nested in.
        """
        for problem in self.problems:
            problem.__dict__["path"] = (key, *problem.path)
        return self.problems


def describe(value: object) -> str:
    """How a found value is shown in a problem (a subclass of a document type is named as such:
    loaders take the exact types YAML makes)."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is bool:
        return f"the boolean {'true' if value else 'false'}"
    if kind is dict:
        return "a mapping"
    if kind is list:
        return "a list"
    if isinstance(value, str) and kind is str:
        return f"the string {shown(value)}"
    if isinstance(value, int) and kind is int:
        # Python will not print an int of thousands of digits
        if value.bit_length() > 256:
            return f"an integer of {value.bit_length()} bits"
        return f"the integer {value}"
    if kind is float:
        return f"the number {value!r}"
    for base, what in _DOCUMENT_TYPES:
        if isinstance(value, base):
            return f"a value of type {kind.__name__} ({what})"
    return f"a value of type {kind.__name__}"


#: The types of document values a subclass may pass for, and how such a subclass is described.
_DOCUMENT_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "a subclass of bool"),
    (int, "an int subclass, not an int"),
    (float, "a float subclass, not a float"),
    (str, "a str subclass, not a str"),
    (dict, "a mapping, but not a dict"),
    (Mapping, "a mapping, but not a dict"),
    (list, "a list subclass, not a list"),
)


def shown(value: str) -> str:
    """A string as a problem shows it: quoted, cut at 60 characters."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


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


def unknown_keys(data: Mapping[str, Any], keys: frozenset[str]) -> list[Problem]:
    """The problems of the keys of ``data`` that the format does not have (each gets its
    did-you-mean once it is reported)."""
    return [
        _UnknownKey(key, keys) if isinstance(key, str) else key_problem(key)
        for key in data
        if key not in keys
    ]


def key_problem(key: object) -> Problem:
    """The problem of a key that is no string (a document's keys are)."""
    return Problem((key_text(key),), "a string key", describe(key), at_key=True)


def key_text(key: object) -> str:
    """How a path names a key that is no string: its text (an integer too long to print, by
    its size)."""
    try:
        return str(key)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return f"<{describe(key)}>"


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
    shown = ", ".join(
        f"{name}={safe_repr(value)}" for name, value in pairs if value is not None
    )
    return f"{type(obj).__name__}({shown})"


def safe_repr(value: object) -> str:
    """``repr(value)``, with any integer too long for Python to print shown by its size."""
    try:
        return repr(value)
    except ValueError:  # an integer of more digits than sys.get_int_max_str_digits()
        pass
    if isinstance(value, int):
        return f"<an integer of {value.bit_length()} bits>"
    if isinstance(value, dict):
        items = ", ".join(f"{safe_repr(k)}: {safe_repr(v)}" for k, v in value.items())
        return f"{{{items}}}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = ", ".join(safe_repr(item) for item in value)
        opens, closes = _BRACKETS[type(value) if type(value) in _BRACKETS else list]
        return f"{opens}{items}{closes}"
    return repr(value)


_BRACKETS: dict[type, tuple[str, str]] = {
    list: ("[", "]"),
    tuple: ("(", ")"),
    set: ("{", "}"),
    frozenset: ("frozenset({", "})"),
}


def from_data(loader: Callable[[object], T], data: object) -> T:
    """Run a generated loader on plain data, turning its problems into a :class:`DocumentError`
    (in the order of the values in ``data``)."""
    try:
        return loader(data)
    except Invalid as exc:
        raise DocumentError(in_data_order(exc.problems, data)) from None
    except RecursionError:
        raise DocumentError(
            [Problem((), "a document nested less deeply", "too deep a nesting")]
        ) from None


def in_data_order(problems: list[Problem], data: object) -> list[Problem]:
    """``problems`` in the order of their values in ``data`` (plain data has no positions; a
    missing key comes after the keys of its mapping)."""
    indexes: dict[int, dict[object, int]] = {}

    def rank(problem: Problem) -> list[int]:
        out: list[int] = []
        node = data
        for part in problem.path:
            if isinstance(node, dict):
                index = indexes.get(id(node))
                if index is None:
                    index = indexes[id(node)] = _key_index(node)
                out.append(index.get(part, len(index)))
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                out.append(part)
                node = node[part]
            else:
                break
        return out

    return sorted(problems, key=rank)


def _key_index(mapping: dict[object, object]) -> dict[object, int]:
    """Each key of ``mapping`` with its place (a key that is no string also by its text, which is
    how a problem's path names it)."""
    index: dict[object, int] = {}
    for i, key in enumerate(mapping):
        index.setdefault(key, i)
        if not isinstance(key, str):
            index.setdefault(key_text(key), i)
    return index


# -- the base of every generated class ----------------------------------------------------------

#: A field as the runtime sees it: its name, its document key, the attribute that holds it and
#: its default (``MISSING`` for a required field).
FieldEntry = tuple[str, str, str, object]
#: A value the document wrote in another form than ``to_dict`` would: (what ``to_dict`` writes
#: for the value as loaded, or ``MISSING`` when it writes nothing; what the document wrote).
Read = tuple[object, object]


class Doc:
    """What a document said of an object that its values alone do not.

    ``given``: the keys it wrote with their default value, or spelled otherwise: key → (what
    ``to_dict`` writes for the value loaded, or ``MISSING`` for nothing; what the document wrote).
    ``extras``: the keys the format does not model, in document order, each with the key before
    it. ``tag``: the discriminator it wrote where its family would assume it, as (key, value).
    ``restore`` is true when ``given`` or ``extras`` hold something for ``to_dict`` to put back.

    What a document says of an object beyond its values is rare, and usually one thing: each
    attribute has its empty value on the class, and an object's own are set only when there is
    something to hold (a ``Doc`` is then made without an ``__init__``, in a third of the time).
    """

    given: Mapping[str, Read] = MappingProxyType({})
    extras: tuple[tuple[object, object, object], ...] = ()
    tag: tuple[str, object] | None = None
    restore: bool = False


class Record:
    """The base of every generated class.

    Each class lists its fields (``_FIELDS``); a base class defines how its fields are read and
    written (``_read``, ``_write``), which its subclasses' loaders and ``_dump`` call before their
    own fields. An object loaded from a document keeps in ``_doc`` what the document said that its
    values alone do not (see :class:`Doc`); ``to_dict`` writes it back as it was read.
    """

    _FIELDS: ClassVar[tuple[FieldEntry, ...]] = ()
    #: What its document said of its own, or None (the loaders set it on every object they make).
    _doc: Doc | None = None

    def _read(self, data: dict[str, Any], problems: list[Problem]) -> None:
        """Read the fields this class declares from a document mapping (a base class with fields
        defines it; its subclasses' loaders call it)."""

    def _write(self, data: dict[str, Any]) -> None:
        """Write the fields this class declares into a document mapping (a base class with fields
        defines it; its subclasses' ``_dump`` call it)."""

    def _dump(self) -> dict[str, Any]:
        """The document form: each concrete class's ``to_dict``, by a name no field can shadow.
        Values are written as they are: ``dump`` loads what it is about to write, and reports a
        value that does not fit."""
        raise NotImplementedError

    @property
    def fields_set(self) -> frozenset[str]:
        """The fields given: read from a document (a key it wrote, even with the default value) or set
        to another value than their default."""
        doc = self._doc
        given = (
            set() if doc is None else {*doc.given, *(doc.tag[:1] if doc.tag else ())}
        )
        return frozenset(
            name
            for name, key, attr, default in self._FIELDS
            if key in given or _differs(getattr(self, attr), default)
        )

    @property
    def unknown_keys(self) -> Mapping[object, object]:
        """The keys a document gave that the format does not model, with their values, in document
        order (kept only by a class whose ``unknown_keys`` is ``keep``)."""
        extras = self._doc.extras if self._doc is not None else ()
        return MappingProxyType({key: value for _, key, value in extras})

    def __repr__(self) -> str:
        pairs = [(name, getattr(self, attr)) for name, _, attr, _ in self._FIELDS]
        if self._doc is not None and self._doc.extras:
            pairs.append(("unknown_keys", dict(self.unknown_keys)))
        return format_repr(self, pairs)


def _differs(value: object, default: object) -> bool:
    return default is MISSING or type(value) is not type(default) or value != default


def fields(
    bases: Iterable[type[Record]], own: Iterable[tuple[object, ...]]
) -> tuple[FieldEntry, ...]:
    """A class's fields: its bases' (left to right, each once), its own last; a field it declares
    again keeps its place. Each of its own is (name, default), or (name, default, key, attribute)
    when the key or the attribute is not the name."""
    merged: dict[str, FieldEntry] = {}
    for base in bases:
        for entry in base._FIELDS:
            merged.setdefault(entry[0], entry)
    for item in own:
        name = str(item[0])
        key, attr = (str(item[2]), str(item[3])) if len(item) > 2 else (name, name)
        merged[name] = (name, key, attr, item[1])
    return tuple(merged.values())


def keys(entries: tuple[FieldEntry, ...]) -> frozenset[str]:
    """The document keys of a class's fields."""
    return frozenset(entry[1] for entry in entries)


def given(obj: Record, key: str, dumped: object, raw: object) -> None:
    """Remember that the document wrote ``raw`` at ``key``, where ``to_dict`` would write
    ``dumped`` (``MISSING``: nothing) for the value loaded."""
    doc = obj._doc
    if doc is None:
        doc = obj._doc = Doc()
    held = doc.given
    if isinstance(held, dict):
        held[key] = (dumped, raw)
    else:
        doc.given = {key: (dumped, raw)}
    doc.restore = True


def tagged(obj: Record, key: str, raw: object) -> None:
    """Remember that the document wrote the discriminator ``raw`` at ``key``, which its family
    would assume."""
    doc = obj._doc
    if doc is None:
        doc = obj._doc = Doc()
    doc.tag = (key, raw)


def extras(
    obj: Record, data: Mapping[Any, object], known: frozenset[str]
) -> list[Problem]:
    """Keep the keys of ``data`` that the format does not model, each with the key before it;
    the problems of those that are no strings (a document's keys are). (``Mapping[Any, ...]``:
    a mapping's key type is invariant, and loaders pass their ``dict[str, Any]``.)"""
    kept: list[tuple[object, object, object]] = []
    previous: object = None
    problems = []
    for key, value in data.items():
        if key not in known:
            if isinstance(key, str):
                kept.append((previous, key, value))
            else:
                problems.append(key_problem(key))
        previous = key
    doc = obj._doc
    if doc is None:
        doc = obj._doc = Doc()
    doc.extras = tuple(kept)
    doc.restore = True
    return problems


def string_keys(data: Mapping[object, object]) -> list[Problem]:
    """The problems of the keys of ``data`` that are no strings (a document's keys are)."""
    return [key_problem(key) for key in data if not isinstance(key, str)]


def as_read(doc: Doc, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (the document form of an object) with what its document wrote otherwise put back
    (``doc``, the object's ``_doc``): a value spelled otherwise (in place, when it is unchanged
    since loaded), a key given with its default value (after the others), and the unknown keys
    kept (each after the key it followed).
    """
    for key, (dumped, raw) in doc.given.items():
        value = data.get(key, MISSING)
        if value is dumped or (type(value) is type(dumped) and value == dumped):
            data[key] = raw
    if not doc.extras:
        return data
    pairs: list[tuple[object, object]] = list(data.items())
    for previous, extra, kept in doc.extras:
        at = next(
            (i + 1 for i, (k, _) in enumerate(pairs) if k == previous),
            0 if previous is None else len(pairs),
        )
        pairs.insert(at, (extra, kept))
    return dict(pairs)  # type: ignore[arg-type]  # a kept key need not be a string


# -- dates and times -------------------------------------------------------------------------


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


# -- values a document may write in several ways ---------------------------------------------


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


def folded(text: str) -> str:
    """``text`` with its letters in lower case when it is ASCII: how a value is looked up where the
    format ignores the case of ASCII letters (a non-ASCII text is looked up as it is).
    """
    return text.lower() if text.isascii() else text


# -- constraints (the checks themselves are written for each field) ----------------------------


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
