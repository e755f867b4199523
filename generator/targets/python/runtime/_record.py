"""The base of every generated class (:class:`Record`), its fields as the runtime sees them, and
what a document said of an object beyond its values (:class:`Doc`): keys given with their default
value or spelled otherwise, unknown keys kept, a discriminator written where its family assumes it,
all written back by ``to_dict`` as they were read (:func:`as_read`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress
from operator import attrgetter
from types import MappingProxyType
from typing import Any, ClassVar

from ._checks import MISSING, key_problem
from ._problems import Problem
from ._values import plain_copy


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


#: A field as the runtime sees it: its name, its document key (None for an attribute that is never
#: a document key), the attribute that holds it and its default (``MISSING`` for a required field).
FieldEntry = tuple[str, str | None, str, object]


#: A value the document wrote in another form than ``to_dict`` would: (what ``to_dict`` writes
#: for the value as loaded, or ``MISSING`` when it writes nothing; what the document wrote).
Read = tuple[object, object]


class Doc:
    """What a document said of an object that its values alone do not.

    ``given``: the keys it wrote with their default value, or spelled otherwise: key → (what
    ``to_dict`` writes for the value loaded, or ``MISSING`` for nothing; what the document wrote).
    ``extras``: when the document gave keys the format does not model, every key of its mapping in
    document order: ``(key, value)`` for such a key, kept, ``(key,)`` for a modelled one (so that
    ``to_dict`` writes all of them back in that order); else empty. ``tag``: the discriminator it wrote where its family would assume it, as (key, value).
    ``restore`` is true when ``given`` or ``extras`` hold something for ``to_dict`` to put back.

    What a document says of an object beyond its values is rare, and usually one thing: a ``Doc``
    is made only then (without an ``__init__``, in a third of the time), and given its four
    attributes at once, in the order of :func:`new_doc` (every ``Doc`` then has one layout, and no
    read of them falls back to the class).
    """

    given: Mapping[str, Read]
    extras: tuple[tuple[object, ...], ...]
    tag: tuple[str, object] | None
    restore: bool

    def __getstate__(self) -> dict[str, object]:
        """Its attributes, ``given`` as a dict of its own (pickle, and so ``copy.deepcopy``,
        cannot copy the shared :data:`NOTHING_GIVEN`)."""
        state = dict(vars(self))
        state["given"] = dict(self.given)
        return state


#: The ``given`` of a ``Doc`` that holds none (shared: a first key given makes a dict of its own).
NOTHING_GIVEN: Mapping[str, Read] = MappingProxyType({})


def new_doc(
    given: Mapping[str, Read],
    extras: tuple[tuple[object, ...], ...],
    tag: tuple[str, object] | None,
    restore: bool,
) -> Doc:
    """A ``Doc`` holding these (``given`` and ``tagged`` make theirs the same way, inline)."""
    doc = Doc()
    doc.given = given
    doc.extras = extras
    doc.tag = tag
    doc.restore = restore
    return doc


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
        return MappingProxyType({pair[0]: pair[1] for pair in extras if len(pair) == 2})

    def __eq__(self, other: object) -> bool:
        """Objects of the same class are equal when their fields are (read-only attributes too,
        those that are no document keys included), and the unknown keys they keep (see
        :attr:`unknown_keys`); not the spellings their documents used. Values a document writes
        otherwise differ, though Python holds them equal: ``1``, ``true`` and ``1.0`` (see
        :func:`alike`).
        """
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)  # for type checkers: its class is this one's
        values = _values_getter(self.__class__)
        mine_values, their_values = values(self), values(other)
        if mine_values != their_values or not alike_items(mine_values, their_values):
            return False
        mine, theirs = self._doc, other._doc
        if (mine is None or not mine.extras) and (theirs is None or not theirs.extras):
            return True
        return self.unknown_keys == other.unknown_keys and alike(
            dict(self.unknown_keys), dict(other.unknown_keys)
        )

    #: Mutable: no hash, as a dataclass that compares.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        pairs = [(name, getattr(self, attr)) for name, _, attr, _ in self._FIELDS]
        kept = self.unknown_keys
        if kept:
            pairs.append(("unknown_keys", dict(kept)))
        return format_repr(self, pairs)


#: The function that gives the values of the fields of an object of each class, as a tuple.
_VALUES: dict[type, Callable[[object], tuple[object, ...]]] = {}


def _values_getter(cls: type[Record]) -> Callable[[object], tuple[object, ...]]:
    """The function that gives the values of the fields of an object of ``cls`` (made once)."""
    getter = _VALUES.get(cls)
    if getter is None:
        attrs = [attr for _, _, attr, _ in cls._FIELDS]
        # attrgetter of one attribute gives its value, not a tuple of it
        getter = (
            attrgetter(*attrs)
            if len(attrs) > 1
            else (lambda obj: tuple(getattr(obj, a) for a in attrs))
        )
        _VALUES[cls] = getter
    return getter


def alike(mine: object, theirs: object) -> bool:
    """Whether two values Python holds equal are written alike by a document: their numbers and
    booleans of the same kinds throughout (``True == 1 == 1.0`` in Python, not in a document), the
    keys of mappings too. An object of the package compares its own values (its ``__eq__``).
    """
    if mine.__class__ is theirs.__class__ and not isinstance(mine, _COLLECTIONS):
        return True  # scalars of one class; objects, which their __eq__ compared
    if isinstance(mine, dict) and isinstance(theirs, dict):
        if not _TEXT.issuperset(map(type, mine)):  # a key that is no string
            keys = {key: key for key in theirs}  # theirs, by the key Python holds equal
            if any(_kind(key) is not _kind(keys[key]) for key in mine):
                return False
        return alike_items(list(mine.values()), list(map(theirs.__getitem__, mine)))
    if isinstance(mine, (list, tuple)) and isinstance(theirs, (list, tuple)):
        return alike_items(mine, theirs)
    if isinstance(mine, (set, frozenset)) and isinstance(theirs, (set, frozenset)):
        return {(_kind(item), item) for item in mine} == {
            (_kind(item), item) for item in theirs
        }
    return _kind(mine) is _kind(theirs)


def alike_items(mine: Sequence[object], theirs: Sequence[object]) -> bool:
    """Whether the items of two sequences Python holds equal are each alike (:func:`alike`): when
    they are of the same classes (the common case), only their collections are looked into.
    """
    classes = list(map(type, mine))
    if classes != list(map(type, theirs)):
        return all(map(alike, mine, theirs))
    inside = list(map(_COLLECTION_CLASSES.__getitem__, classes))
    return not any(inside) or all(
        map(alike, compress(mine, inside), compress(theirs, inside))
    )


class _CollectionClasses(dict[type, bool]):
    """Whether each class is that of a collection :func:`alike` looks into (found once a class)."""

    def __missing__(self, cls: type) -> bool:
        self[cls] = found = issubclass(cls, _COLLECTIONS)
        return found


#: The collections :func:`alike` looks into, and the classes of a string.
_COLLECTIONS = (dict, list, tuple, set, frozenset)
_COLLECTION_CLASSES = _CollectionClasses()
_TEXT = frozenset((str,))


def _kind(value: object) -> type:
    """How a document writes a scalar: a string (a member of a str enum too), a boolean, an
    integer (a member of an int enum too), a float, or otherwise (``object``: a date...).
    """
    if isinstance(value, str):
        return str
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    return object


def _differs(value: object, default: object) -> bool:
    return default is MISSING or type(value) is not type(default) or value != default


def fields(
    bases: Iterable[type[Record]], own: Iterable[tuple[object, ...]]
) -> tuple[FieldEntry, ...]:
    """A class's fields: its bases' (left to right, each once), its own last; a field it declares
    again keeps its place. Each of its own is (name, default), or (name, default, key, attribute)
    when the key or the attribute is not the name (key None: the field is no document key).
    """
    merged: dict[str, FieldEntry] = {}
    for base in bases:
        for entry in base._FIELDS:
            merged.setdefault(entry[0], entry)
    for item in own:
        name = str(item[0])
        key: str | None = name
        attr = name
        if len(item) > 2:
            key, attr = None if item[2] is None else str(item[2]), str(item[3])
        merged[name] = (name, key, attr, item[1])
    return tuple(merged.values())


def keys(entries: tuple[FieldEntry, ...]) -> frozenset[str]:
    """The document keys of a class's fields."""
    return frozenset(entry[1] for entry in entries if entry[1] is not None)


