"""Python source the way black writes it, for the few shapes the templates emit.

Formatting 6 MB of generated code with black takes minutes, so the templates write black's
output directly: string literals with black's choice of quotes, docstrings that fit, and
bracketed lists (``__all__``, imports, calls, sets) laid out by black's rules for them
(:func:`lay`). The format stage then skips black for every top-level block whose lines all fit
(:func:`needs_black`); a block with a line too long for these rules (a long union, a long
name...) is still formatted by black. The tests check that black leaves every block it skipped
unchanged, on every spec they generate.

Pure Python with no dependency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: black's default line length, the one the generated code is formatted with.
LINE_LENGTH = 88


def width(text: str) -> int:
    """An upper bound of the width black measures: exact for ASCII; black counts a wide
    character as two columns, so two per character bounds any other text."""
    return len(text) if text.isascii() else 2 * len(text)


def fits(text: str, indent: int = 0) -> bool:
    """Whether black sees ``text``, indented by ``indent`` spaces, as short enough."""
    return indent + width(text) <= LINE_LENGTH


def escape_char(ch: str) -> str:
    """A character as a Python string escape, as ``repr`` writes it."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def py_str(value: str) -> str:
    """A Python string literal of ``value``, quoted as black quotes it.

    Characters that are not printable are escaped as ``repr`` escapes them; the quotes are
    double unless single quotes need fewer escapes (black's rule), so black leaves the literal
    as it is.
    """
    if value.isprintable() and "\\" not in value:
        body = value
    else:
        body = "".join(_SHORT_ESCAPES.get(ch) or (ch if ch.isprintable() else escape_char(ch)) for ch in value)
    quote = '"' if value.count('"') <= value.count("'") else "'"
    return quote + body.replace(quote, "\\" + quote) + quote


def py_literal(value: object) -> str:
    """The Python literal of a scalar (None, bool, int, float, str) as black writes it."""
    if isinstance(value, str):
        return py_str(value)
    return repr(value)


@dataclass(frozen=True)
class Brackets:
    """A bracketed, comma-separated list: call arguments, a list or set display, imported names.

    ``hug``: black puts the items of a call on one indented line when they fit there; the items
    of a display (and imported names) go one per line instead. ``implicit``: the brackets are
    written only when the list is split (an import's parentheses).
    """

    opening: str
    items: Sequence[str | Brackets]
    closing: str
    hug: bool = True
    implicit: bool = False

    def flat(self) -> str:
        """The one-line form."""
        inner = ", ".join(flat(item) for item in self.items)
        return inner if self.implicit else f"{self.opening}{inner}{self.closing}"


def flat(item: str | Brackets) -> str:
    """The one-line form of an item."""
    return item if isinstance(item, str) else item.flat()


def lay(prefix: str, item: str | Brackets, suffix: str = "", indent: int = 0) -> str:
    """``prefix + item + suffix`` as one statement laid out by black's rules, indented by ``indent``.

    The first line carries no indentation (the template writes it); continuation lines do. What
    black does with a statement that ends in a bracketed list: keep it on one line if it fits;
    else split at that list's brackets and put the items on one indented line if they fit there
    (calls only), else one item a line, each followed by a comma, each laid out the same way. A
    statement these rules cannot shorten comes out on one line, too long, and black formats its
    block (see :func:`needs_black`).
    """
    one_line = prefix + flat(item) + suffix
    if fits(one_line, indent) or isinstance(item, str) or not item.items:
        return one_line
    if not (_ascii(item) and prefix.isascii() and suffix.isascii()):
        return one_line  # black's width of other text is not known here: black decides
    head = prefix + ("(" if item.implicit else item.opening)
    tail = (item.closing if not item.implicit else ")") + suffix
    if not fits(head, indent):
        return one_line
    pad = " " * (indent + 4)
    inner = ", ".join(flat(i) for i in item.items)
    if item.hug and fits(inner, indent + 4) and not item.implicit:
        return f"{head}\n{pad}{inner}\n{' ' * indent}{tail}"
    if len(item.items) == 1 and not item.implicit:
        return f"{head}\n{pad}{lay('', item.items[0], '', indent + 4)}\n{' ' * indent}{tail}"
    lines = [head] + [pad + lay("", i, ",", indent + 4) for i in item.items] + [" " * indent + tail]
    return "\n".join(lines)


def _ascii(item: str | Brackets) -> bool:
    if isinstance(item, str):
        return item.isascii()
    return item.opening.isascii() and item.closing.isascii() and all(_ascii(i) for i in item.items)


_STRING = r"""(?:[rRbBfFuU]{1,2})?(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
#: A line black cannot split: a string, or a ``key: value`` pair of strings, maybe with a comma.
_UNSPLITTABLE = re.compile(rf"\s*(?:{_STRING})(?:: (?:{_STRING}))?,?")


def needs_black(block: str) -> bool:
    """Whether a top-level block of generated code may be something black would change.

    The templates write black's layout for every line that fits (the tests hold them to it), so
    only a block with a line that may not fit needs black. Lines black never splits do not count:
    comments, the text of a docstring, a line holding only a string (or a pair of strings). The
    closing line of a docstring does count: black moves closing quotes that do not fit.
    """
    in_docstring = False
    for line in block.split("\n"):
        stripped = line.lstrip()
        quotes = line.count('"""')
        opens = not in_docstring and stripped.startswith('"""')
        # black leaves a docstring's first line (a one-line docstring too) and its text alone
        docstring_text = opens or (in_docstring and not quotes)
        if not fits(line) and not (docstring_text or stripped.startswith("#") or _UNSPLITTABLE.fullmatch(line)):
            return True
        if opens and quotes == 1:
            in_docstring = True
        elif in_docstring and quotes:
            in_docstring = False
    return False


