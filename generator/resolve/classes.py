"""Step: the class graph. Names, bases (unknown, repeated, an enum, the class itself), inheritance
cycles, an order with every base before the classes that use it, and each class's C3 MRO."""

from __future__ import annotations

from typing import Any

from ..errors import did_you_mean
from ..model import ClassModel
from ..spec.loader import Path
from ..spec.names import snake
from .context import Resolution


def c3(cls: str, bases: dict[str, list[str]], memo: dict[str, list[str]]) -> list[str] | None:
    """C3 linearization of ``cls``; None when the bases' orders cannot be merged."""
    if cls in memo:
        return memo[cls]
    seqs: list[list[str]] = []
    for base in bases[cls]:
        lin = c3(base, bases, memo)
        if lin is None:
            return None
        seqs.append(list(lin))
    seqs.append(list(bases[cls]))
    out = [cls]
    while any(seqs):
        for seq in seqs:
            if not seq:
                continue
            head = seq[0]
            if not any(head in s[1:] for s in seqs):
                break
        else:
            return None
        out.append(head)
        for seq in seqs:
            if seq and seq[0] == head:
                del seq[0]
    memo[cls] = out
    return out


def run(res: Resolution) -> None:
    raw_classes: dict[str, Any] = res.spec.get("classes", {})
    for name, raw in raw_classes.items():
        path: Path = ("classes", name)
        if name in res.enums:
            res.fail(path, f'class "{name}" has the same name as an enum', key=True)
        res.type_name(name, "class", path)
        unknown_keys = raw.get("unknown_keys") or res.spec["package"].get("unknown_keys", "forbid")
        if unknown_keys == "keep" and raw.get("key_order") == "spec":
            res.fail(
                (*path, "key_order"),
                f'class "{name}": key_order is spec, but the class keeps unknown keys, and so writes every key '
                "back in its document's order (leave key_order out, or choose another unknown_keys)",
            )
        res.classes[name] = ClassModel(
            name=name,
            snake=snake(name),
            description=res.text(raw["description"]),
            abstract=bool(raw.get("abstract")),
            where=res.at(path, key=True),
            unknown_keys=unknown_keys,
            key_order="document"
            if unknown_keys == "keep"
            else raw.get("key_order") or res.spec["package"].get("key_order", "spec"),
            deprecated=res.deprecation(raw.get("deprecated")),
            key_style=raw.get("key_style") or res.spec["package"].get("key_style", "snake_case"),
        )
    snakes: dict[str, str] = {}
    for cls in res.classes.values():
        res.claim(cls.snake, f"class {cls.name}")  # a class's codec is named after it: other codecs yield
        if cls.snake in snakes:
            res.fail(
                ("classes", cls.name),
                f'class "{cls.name}" and class "{snakes[cls.snake]}" have the same snake_case name "{cls.snake}"',
                key=True,
            )
        snakes[cls.snake] = cls.name
    bases = _bases(res, raw_classes)
    if res.problems:
        return
    order = _order(res, bases)
    if res.problems:
        return
    memo: dict[str, list[str]] = {}
    for name in order:
        cls = res.classes[name]
        cls.bases = [res.classes[b] for b in bases[name]]
        for base in cls.bases:
            base.subclasses.append(cls)
        lin = c3(name, bases, memo)
        if lin is None:
            listed = ", ".join(bases[name])
            res.fail(("classes", name, "bases"), f'class "{name}": no consistent method resolution order (MRO) for bases {listed}')
            continue
        cls.mro = [res.classes[n] for n in lin]
    res.order = [res.classes[n] for n in order]


def _bases(res: Resolution, raw_classes: dict[str, Any]) -> dict[str, list[str]]:
    bases: dict[str, list[str]] = {}
    for name, raw in raw_classes.items():
        bases[name] = []
        for i, base in enumerate(raw.get("bases", [])):
            path = ("classes", name, "bases", i)
            if base == name:
                res.fail(path, f'class "{name}" cannot be its own base')
            elif base not in res.classes:
                hint = did_you_mean(base, res.classes)
                what = "an enum" if base in res.enums else "unknown"
                res.fail(path, f'class "{name}": base "{base}" is {what}{hint}')
            elif base in bases[name]:
                res.fail(path, f'class "{name}": base "{base}" is listed twice')
            else:
                bases[name].append(base)
    return bases


def _order(res: Resolution, bases: dict[str, list[str]]) -> list[str]:
    """Every class after its bases (spec order otherwise); a cycle is a problem."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*trail[trail.index(name) :], name]
            res.fail(("classes", name), "inheritance cycle: " + " → ".join(cycle), key=True)
            return
        state[name] = 1
        for base in bases[name]:
            visit(base, [*trail, name])
        state[name] = 2
        order.append(name)

    for name in res.classes:
        visit(name, [])
    return order
