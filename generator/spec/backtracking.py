"""Whether a parsed pattern can make a backtracking engine (Python's ``re``, ECMA-262's) take a time
exponential in the text it matches: whether some part of it can match one text in exponentially many
ways, every one of which the engine tries before it gives up on a text that fails further on.

The pattern is read as an automaton over its character positions (each literal, class, ``.``: the
Glushkov automaton), whose moves count the ways the engine has of going from one position to the next
(``(a*)*`` has two ways from ``a`` to ``a``: within a round, or ending one and starting the next; the
engine does not start a round after one that matched nothing, as ``(a?)*`` shows). It can match a
text in exponentially many ways exactly when some position ``q`` has two different ways back to
itself over one same text: found in the automaton of pairs of positions that have read the same
text, as a strongly connected part that holds ``(q, q)`` and a pair of two positions, or a move that
two different ways take (Weber and Seidl's criterion).

A bounded repetition is read round by round when it has at most :data:`ROUNDS` rounds (counting the
rounds of the bounded repetitions around it), or when its part is one fixed sequence of characters
(``[0-9a-f]{32}``); one of more rounds is read as a repetition without bound (``(\\w+\\s?){1,50}``
has as many ways as the 50th power of the text's length: as bad as exponential). Lookarounds are
read on their own, a back reference as any text. A class is read as the characters it can match at
most (``\\w`` and ``\\d`` beyond ASCII: any character but a space). A pattern that takes more than
:data:`POSITIONS` positions or :data:`STEPS` steps to read is :class:`Intricate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from re import _constants  # type: ignore[attr-defined]  # the parse tree of a pattern
from typing import Any

#: Code points as sorted, disjoint, inclusive ranges.
Chars = tuple[tuple[int, int], ...]
_TOP = 0x10FFFF
_ALL: Chars = ((0, _TOP),)
_NONE: Chars = ()
#: The most rounds a bounded repetition is read by (the rounds of those around it multiplied in).
ROUNDS = 10
#: The most positions a repetition of one fixed sequence of characters is written out in.
FIXED = 64
#: The most positions, and steps (moves between them, and between pairs of them), a pattern is read with
#: before it is called too intricate to read.
POSITIONS = 2000
STEPS = 100_000
#: What ``\s`` matches in a ``str`` pattern (tests/test_patterns.py checks it against ``re``).
SPACE: Chars = (
    (0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
)  # fmt: skip


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


def overlap(a: Chars, b: Chars) -> bool:
    """Whether two sets of characters share one."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


_BEYOND_ASCII = _complement(_union(((0, 0x7F),), SPACE))  # what \w and \d may match beyond ASCII
_DIGIT = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
#: For each category: the characters it matches at least, and at most.
_CATEGORIES = {
    "DIGIT": (_DIGIT, _union(_DIGIT, _BEYOND_ASCII)),
    "WORD": (_WORD, _union(_WORD, _BEYOND_ASCII)),
    "SPACE": (SPACE, SPACE),
}


def chars(op: Any, arg: Any, *, most: bool = True) -> Chars:
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
        bounds = _CATEGORIES.get(name.removeprefix("NOT_"))
        if bounds is None:
            return _ALL if most else _NONE
        return _complement(bounds[not most]) if negated else bounds[most]
    if op == _constants.IN:
        if arg and arg[0][0] == _constants.NEGATE:
            return _complement(_union(*(chars(o, a, most=not most) for o, a in arg[1:])))
        return _union(*(chars(o, a, most=most) for o, a in arg))
    return _ALL if most else _NONE  # what this reading does not know may match anything


class Intricate(Exception):
    """A pattern too intricate to be read in :data:`POSITIONS` positions and :data:`STEPS` steps (no spec
    needs one)."""


# -- the automaton of positions ------------------------------------------------------------------------

#: Ways are counted up to two: more tell nothing more.
Ways = dict[int, int]
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)
_ATOMS = (_constants.LITERAL, _constants.NOT_LITERAL, _constants.ANY, _constants.RANGE, _constants.IN, _constants.CATEGORY)


def _add(a: Ways, b: Ways, times: int = 1) -> Ways:
    out = dict(a)
    for position, ways in b.items():
        out[position] = min(2, out.get(position, 0) + ways * times)
    return {p: w for p, w in out.items() if w}


@dataclass(frozen=True)
class _Part:
    """A part of a pattern read: the positions it can begin and end at (with the ways of reaching them
    from its start, and its end from them) and the ways it can match nothing."""

    first: Ways
    last: Ways
    empty: int


_NOTHING = _Part({}, {}, 1)