def given(obj: Record, key: str, dumped: object, raw: object) -> None:
    """Remember that the document wrote ``raw`` at ``key``, where ``to_dict`` would write
    ``dumped`` (``MISSING``: nothing) for the value loaded."""
    doc = obj._doc
    if doc is None:  # the usual case: the first thing its document said of the object
        obj._doc = doc = Doc()  # as new_doc, inline: the common case
        doc.given = {key: (dumped, raw)}
        doc.extras = ()
        doc.tag = None
        doc.restore = True
        return
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
        obj._doc = doc = Doc()  # as new_doc, inline: the common case
        doc.given = NOTHING_GIVEN
        doc.extras = ()
        doc.tag = (key, raw)
        doc.restore = False
    else:
        doc.tag = (key, raw)


def extras(
    obj: Record, data: Mapping[Any, object], known: frozenset[str]
) -> list[Problem]:
    """Keep the keys of ``data`` that the format does not model, and the order of all its keys
    (see :class:`Doc`); the problems of the keys that are no strings (a document's keys are).
    (``Mapping[Any, ...]``: a mapping's key type is invariant, and loaders pass their
    ``dict[str, Any]``.)"""
    order: list[tuple[object, ...]] = []
    some = False
    problems = []
    for key, value in data.items():
        if key in known:
            order.append((key,))
        elif isinstance(key, str):
            order.append((key, value))
            some = True
        else:
            problems.append(key_problem(key))
    kept = tuple(order) if some else ()
    doc = obj._doc
    if doc is None:
        obj._doc = new_doc(NOTHING_GIVEN, kept, None, True)
    else:
        doc.extras = kept
        doc.restore = True
    return problems


