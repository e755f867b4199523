"""The changes of one class's members: its fields, its methods and the groups of its keys that
exclude each other."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..model import ClassModel, Constraint, Constraints, Default, FieldModel, MethodModel
from ..spec.typeexpr import display
from .types import TypeOrder


@dataclass
class Pending:
    """A change found in one class, before it is placed at the class it comes from."""

    kind: str
    member: str
    documented: bool
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.member, json.dumps(self.facts, sort_keys=True, default=str))


def shown(value: Default | None) -> str:
    """A default as a message shows it: its document value (``"x"``, ``3``, ``null``), or "nothing"."""
    if value is None:
        return "nothing"
    return json.dumps(value.value, ensure_ascii=False)


def _exception(name: str) -> type[BaseException] | None:
    found = getattr(builtins, name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


#: The constraints that take fewer values as they grow (the others, bounds from above, as they shrink).
_LOWER = ("minimum", "exclusive_minimum", "min_length", "min_items")


def constraint_changes(old: Constraints, new: Constraints) -> list[tuple[str, str, dict[str, str]]]:
    """Each constraint added, removed, tightened (it takes fewer values), loosened (more) or changed
    (other values: a pattern, a ``multiple_of`` that is no multiple of the other): (keyword, change
    kind, facts)."""
    before = {c.keyword: c for c in old.checks}
    after = {c.keyword: c for c in new.checks}
    out: list[tuple[str, str, dict[str, str]]] = []
    for keyword in dict.fromkeys([*before, *after]):
        o, n = before.get(keyword), after.get(keyword)
        if n is None:
            assert o is not None
            out.append((keyword, "constraint-removed", {"old": o.shown}))
        elif o is None:
            out.append((keyword, "constraint-added", {"new": n.shown}))
        elif o.value != n.value:
            out.append((keyword, _direction(o, n), {"old": o.shown, "new": n.shown}))
    return out


def _direction(o: Constraint, n: Constraint) -> str:
    if o.keyword == "pattern":
        return "constraint-changed"
    if o.keyword == "multiple_of":
        ratio = Fraction(n.value) / Fraction(o.value)
        return "constraint-tightened" if ratio.denominator == 1 else "constraint-loosened" if ratio.numerator == 1 else "constraint-changed"
    grew = n.value > o.value  # type: ignore[operator]
    return "constraint-tightened" if grew == (o.keyword in _LOWER) else "constraint-loosened"


def exclusive_changes(old: ClassModel, new: ClassModel, docs: bool) -> list[Pending]:
    """Groups of keys that now exclude each other, or no longer; a group now required, or no longer
    (``docs``: documents can hold the class)."""
    before = {frozenset(g.keys): g for g in old.exclusive}
    after = {frozenset(g.keys): g for g in new.exclusive}
    out: list[Pending] = []

    def change(variant: str, keys: tuple[str, ...], rejects_more: bool) -> None:
        listed = ", ".join(f'"{k}"' for k in keys)
        out.append(Pending("exclusive-changed", f"[{','.join(keys)}]", docs, {"variant": variant, "keys": listed, "rejects_more": rejects_more}))

    for keys, group in after.items():
        if keys not in before:
            change("required" if group.required else "added", group.keys, True)
        elif group.required != before[keys].required:
            change("required" if group.required else "optional", group.keys, group.required)
    for keys, group in before.items():
        if keys not in after:
            change("removed", group.keys, False)
    return out


class MemberDiffer:
    """Finds the changes of the fields and methods of a class from one package to the other."""

    def __init__(self, order: TypeOrder) -> None:
        self.order = order

    def field_changes(self, old: ClassModel, new: ClassModel, docs: bool) -> list[Pending]:
        out: list[Pending] = []
        before = {f.name: f for f in old.fields}
        after = {f.name: f for f in new.fields}
        renames = {
            f.rename_of: f
            for f in new.fields
            if f.rename_of and f.rename_of in before and f.rename_of not in after and f.name not in before
        }
        for name, f in before.items():
            if name not in after and name not in renames:
                variant = "outside" if not f.in_document else "attribute" if f.readonly else "field"
                facts = {"variant": variant, "name": name, "key": f.key, "outside": not f.in_document}
                out.append(Pending("field-removed", f".{name}", docs, facts))
        renamed_to = {f.name for f in renames.values()}
        for name, f in after.items():
            if name in before or name in renamed_to:
                continue
            if f.required:
                out.append(Pending("required-field-added", f".{name}", docs, {"name": name, "key": f.key}))
            else:
                variant = "outside" if not f.in_document else "attribute" if f.readonly else "field"
                facts = {"variant": variant, "name": name, "key": f.key, "outside": not f.in_document}
                out.append(Pending("field-added", f".{name}", docs, facts))
        pairs = [(before[n], after[n]) for n in before if n in after] + [(before[o], n) for o, n in renames.items()]
        for o, n in pairs:
            out += self.field_pair(o, n, docs)
        return out

    def field_pair(self, o: FieldModel, n: FieldModel, docs: bool) -> list[Pending]:
        out: list[Pending] = []
        member = f".{n.name}"

        def change(kind: str, **facts: Any) -> None:
            out.append(Pending(kind, member, docs, {"name": n.name, **facts}))

        if o.name != n.name:
            moved = o.key != n.key
            change("field-renamed", variant="key moved" if moved else "key kept", key_moved=moved, old=o.name,
                   old_key=o.key, key=n.key)
        elif o.key != n.key:
            change("key-renamed", old=o.key, new=n.key)
        way = self.order.direction(o.type, n.type)
        if way is not None:
            change(f"field-type-{way}", reads_only=o.readonly and n.readonly, old=display(o.type), new=display(n.type))
        if o.dump_always != n.dump_always:
            change("dump-default-changed", variant="always" if n.dump_always else "when set")
        if set(o.accepts) != set(n.accepts):
            added = [t for t in n.accepts if t not in o.accepts]
            removed = [t for t in o.accepts if t not in n.accepts]
            for variant, types in (("widened", added), ("narrowed", removed)):
                if types:
                    change("accepts-changed", variant=variant, narrowed=variant == "narrowed", types=", ".join(types))
        if set(o.prefix) != set(n.prefix):
            # dropped: no prefix needed any more; widened: every old prefix still accepted, and more
            variant = "dropped" if not n.prefix else "widened" if o.prefix and set(o.prefix) < set(n.prefix) else "changed"
            change("prefix-changed", variant=variant, loosened=variant != "changed",
                   old='" or "'.join(o.prefix), new='" or "'.join(n.prefix))
        for keyword, kind, facts in constraint_changes(o.constraints, n.constraints):
            out.append(Pending(kind, f"{member}[{keyword}]", docs, {"name": n.name, "constraint": keyword, **facts}))
        if (o.deprecated is None) != (n.deprecated is None):
            change("deprecated" if n.deprecated is not None else "undeprecated", variant="field")
        if o.fixed is not None or n.fixed is not None:
            return out  # a discriminator field: its value is compared with the families
        if o.in_document != n.in_document:
            change("field-entered-documents" if n.in_document else "field-left-documents", key=n.key)
        if o.readonly != n.readonly:
            if n.readonly:
                change("field-became-readonly", was_required=o.required)
            else:
                change("field-became-writable", variant="required" if n.required else "optional", required=n.required)
            return out
        if n.required and not o.required:
            change("field-became-required", old=shown(o.default), key=n.key)
        elif o.required and not n.required:
            change("field-became-optional", new=shown(n.default))
        elif not n.required and shown(o.default) != shown(n.default):
            change("default-changed", old=shown(o.default), new=shown(n.default))
        return out

    def method_changes(self, old: ClassModel, new: ClassModel) -> list[Pending]:
        out: list[Pending] = []
        before = {m.name: m for m in old.all_methods}
        after = {m.name: m for m in new.all_methods}
        out += [Pending("method-removed", f".{n}()", False, {"method": n}) for n in before if n not in after]
        out += [Pending("method-added", f".{n}()", False, {"method": n}) for n in after if n not in before]
        for name, o in before.items():
            if name in after:
                out += self.method_pair(o, after[name])
        return out

    def method_pair(self, o: MethodModel, n: MethodModel) -> list[Pending]:
        out: list[Pending] = []

        def change(kind: str, member: str, **facts: Any) -> None:
            out.append(Pending(kind, member, False, {"method": n.name, **facts}))

        before = {p.name: p for p in o.params}
        after = {p.name: p for p in n.params}
        for name in before:
            if name not in after:
                change("parameter-removed", f".{n.name}({name})", name=name)
        for name, p in after.items():
            if name not in before:
                change("parameter-added", f".{n.name}({name})", variant="required" if p.required else "optional",
                       required=p.required, name=name)
        for name, po in before.items():
            pn = after.get(name)
            if pn is None:
                continue
            sub = f".{n.name}({name})"
            way = self.order.direction(po.type, pn.type)
            if way is not None:
                change(f"parameter-type-{way}", sub, name=name, old=display(po.type), new=display(pn.type))
            if pn.required and not po.required:
                change("parameter-became-required", sub, name=name)
            elif po.required and not pn.required:
                change("parameter-became-optional", sub, name=name, new=shown(pn.default))
            elif not pn.required and shown(po.default) != shown(pn.default):
                change("parameter-default-changed", sub, name=name, old=shown(po.default), new=shown(pn.default))
        way = self.order.direction(o.returns, n.returns)
        if way is not None:
            change(f"return-type-{way}", f".{n.name}()", old=display(o.returns), new=display(n.returns))
        raised_before = [r.type for r in o.raises]
        raised_after = [r.type for r in n.raises]
        for name in raised_after:
            if name in raised_before:
                continue
            exc = _exception(name)
            covered = [b for b in raised_before if exc is not None and (base := _exception(b)) is not None and issubclass(exc, base)]
            change("exception-added", f".{n.name}[{name}]", variant="covered" if covered else "new", covered=bool(covered),
                   name=name, base=covered[0] if covered else "")
        for name in raised_before:
            if name not in raised_after:
                change("exception-removed", f".{n.name}[{name}]", name=name)
        return out