class _Automaton:
    """The positions of a parsed pattern, and the ways of moving from one to the next."""

    def __init__(self) -> None:
        self.chars: list[Chars] = []
        self.moves: dict[int, Ways] = {}
        self.links = 0

    def sequence(self, items: Any, rounds: int) -> _Part:
        part = _NOTHING
        for op, arg in items:
            part = self._then(part, self._item(op, arg, rounds))
        return part

    def _position(self, matched: Chars) -> _Part:
        if len(self.chars) == POSITIONS:
            raise Intricate
        self.chars.append(matched)
        position = len(self.chars) - 1
        return _Part({position: 1}, {position: 1}, 0)

    def _link(self, last: Ways, first: Ways, times: int = 1) -> None:
        self.links += len(last) * len(first)
        if self.links > STEPS:
            raise Intricate
        for position, ways in last.items():
            moves = self.moves.setdefault(position, {})
            for target, more in first.items():
                moves[target] = min(2, moves.get(target, 0) + more * ways * times)

    def _then(self, a: _Part, b: _Part, *, stop: bool = False) -> _Part:
        """``a`` then ``b``; ``stop``: the engine does not go on to ``b`` once ``a`` matched nothing."""
        self._link(a.last, b.first)
        if stop:
            return _Part(a.first, _add(b.last, a.last, b.empty), a.empty)
        return _Part(_add(a.first, b.first, a.empty), _add(b.last, a.last, b.empty), min(2, a.empty * b.empty))

    def _item(self, op: Any, arg: Any, rounds: int) -> _Part:
        if op == _constants.AT:
            return _NOTHING
        if op in (_constants.ASSERT, _constants.ASSERT_NOT):
            self.sequence(arg[1], rounds)  # read on its own: the engine matches it at every position it tries
            return _NOTHING
        if op in (_constants.SUBPATTERN, _constants.ATOMIC_GROUP):
            return self.sequence(arg[-1], rounds)
        if op in (_constants.BRANCH, _constants.GROUPREF_EXISTS):
            options = arg[1] if op == _constants.BRANCH else [arg[1], arg[2] or []]
            parts = [self.sequence(option, rounds) for option in options]
            first: Ways = {}
            last: Ways = {}
            for part in parts:
                first, last = _add(first, part.first), _add(last, part.last)
            return _Part(first, last, min(2, sum(part.empty for part in parts)))
        if op == _constants.GROUPREF:  # any text
            part = self._position(_ALL)
            self._link(part.last, part.first)
            return _Part(part.first, part.last, 1)
        if op in _REPEATS:
            return self._repeat(arg[0], arg[1], arg[2], rounds)
        return self._position(chars(op, arg))

    def _repeat(self, low: int, high: int, body: Any, rounds: int) -> _Part:
        fixed = _fixed_size(body)
        if high != _constants.MAXREPEAT and (
            rounds * high <= ROUNDS or (low == high and fixed is not None and 0 < fixed * low <= FIXED)
        ):
            part = _NOTHING  # round by round: the rounds it must match, then each further one
            for _ in range(low):
                part = self._then(part, self.sequence(body, rounds * high))
            further = _NOTHING
            for _ in range(high - low):
                one = self._then(self.sequence(body, rounds * high), further, stop=True)
                further = _Part(one.first, one.last, min(2, 1 + one.empty))
            return self._then(part, further)
        part = _NOTHING
        if rounds * low <= ROUNDS:  # the rounds it must match, round by round, then any number more
            for _ in range(low):
                part = self._then(part, self.sequence(body, rounds * low))
            low = 0
        one = self.sequence(body, rounds)
        again = 1 + (one.empty if low >= 2 else 0)  # the rounds it must match may match nothing
        self._link(one.last, one.first, again)
        more = _Part(_add({}, one.first, again), _add({}, one.last, again), min(2, (low == 0) + one.empty))
        return self._then(part, more)


def _fixed_size(items: Any) -> int | None:
    """How many characters ``items`` matches when it is one fixed sequence of them (None if not)."""
    size = 0
    for op, arg in items:
        if op == _constants.SUBPATTERN:
            inner = _fixed_size(arg[-1])
        elif op in _REPEATS:
            inner = _fixed_size(arg[2])
            inner = None if inner is None or arg[0] != arg[1] else inner * arg[0]
        elif op == _constants.AT:
            inner = 0
        elif op in _ATOMS:
            inner = 1
        else:
            inner = None
        if inner is None:
            return None
        size += inner
    return size


# -- two ways back over one text ------------------------------------------------------------------------


def exponential(items: Any) -> bool:
    """Whether the parsed pattern ``items`` can match one text in exponentially many ways; raises
    :class:`Intricate`, RecursionError (it nests too deeply)."""
    automaton = _Automaton()
    automaton.sequence(items, 1)
    moves = {p: sorted(ways.items()) for p, ways in sorted(automaton.moves.items())}
    matched = automaton.chars

    def meets(a: int, b: int) -> bool:
        return overlap(matched[a], matched[b])

    # pairs of positions (the smaller first: the pairs' automaton is symmetric) that have read one text
    edges: dict[tuple[int, int], list[tuple[tuple[int, int], bool]]] = {}
    todo = [(q, q) for q in range(len(matched)) if matched[q]]
    steps = 0
    while todo:
        pair = todo.pop()
        if pair in edges:
            continue
        found = edges[pair] = []
        for a, ways in moves.get(pair[0], []):
            steps += len(moves.get(pair[1], []))
            if steps > STEPS:
                raise Intricate
            for b, _ in moves.get(pair[1], []):
                if pair[0] == pair[1] and b < a:
                    continue  # its mirror is there
                if meets(a, b):
                    target = (min(a, b), max(a, b))
                    found.append((target, pair[0] == pair[1] and a == b and ways > 1))
                    todo.append(target)
    for component in _components(edges):
        if any(p == q for p, q in component):
            if any(p != q for p, q in component):
                return True
            if any(two and target in component for pair in component for target, two in edges[pair]):
                return True
    return False


def _components(edges: dict[tuple[int, int], list[tuple[tuple[int, int], bool]]]) -> list[set[tuple[int, int]]]:
    """The strongly connected components of a graph (Tarjan's algorithm, without recursion)."""
    index: dict[tuple[int, int], int] = {}
    low: dict[tuple[int, int], int] = {}
    stack: list[tuple[int, int]] = []
    on_stack: set[tuple[int, int]] = set()
    found: list[set[tuple[int, int]]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i][0]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[tuple[int, int]] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found