def ranks(entries: tuple[FieldEntry, ...]) -> dict[str, int]:
    """The place of each document key of a class's fields in the order of its fields (the order in
    which ``to_dict`` writes them, unless its module lists them)."""
    return {
        entry[1]: place for place, entry in enumerate(entries) if entry[1] is not None
    }


def keep_order(
    obj: Record, data: Mapping[str, object], rank: Mapping[str, int]
) -> None:
    """Remember the order of the keys of ``data``, the mapping ``obj`` was loaded from, when
    ``to_dict`` would write them in another (``rank``: the place of each key it writes), so that it
    writes them back in the document's order, as it does those of a mapping that kept unknown keys
    (which :func:`extras` remembers). A key given with its default value, which ``to_dict``
    would put after the others, is so written back in its place too."""
    doc = obj._doc
    if doc is not None and doc.extras:
        return  # ordered already
    last = -1
    for key in data:
        place = rank.get(key)
        if place is None:
            continue  # a key the class ignores (a kept one: the order is remembered)
        if place < last:
            break
        last = place
    else:  # in order, but a key given with its default value goes after the others
        if doc is None or not any(read[0] is MISSING for read in doc.given.values()):
            return
    order = tuple(zip(data))  # each key as (key,), a modelled key of Doc.extras
    if doc is None:
        obj._doc = new_doc(NOTHING_GIVEN, order, None, True)
    else:
        doc.extras = order
        doc.restore = True


def string_keys(data: Mapping[object, object]) -> list[Problem]:
    """The problems of the keys of ``data`` that are no strings (a document's keys are)."""
    return [key_problem(key) for key in data if not isinstance(key, str)]


def as_read(doc: Doc, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (the document form of an object) with what its document wrote otherwise put back
    (``doc``, the object's ``_doc``): a value spelled otherwise (in place, when it is unchanged
    since loaded), a key given with its default value (after the others: putting it in its place
    would cost every ``to_dict`` a test per field, or a copy of the mapping), and the unknown keys
    kept: those, and every other key with them, in the document's order (a key it did not give,
    right after the key ``to_dict`` writes before it)."""
    for key, (dumped, raw) in doc.given.items():
        if dumped is MISSING:  # given with its default value, which to_dict leaves out
            if key not in data:
                data[key] = plain_copy(raw)
        else:
            value = data.get(key, MISSING)
            if value is dumped or (type(value) is type(dumped) and value == dumped):
                data[key] = plain_copy(raw)
    extras = doc.extras
    return _with_extras(extras, data) if extras else data


def _with_extras(
    extras: tuple[tuple[object, ...], ...], data: dict[str, Any]
) -> dict[str, Any]:
    """``data`` with the unknown keys kept put back, in the document's order with its other keys;
    a key it did not give (set in Python since, or always written) goes right after the key that
    ``data`` has before it, as in an object that remembers no order."""
    out: dict[Any, Any] = {}
    for pair in extras:
        key = pair[0]
        if len(pair) == 2:
            out[key] = plain_copy(pair[1])
        elif key in data:
            out[key] = data[key]
    if all(key in out for key in data):
        return out
    order = list(out)
    previous: object = None
    for key in data:
        if key not in out:
            order.insert(order.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    return {key: out[key] if key in out else data[key] for key in order}
