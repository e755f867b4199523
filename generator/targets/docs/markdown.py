"""Spec texts and types as Markdown: escaped so that nothing in them becomes markup, and types
linked to their pages (the signatures are laid out in :mod:`.signatures`)."""

from __future__ import annotations

import re

from ...model import EnumModel, Package
from ...spec.typeexpr import TypeExpr

#: Plain-text characters that could start Markdown or HTML, and what stands for each.
_PLAIN = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "|": "&#124;",
}
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_LIST_START = re.compile(r"^(\d+)([.)])")


def _plain(text: str) -> str:
    return "".join(_PLAIN.get(ch, ch) for ch in text)


def md_code(text: str) -> str:
    """``text`` shown literally as inline code, safe anywhere inline (table cells included)."""
    text = " ".join(text.split())
    if not text:
        return ""
    if any(ch in text for ch in "`|&"):
        # inline HTML with every punctuation mark as an entity: nothing in it is Markdown any more (and
        # no "&#1" is taken for an entity, as Python-Markdown does inside a code span)
        return "<code>" + "".join(ch if ch.isalnum() or ch == " " else f"&#{ord(ch)};" for ch in text) + "</code>"
    return f"`{text}`"


def md_inline(text: str) -> str:
    """A spec text as one line of Markdown: `code spans` kept, everything else shown as written.

    Whitespace (newlines included) collapses to single spaces, so the result is safe in a table
    cell, a list item or a heading: no HTML, link, emphasis, table pipe or block start gets through.
    """
    text = " ".join(text.split())
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_plain(text[pos : match.start()]))
        out.append(md_code(match.group(2)) or _plain(match.group(0)))
        pos = match.end()
    out.append(_plain(text[pos:]))
    line = "".join(out)
    numbered = _LIST_START.match(line)
    if numbered:  # "1. " would start an ordered list
        line = f"{numbered.group(1)}\\{numbered.group(2)}{line[numbered.end() :]}"
    elif line[:1] in ("#", "-", "+"):
        line = "\\" + line
    elif line[:1] in ("=", "~", ":"):
        line = f"&#{ord(line[0])};{line[1:]}"
    return line


def md_block(text: str) -> str:
    """A spec text as Markdown paragraphs (blank lines separate them), each as :func:`md_inline`."""
    paragraphs = [md_inline(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


# -- types, signatures and links ------------------------------------------------------------------


def page_names(package: Package) -> dict[str, str]:
    """The page (file stem) of every type: its name, made unique without regard to case."""
    taken = {"index"}
    pages: dict[str, str] = {}
    for name in [e.name for e in package.enums] + [c.name for c in package.classes]:
        stem, n = name, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{name}-{n}"
        taken.add(stem.lower())
        pages[name] = stem
    return pages


def type_parts(expr: TypeExpr) -> list[tuple[str, str]]:
    """A type as (text, type name to link or "") parts, ``Optional[...]`` / ``Union[...]`` style."""
    if expr.name == "Union":
        nullable = expr.args[-1].name == "None"
        options = expr.args[:-1] if nullable else expr.args
        inner = type_parts(options[0]) if len(options) == 1 else _generic("Union", options)
        return [("Optional[", ""), *inner, ("]", "")] if nullable else inner
    if expr.args:
        return _generic(expr.name, expr.args)
    return [(expr.name, expr.name)]


def _generic(name: str, args: tuple[TypeExpr, ...]) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = [(f"{name}[", "")]
    for i, arg in enumerate(args):
        if i:
            parts.append((", ", ""))
        parts.extend(type_parts(arg))
    parts.append(("]", ""))
    return parts


def md_type(expr: TypeExpr, pages: dict[str, str]) -> str:
    """A type as inline Markdown: one code element, each class and enum in it linked to its page.

    The ``<code>`` tags are inline HTML, and Python-Markdown still reads what lies between them:
    the links are Markdown links (mkdocs checks and rewrites them), the rest is escaped text. One
    element reads as one type, with no gaps between its pieces, and wraps only at its spaces.
    """
    out = []
    for text, name in type_parts(expr):
        out.append(f"[{_plain(text)}]({pages[name]}.md)" if name in pages else _plain(text))
    return '<code class="type">' + "".join(out) + "</code>"


def link(name: str, pages: dict[str, str]) -> str:
    """A link to the page of a type (its name, as code)."""
    return f"[`{name}`]({pages[name]}.md)"


def summary(text: str) -> str:
    """The first sentence of a text's first paragraph (all of it when no sentence ends there)."""
    first = " ".join(re.split(r"\n\s*\n", text.strip())[0].split())
    match = _SENTENCE_END.search(first)
    return first[: match.start() + 1] if match else first


#: The end of a sentence: a full stop (or ! ?) followed by a space and a capital letter.
_SENTENCE_END = re.compile(r"[.!?](?= [A-ZÁÉÍÓÚÑ¿¡])")


def enums_of(expr: TypeExpr, enums: dict[str, EnumModel]) -> list[EnumModel]:
    """The enums a type mentions, in order of appearance."""
    found: list[EnumModel] = []
    stack = [expr]
    while stack:
        node = stack.pop(0)
        if node.name in enums and enums[node.name] not in found:
            found.append(enums[node.name])
        stack.extend(node.args)
    return found
