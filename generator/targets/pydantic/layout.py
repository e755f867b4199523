"""black's layout of datamodel-code-generator's models, written without black for the shapes it writes.

datamodel-code-generator (run without formatters) writes each model as ``class Name(Base):``, a
docstring of its own lines, an exploded ``model_config = ConfigDict(...)`` and one line a field:
``name: Type = Field(..., description='...')``. black takes seconds on a large module of them (most
of a cold run of a large spec), though what it does to them is simple: double quotes, a blank line
after the class docstring, and a field too long for a line cut after ``Field(`` (the arguments on
one line, or one a line with a trailing comma when they do not fit). :func:`layout_models` writes
that for the blocks made of these shapes only, each part checked against a strict grammar (names,
plain strings, simple numbers; spacing as black writes it); any other block goes to black, whole.
tests/test_pydantic_layout.py holds the result to black's, block by block, on every golden spec and a
synthetic one.
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Callable

from ...fmt import join_blocks, split_blocks

#: black's line length (the generator's mode: the default).
LINE = 88

#: The tokens of a statement this module lays out; anything else (an operator, a keyword, a prefixed or
#: triple-quoted string, a number black would respell) sends its block to black.
_TOKEN = re.compile(
    r"""(?P<space>[ ]+)
      | (?P<str>r?'(?:[^'"\\\n]|\\[^'"\n])*'|r?"(?:[^"\\\n]|\\[^'"\n])*")
      | (?P<num>\d+(?:\.\d+)?(?![\w.]))
      | (?P<name>[A-Za-z_]\w*)
      | (?P<ellipsis>\.\.\.)
      | (?P<op>[()\[\]{},:=|.])""",
    re.VERBOSE,
)
_KEYWORDS = frozenset(keyword.kwlist) - {"None", "True", "False"}
_OPENING = {"(": ")", "[": "]", "{": "}"}
_CLOSING = frozenset(")]}")


class Refused(Exception):
    """The text is not one of the shapes laid out here: black formats its block."""


def _tokens(text: str) -> list[tuple[str, str]]:
    """The (kind, text) tokens of one logical line, spaces dropped; raises :class:`Refused`."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise Refused(text)
        kind = match.lastgroup or ""
        if kind != "space":
            if kind == "name" and match.group() in _KEYWORDS:
                raise Refused(text)
            out.append((kind, match.group()))
        pos = match.end()
    return out


def _double_quoted(token: str) -> str:
    """A string token (maybe raw) as black writes it: double quotes when that adds no escape (the
    grammar allows no quote inside a single-quoted string, and no escaped quote)."""
    prefix = "r" if token[0] == "r" else ""
    body = token[len(prefix) :]
    return f'{prefix}"{body[1:-1]}"' if body[0] == "'" else token


def _canonical(tokens: list[tuple[str, str]], within: str = "") -> str:
    """The statement with black's spacing and quotes; raises :class:`Refused` where black's rules are
    more than these: a colon inside brackets but a mapping's, ``=`` inside brackets but a keyword
    argument's, a trailing comma (black's "magic" one explodes the brackets), two operands in a row.
    ``within``: the bracket the tokens are inside (the arguments of a call: ``(``)."""
    stack: list[str] = [within] if within else []
    out: list[str] = []
    prev: tuple[str, str] | None = None
    for kind, text in tokens:
        inside = stack[-1] if stack else ""
        if (
            kind == "op"
            and text in _CLOSING
            and (len(stack) <= bool(within) or _OPENING[stack.pop()] != text or (prev is not None and prev[1] == ","))
        ):
            raise Refused(text)
        space = prev is not None and _spaced(prev, (kind, text), inside)
        out.append((" " if space else "") + (_double_quoted(text) if kind == "str" else text))
        if kind == "op" and text in _OPENING:
            stack.append(text)
        prev = (kind, text)
    if len(stack) != bool(within):
        raise Refused("unclosed")
    return "".join(out)


def _operand(token: tuple[str, str]) -> bool:
    return token[0] in ("str", "num", "name", "ellipsis") or token[1] in _CLOSING