_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}


def _after_string(text: str, start: int) -> int:
    """The index after the string literal whose opening quote is at ``start`` (escapes known);
    past ``len(text)`` when it is not closed."""
    quote, i, n = text[start], start + 1, len(text)
    while i < n and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _groups(text: str) -> list[tuple[int, int]] | None:
    """The top-level bracket pairs of ``text`` as (open, close) indexes; None if unbalanced.

    Knows string literals (plain, single or double quoted, with escapes): brackets and commas in
    them do not count.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            i = _after_string(text, i)
            if i > n:
                return None  # an unterminated string
            continue
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE:
            if not stack or _OPEN[text[stack[-1]]] != ch:
                return None
            start = stack.pop()
            if not stack:
                pairs.append((start, i))
        i += 1
    return None if stack else pairs


def _split_items(inner: str) -> list[str] | None:
    """``inner`` cut at its top-level commas; None when it ends with a comma (a one-tuple or a
    trailing comma black treats as magic: not a shape :func:`lay` writes). A comprehension is
    one item (its ``for`` target may hold commas)."""
    if " for " in inner:
        return [inner.strip()]
    items: list[str] = []
    depth, start, i, n = 0, 0, 0, len(inner)
    while i < n:
        ch = inner[i]
        if ch in "\"'":
            i = _after_string(inner, i)
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(inner[start:i].strip())
            start = i + 1
        i += 1
    last = inner[start:].strip()
    if not last and items:
        return None
    if last:
        items.append(last)
    return items


def parse_item(text: str) -> str | Brackets:
    """An expression as :func:`lay` sees it: ``name(items)``, ``[items]``, ``{items}`` or
    ``(items)`` become :class:`Brackets` (their items parsed the same way); anything else, or
    anything with more before its last bracket than a dotted name, stays text."""
    if not text or text[-1] not in _CLOSE:
        return text
    pairs = _groups(text)
    if not pairs or pairs[-1][1] != len(text) - 1:
        return text
    start, end = pairs[-1]
    head = text[:start]
    if head and not head.replace(".", "").replace("_", "").isalnum():
        return text
    items = _split_items(text[start + 1 : end])
    if items is None:
        return text
    return Brackets(text[: start + 1], [parse_item(i) for i in items], text[end], hug=bool(head))


def stmt(text: str, indent: int = 0) -> str:
    """One statement written flat, laid out as black lays it out (see :func:`lay`).

    The statement's last bracketed list is the one split: ``prefix(items)suffix`` where the
    suffix is empty or ``:``. An import's names get the parentheses black adds. Statements that
    fit, and shapes these rules do not know, come back as they are.
    """
    if fits(text, indent) or text.startswith(("def ", "async def ", "class ", "@")):
        return text  # black splits a definition's header by other rules: black lays those out
    if text.startswith("from ") and " import " in text and "(" not in text:
        head, names = text.split(" import ", 1)
        return lay(head + " import ", Brackets("(", [n.strip() for n in names.split(",")], ")", implicit=True), "", indent)
    suffix = ":" if text.endswith(":") else ""
    body = text[: len(text) - len(suffix)]
    pairs = _groups(body)
    if not pairs or pairs[-1][1] != len(body) - 1:
        return text
    start, end = pairs[-1]
    items = _split_items(body[start + 1 : end])
    if items is None or not items:
        return text
    if not _can_omit_optional_parens(body[:start], pairs, indent):
        return text
    is_call = start > 0 and (body[start - 1].isalnum() or body[start - 1] in "_)]")
    group = Brackets(body[start], [parse_item(i) for i in items], body[end], hug=is_call)
    return lay(body[:start], group, suffix, indent)


_KEYWORDS = ("if ", "elif ", "while ", "return ", "raise ")
_LOGIC = re.compile(r"\b(?:and|or)\b")
_HIGHER = re.compile(r"\s(?:if|else|for|lambda)\s")
_OPERATOR = re.compile(r"\s(?:is|in|not|if|else|for|lambda|==|!=|<=?|>=?|[-+*/%|&^@]|//|\*\*|<<|>>)\s")


def _can_omit_optional_parens(prefix: str, pairs: list[tuple[int, int]], indent: int) -> bool:
    """Whether black splits at the last bracket rather than inside the invisible parentheses it
    puts around a condition, a returned value or an assigned value.

    black keeps those parentheses when what they hold has two delimiters of its highest priority
    (``a and b and f(x)``), and with one (``a is not None and f(x)``) when the text up to the last
    opening bracket does not fit on a line of its own; other shapes with operators are left to
    black.
    """
    rest = prefix
    for keyword in _KEYWORDS:
        if prefix.startswith(keyword):
            rest = prefix[len(keyword) :]
            break
    else:
        assign = re.match(r"[\w.\[\]\"' ]+? [-+*/|&]?= ", prefix)
        if assign:
            rest = prefix[assign.end() :]
    if rest == prefix and not prefix.replace(".", "").replace("_", "").isalnum():
        return False  # an expression statement with more than a name before the bracket
    masked = list(rest)
    offset = len(prefix) - len(rest)
    for start, end in pairs[:-1]:
        for i in range(max(start - offset, 0), min(end + 1 - offset, len(masked))):
            masked[i] = "_"
    text = "".join(masked)
    if '"' in text or "'" in text:
        return False  # a string outside brackets: black's delimiters are not counted here
    if "," in text or _HIGHER.search(f" {text} "):
        return False  # a tuple, a conditional expression, a lambda: left to black
    logic = len(_LOGIC.findall(text))
    if logic == 0:
        return not _OPERATOR.search(f" {text} ")
    if logic > 1:
        return False
    return fits(rest + "(", indent + 4)
