"""Problems and errors of the generated package: a bad value with its path (:class:`Problem`), the
error that lists a document's problems (:class:`DocumentError`), the exception loaders raise inside
(:class:`Invalid`), how a found value is described, and running a loader on plain data
(:func:`from_data`), its problems in the order of their values."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

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


class UnknownKey(Problem):
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
    :data:`MAX_PROBLEMS` of them; ``count`` is how many there are in all. ``documents``: how many
    documents the stream read held, when it held more than one (the message says so).
    """

    def __init__(self, problems: Iterable[Problem], documents: int = 1) -> None:
        found = sorted(
            problems, key=_position
        )  # stable: unplaced problems keep their order
        self.count = len(found)
        self.problems = found[:MAX_PROBLEMS]
        hints = 0
        for i, problem in enumerate(self.problems):
            if isinstance(problem, UnknownKey):
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
        where = "the document" if documents <= 1 else f"the {documents} documents"
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in {where}:\n{lines}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as it is (its ``__init__`` takes problems, not its message): a worker process
        can raise it."""
        return (_unpickled, (type(self), self.args), self.__dict__)


def _unpickled(cls: type[DocumentError], args: tuple[object, ...]) -> DocumentError:
    """A :class:`DocumentError` of these ``args``, its ``__init__`` not run (pickle then gives it
    its attributes)."""
    return cls.__new__(cls, *args)


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
    if isinstance(
        value, datetime.date
    ):  # a timestamp as the document wrote it, or as given
        what = "date and time" if isinstance(value, datetime.datetime) else "date"
        return f"the {what} {getattr(value, 'text', None) or value.isoformat()}"
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


def key_text(key: object) -> str:
    """How a path names a key that is no string: its text (an integer too long to print, by
    its size)."""
    try:
        return str(key)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        return f"<{describe(key)}>"


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


# -- documents of another form -------------------------------------------------------------


def relocate(
    problems: list[Problem], original: object, rewritten: object
) -> list[Problem]:
    """Give the problems of a ``rewritten`` document the paths of the ``original`` values they
    came from, where the rewriting moved them (``package.document.reads``).

    A mapping, a list or a string (of two characters or more: Python shares shorter ones) that
    the rewriting moved is the same object in both documents; so is any value moved with its key
    (``command: 5`` from under ``component``), if the original has that key with that very value
    at one place only. Each problem's path is followed in ``rewritten`` as far as it goes; the
    deepest value on it found so in ``original`` gives its path there, and the rest of the
    problem's path follows it. A path that reaches no such value stays as it is (the top-level
    document stands for itself). In place; runs only when there are problems to report.
    """
    where: dict[object, tuple[PathKey, ...]] = {}
    twice: set[object] = set()

    def note(mark: object, path: tuple[PathKey, ...]) -> None:
        if mark in where:
            twice.add(mark)  # an alias, or a value Python shares: no one place
        else:
            where[mark] = path

    stack: list[tuple[object, tuple[PathKey, ...]]] = [(original, ())]
    while stack:
        value, path = stack.pop()
        shared = id(value) in where
        note(id(value), path)
        if shared:
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                sub = (*path, key if isinstance(key, str) else key_text(key))
                note((key, id(item)), sub)
                stack.append((item, sub))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
    for problem in problems:
        node, depth = rewritten, 0
        found: tuple[PathKey, ...] = ()
        for i, part in enumerate(problem.path):
            if isinstance(node, dict) and part in node:
                node = node[part]
                mark: object = (part, id(node))
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                mark = None
            else:
                break
            if isinstance(node, (dict, list)) or (
                isinstance(node, str) and len(node) > 1
            ):
                mark = id(node)
            if mark in where and mark not in twice:
                found, depth = where[mark], i + 1
        if depth:
            problem.__dict__["path"] = (*found, *problem.path[depth:])
    return problems