def _spaced(prev: tuple[str, str], cur: tuple[str, str], inside: str) -> bool:
    """Whether black puts a space between two tokens (``inside``: the innermost open bracket)."""
    (pk, p), (ck, c) = prev, cur
    if _operand(prev) and _operand(cur) and c not in _CLOSING:
        raise Refused(f"{p} {c}")  # two operands in a row: a keyword, an implicit concatenation
    if ck == "op" and c == ":":
        if inside not in ("", "{"):
            raise Refused(":")  # a slice: black has rules of its own
        return False
    if pk == "op" and p == ":":
        return True
    if "=" in (p, c):
        if inside not in ("", "("):
            raise Refused("=")
        return inside == ""  # `a = b` at the top, `f(a=b)` inside a call
    if (pk == "op" and p in _OPENING) or (ck == "op" and (c in _CLOSING or c == ",")):
        return False
    if p in (",", "|") or c == "|":
        return True
    if c == ".":
        if not (pk == "name" or p in _CLOSING):
            raise Refused(".")
        return False
    if p == ".":
        if ck != "name":
            raise Refused(".")
        return False
    if ck == "op" and c in "([" and (pk == "name" or p in _CLOSING):
        return False  # a call or a subscript
    raise Refused(f"{p} {c}")


def _width(line: str) -> int:
    if not line.isascii():  # black counts wide characters twice: not laid out here
        raise Refused("width")
    return len(line)


