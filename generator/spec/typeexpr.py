"""Type expressions of the IDL (``Optional[dict[str, Input | int]]``) parsed into a small AST."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Scalar names of the IDL.
SCALARS = ("str", "int", "float", "bool", "datetime", "date", "Any")
#: Names allowed only in method parameters (not in documents): a file path, an open text stream.
OPAQUE = ("PathLike", "IO")
_GENERICS = {"Optional": 1, "Union": None, "dict": 2, "Dict": 2, "list": 1, "List": 1}
#: Every name the IDL's type expressions give a meaning of their own: no type of a spec may take one.
VOCABULARY = frozenset({*SCALARS, *OPAQUE, *_GENERICS, "None"})


@dataclass(frozen=True)
class TypeExpr:
    """A parsed type: ``name`` with ``args`` (``Union``'s options, ``dict``'s key and value...)."""

    name: str
    args: tuple[TypeExpr, ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}[{', '.join(str(a) for a in self.args)}]"

    def nodes(self) -> list[TypeExpr]:
        """This node and every node under it, depth first."""
        out = [self]
        for arg in self.args:
            out.extend(arg.nodes())
        return out

    def leaves(self) -> list[TypeExpr]:
        """The named types it mentions (scalars, classes, enums, None), in order."""
        return [n for n in self.nodes() if not n.args and n.name not in ("dict", "list", "Union")]

    @property
    def nullable(self) -> bool:
        """True for a union with ``None`` (normalized: ``None`` is its last option)."""
        return self.name == "Union" and self.args[-1].name == "None"


def display(expr: TypeExpr) -> str:
    """A type the way a spec writes it: ``Optional[dict[str, Input]]``, ``Union[int, str]``."""
    if expr.nullable:
        rest = expr.args[:-1]
        inner = display(rest[0]) if len(rest) == 1 else "Union[" + ", ".join(display(a) for a in rest) + "]"
        return f"Optional[{inner}]"
    if not expr.args:
        return expr.name
    return f"{expr.name}[{', '.join(display(a) for a in expr.args)}]"


class TypeSyntaxError(ValueError):
    """A type expression that does not parse; ``offset`` is where, in characters."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(.))")


def parse_type(text: str) -> TypeExpr:
    """Parse ``text``; ``Optional[X]`` and ``A | B`` become ``Union`` with flattened options."""
    tokens: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text):
        token = match.group(1) or match.group(2)
        if token:
            tokens.append((token, match.start(1) if match.group(1) else match.start(2)))
    pos = 0

    def peek() -> str:
        return tokens[pos][0] if pos < len(tokens) else ""

    def where() -> int:
        return tokens[pos][1] if pos < len(tokens) else len(text)

    def expect(token: str) -> None:
        nonlocal pos
        if peek() != token:
            found = f'"{peek()}"' if peek() else "the end"
            raise TypeSyntaxError(f'expected "{token}" but found {found}', where())
        pos += 1

    def union() -> TypeExpr:
        options = [primary()]
        while peek() == "|":
            expect("|")
            options.append(primary())
        return options[0] if len(options) == 1 else TypeExpr("Union", tuple(options))

    def primary() -> TypeExpr:
        nonlocal pos
        token, start = peek(), where()
        if not token or not (token[0].isalpha() or token[0] == "_"):
            found = f'"{token}"' if token else "the end"
            raise TypeSyntaxError(f"expected a type name but found {found}", start)
        pos += 1
        if peek() != "[":
            if token in _GENERICS:
                raise TypeSyntaxError(f"{token} needs arguments in brackets", start)
            return TypeExpr(token)
        if token not in _GENERICS:
            raise TypeSyntaxError(f'"{token}" does not take arguments', start)
        expect("[")
        args = [union()]
        while peek() == ",":
            expect(",")
            args.append(union())
        expect("]")
        arity = _GENERICS[token]
        if arity is not None and len(args) != arity:
            raise TypeSyntaxError(f"{token} takes {arity} argument(s), not {len(args)}", start)
        if token == "Optional":
            return TypeExpr("Union", (args[0], TypeExpr("None")))
        if token in ("Dict", "List"):
            token = token.lower()
        return TypeExpr(token, tuple(args))

    result = union()
    if pos != len(tokens):
        raise TypeSyntaxError(f'unexpected "{peek()}"', where())
    return normalize(result)


def normalize(expr: TypeExpr) -> TypeExpr:
    """Flatten nested unions, drop repeated options, put ``None`` last."""
    if expr.name != "Union":
        return TypeExpr(expr.name, tuple(normalize(a) for a in expr.args))
    flat: list[TypeExpr] = []
    for option in (normalize(a) for a in expr.args):
        for item in option.args if option.name == "Union" else (option,):
            if item not in flat:
                flat.append(item)
    nullable = TypeExpr("None") in flat
    flat = [f for f in flat if f.name != "None"] + ([TypeExpr("None")] if nullable else [])
    return flat[0] if len(flat) == 1 else TypeExpr("Union", tuple(flat))
