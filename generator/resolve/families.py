"""Step: polymorphic families. A class that declares a discriminator roots a family; its
descendants belong to it and each concrete one is picked by its own discriminator value, which
its fields hold fixed."""

from __future__ import annotations

import dataclasses

from ..errors import did_you_mean
from ..model import ClassModel, Spellings
from ..spec.loader import Path
from ..spec.typeexpr import parse_type
from .context import Resolution
from .enums import check_spellings


def family_spellings(root: ClassModel, members: list[ClassModel]) -> Spellings:
    """How a document may spell the discriminator values of ``members`` of ``root``'s family."""
    return Spellings(root.discriminator_match, tuple((m.discriminator_value or "", m.discriminator_aliases) for m in members))


def run(res: Resolution) -> None:
    for cls in res.order:
        _join(res, cls)
    for root in res.order:
        if root.family_root is root:
            _check_values(res, root)
    # the discriminator field of each member: fixed to its value in its own class
    for cls in res.order:
        family = cls.family_root
        if family is None or family.discriminator is None or cls.discriminator_value is None:
            continue
        for i, f in enumerate(cls.fields):
            if f.name != family.discriminator:
                continue
            redeclared = dataclasses.replace(f, fixed=cls.discriminator_value, owner=cls.name, omit_value=family.discriminator_default)
            cls.fields[i] = redeclared
            cls.own_fields = [x for x in cls.own_fields if x.name != f.name] + [redeclared]


def _join(res: Resolution, cls: ClassModel) -> None:
    """Set ``cls``'s family: its own (a discriminator), its bases' (one at most), or none."""
    raw = res.raw_class(cls.name)
    disc = raw.get("discriminator")
    if disc is not None:
        path: Path = ("classes", cls.name, "discriminator", "field")
        fld = next((f for f in cls.fields if f.name == disc["field"]), None)
        if fld is None:
            hint = did_you_mean(disc["field"], [f.name for f in cls.fields])
            res.fail(path, f'class "{cls.name}": discriminator field "{disc["field"]}" is not a field of the class{hint}')
        elif fld.type != parse_type("Optional[str]") or not fld.readonly:
            res.fail(path, f'class "{cls.name}": discriminator field "{fld.name}" must be a read-only Optional[str]')
        elif not fld.in_document:
            res.fail(path, f'class "{cls.name}": discriminator field "{fld.name}" is no document key (in_document: false), so no document could pick a class')
        cls.discriminator = disc["field"]
        cls.discriminator_default = disc.get("default")
        cls.discriminator_match = disc.get("match", "exact")
    roots = {r for r in (b.family_root for b in cls.bases) if r is not None}
    if cls.discriminator is not None:
        if roots:
            first = min(roots, key=lambda r: r.name).name
            res.fail(("classes", cls.name, "discriminator"), f'class "{cls.name}" declares a discriminator but already belongs to the family of "{first}"')
        cls.family_root = cls
    elif len(roots) > 1:
        names = ", ".join(sorted(r.name for r in roots))
        res.fail(("classes", cls.name, "bases"), f'class "{cls.name}" inherits from two polymorphic families: {names}')
    elif roots:
        cls.family_root = roots.pop()
    value = raw.get("discriminator_value")
    if value is not None:
        if cls.family_root is None and len(roots) <= 1:
            res.fail(("classes", cls.name, "discriminator_value"), f'class "{cls.name}" has a discriminator_value but no base declares a discriminator')
        elif cls.family_root is not None:
            cls.discriminator_value = value
            cls.discriminator_aliases = tuple(raw.get("discriminator_aliases", ()))
    elif "discriminator_aliases" in raw:
        res.fail(("classes", cls.name, "discriminator_aliases"), f'class "{cls.name}" has discriminator_aliases but no discriminator_value', key=True)


def _check_values(res: Resolution, root: ClassModel) -> None:
    """Every concrete member has a value, no spelling (a value or an alias, under the family's
    matching rule) picks two classes, the default picks one."""
    seen: dict[str, ClassModel] = {}
    valued: list[ClassModel] = []
    for member in [root, *(d for d in root.descendants() if d.family_root is root)]:
        value = member.discriminator_value
        if value is not None and member.abstract:
            res.fail(
                ("classes", member.name, "discriminator_value"),
                f'class "{member.name}" is abstract: no document holds it, so its discriminator_value "{value}" picks nothing (remove it)',
            )
            continue
        if value is None:
            if not member.abstract and member is not root:
                res.fail(("classes", member.name), f'class "{member.name}" of the family of "{root.name}" needs a discriminator_value', key=True)
            continue
        if value in seen:
            res.fail(
                ("classes", member.name, "discriminator_value"),
                f'discriminator value "{value}" of class "{member.name}" is already used by class "{seen[value].name}"',
            )
        else:
            valued.append(member)
        seen[value] = member
    check_spellings(
        res,
        family_spellings(root, valued),
        [(("classes", m.name, "discriminator_value"), ("classes", m.name, "discriminator_aliases"), f'class "{m.name}"') for m in valued],
        f'the family of "{root.name}"',
    )
    default = root.discriminator_default
    if default is not None and default not in seen:
        hint = did_you_mean(default, seen)
        res.fail(("classes", root.name, "discriminator", "default"), f'class "{root.name}": discriminator default "{default}" is not the value of any class{hint}')