def _depth0_commas(tokens: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The comma-separated parts of a token list, cut at its outermost commas."""
    parts: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for token in tokens:
        if token[0] == "op" and token[1] in _OPENING:
            depth += 1
        elif token[0] == "op" and token[1] in _CLOSING:
            depth -= 1
        if depth == 0 and token == ("op", ","):
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _has_brackets(tokens: list[tuple[str, str]]) -> bool:
    return any(kind == "op" and text in _OPENING for kind, text in tokens)


@functools.lru_cache(maxsize=4096)
def statement(text: str, indent: str) -> tuple[str, ...]:
    """One logical line (a statement on one line, as datamodel-code-generator writes it) in black's
    layout at ``indent``: as it is when it fits; else, for ``target = name(arguments)`` (a call, the
    whole right-hand side), cut after the call's ``(``. Raises :class:`Refused` otherwise. Cached: the
    same lines come back in many models (``extra='forbid',``, a field their bases share)."""
    tokens = _tokens(text)
    canonical = _canonical(tokens)
    if canonical != _respaced(text):
        raise Refused("spacing")  # black would space it otherwise: it formats the block
    line = indent + canonical
    if _width(line) <= LINE:
        return (line,)
    # `target[: annotation] = callee(arguments)`: one `=` outside brackets, then a name and a call to the end
    depth, equals = 0, []
    for i, (kind, token) in enumerate(tokens):
        if kind == "op" and token in _OPENING:
            depth += 1
        elif kind == "op" and token in _CLOSING:
            depth -= 1
        elif depth == 0 and token == "=":
            equals.append(i)
    if len(equals) != 1:
        raise Refused("not an assignment")
    rhs = tokens[equals[0] + 1 :]
    if len(rhs) < 3 or rhs[0][0] != "name" or rhs[1] != ("op", "(") or rhs[-1] != ("op", ")"):
        raise Refused("not a call")
    depth = 0
    for i, (kind, token) in enumerate(rhs[1:], 1):
        depth += 1 if kind == "op" and token in _OPENING else -1 if kind == "op" and token in _CLOSING else 0
        if depth == 0 and i != len(rhs) - 1:
            raise Refused("the call is not the whole right-hand side")
    arguments = rhs[2:-1]
    if not arguments:
        raise Refused("no arguments")
    head = indent + _canonical(tokens[: equals[0] + 2]) + "("
    if _width(head) > LINE:
        raise Refused("head")
    inner = indent + "    "
    body = inner + _canonical(arguments, "(")
    if _width(body) <= LINE:
        return (head, body, indent + ")")
    parts = _depth0_commas(arguments)
    if len(parts) < 2:
        raise Refused("one argument too long")
    lines = [head]
    for part in parts:
        each = inner + _canonical(part, "(") + ","
        if _width(each) > LINE and _has_brackets(part):
            raise Refused("an argument black would cut")
        lines.append(each)
    return (*lines, indent + ")")


def _respaced(text: str) -> str:
    """``text`` with its own spacing and black's quotes, to compare with :func:`_canonical`."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match is not None  # _tokens accepted it
        out.append(_double_quoted(match.group()) if match.lastgroup == "str" else match.group())
        pos = match.end()
    return "".join(out)


def _exploded(lines: list[str], indent: str) -> list[str]:
    """A call written one argument a line with a trailing comma (``model_config = ConfigDict(``, its
    arguments, ``)``): black keeps it so (the comma is "magic"), in its quotes and spacing."""
    first, *middle, last = lines
    if last != indent + ")" or not middle:
        raise Refused("exploded")
    head = statement(first[len(indent) :] + ")", indent)
    if len(head) != 1:
        raise Refused("exploded head")
    out = [head[0][:-1]]
    inner = indent + "    "
    for line in middle:
        if not line.startswith(inner) or not line.endswith(",") or line[len(inner)] == " ":
            raise Refused("exploded argument")
        tokens = _tokens(line[len(inner) : -1])
        if len(_depth0_commas(tokens)) != 1:
            raise Refused("two arguments on a line")
        canonical = _canonical(tokens, "(")
        each = inner + canonical + ","
        if canonical != _respaced(line[len(inner) : -1]) or (_width(each) > LINE and _has_brackets(tokens)):
            raise Refused("exploded argument")
        out.append(each)
    return [*out, last]


def _docstring(lines: list[str], indent: str) -> list[str]:
    """A docstring written ``\"\"\"``, its lines, ``\"\"\"`` (each at ``indent``), as black leaves it: only
    plain lines (no backslash, no quotes run, no trailing space, no tab), the least indented at ``indent``."""
    if lines[0] != indent + '"""' or lines[-1] != indent + '"""' or len(lines) < 3:
        raise Refused("docstring")
    flush = False
    for line in lines[1:-1]:
        if not line:
            continue
        if not line.startswith(indent) or line != line.rstrip() or "\\" in line or '"""' in line or "\t" in line:
            raise Refused("docstring line")
        flush = flush or line[len(indent)] != " "
    if not flush:
        raise Refused("docstring indent")
    return lines


def block(text: str) -> str:
    """One top-level block (:func:`generator.fmt.split_blocks`) in black's layout; raises
    :class:`Refused` for a block that is not a class of the shapes above or a run of top-level
    one-line statements (``Model.model_rebuild()``)."""
    lines = text.rstrip("\n").split("\n")
    if not lines[0].startswith("class "):
        if any(not line.strip() for line in lines):
            raise Refused("blank line")
        if any(line[0] == " " for line in lines):
            raise Refused("indented")
        return "".join(line + "\n" for each in lines for line in statement(each, ""))
    match = re.fullmatch(r"class ([A-Za-z_]\w*)\((.+)\):", lines[0])
    if match is None or len(lines) < 2:
        raise Refused("class line")
    bases = f"{match[1]}({match[2]})"
    canonical = _canonical(_tokens(bases))
    if canonical != _respaced(bases) or _width(f"class {canonical}:") > LINE:
        raise Refused("class line")
    out = [f"class {canonical}:"]
    indent = "    "
    body = lines[1:]
    if body[0] == indent + '"""':
        end = next((i for i in range(1, len(body)) if body[i] == indent + '"""'), 0)
        if not end or end == len(body) - 1:
            raise Refused("docstring")
        out += _docstring(body[: end + 1], indent)
        out.append("")  # black's blank line after a class docstring
        body = body[end + 1 :]
    i = 0
    while i < len(body):
        line = body[i]
        if not line.startswith(indent) or line[len(indent)] in " )]}":  # a blank line too
            raise Refused("body line")
        if line.endswith("("):
            end = next((j for j in range(i + 1, len(body)) if not body[j].startswith(indent + " ")), len(body))
            out += _exploded(body[i : end + 1], indent)
            i = end + 1
        else:
            out += statement(line[len(indent) :], indent)
            i += 1
    return "\n".join(out) + "\n"


def layout_models(source: str, black: Callable[[list[str]], list[str]]) -> str:
    """datamodel-code-generator's module in black's layout: the blocks of the shapes above written
    here, the others given to ``black`` (which formats a list of blocks, in order)."""
    blocks = split_blocks(source)
    laid: list[str | None] = []
    for text in blocks:
        try:
            laid.append(block(text))
        except Refused:
            laid.append(None)
    formatted = iter(black([text for text, done in zip(blocks, laid, strict=True) if done is None]))
    return join_blocks([done if done is not None else next(formatted) for done in laid])
