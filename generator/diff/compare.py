"""Compare two models: every change, with the facts its rule needs (see :mod:`.rules`).

A change found in a class and in its subclasses alike is reported once, at the class it comes
from. A type is *narrowed* when it accepts fewer values (``float`` → ``int``, ``X | None`` →
``X``), *widened* when it accepts more, *changed* when neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import ClassModel, EnumModel, Package, Spellings
from ..spec.typeexpr import TypeExpr
from .members import MemberDiffer, Pending, exclusive_changes
from .rules import NONE, RULES
from .types import TypeOrder


@dataclass(frozen=True)
class Finding:
    """One change, before its messages are written: its kind, subject, impacts and facts."""

    kind: str
    subject: str
    api: str
    document: str
    facts: tuple[tuple[str, Any], ...]


def document_types(package: Package) -> set[str]:
    """Names of the classes and enums that documents can hold, from the document root down."""
    seen: set[str] = set()
    visited: set[int] = set()
    stack = [package.root_codec]
    while stack:
        codec = stack.pop()
        if id(codec) in visited:
            continue
        visited.add(id(codec))
        if codec.kind in ("class", "family"):
            for cls in codec.classes:
                if cls.name not in seen:
                    seen.add(cls.name)
                    stack += [f.codec for f in cls.fields if f.codec is not None]
        elif codec.kind == "enum" and isinstance(codec.target, EnumModel):
            seen.add(codec.target.name)
        stack += codec.children()
    return seen


def families(package: Package) -> dict[str, dict[str, str]]:
    """Each family root's discriminator values, with the class each selects."""
    out: dict[str, dict[str, str]] = {}
    for cls in package.classes:
        root = cls.family_root
        if root is not None and root is cls:
            out.setdefault(cls.name, {})
        if root is not None and not cls.abstract and cls.discriminator_value is not None:
            out.setdefault(root.name, {})[cls.discriminator_value] = cls.name
    return out


def keyless(root: ClassModel, values: dict[str, str]) -> str | None:
    """The class a document of the family without the discriminator key loads as (None: rejected)."""
    if root.discriminator_default is not None:
        return values.get(root.discriminator_default)
    if not root.abstract and root.discriminator_value is None:
        return root.name
    return None


def fallback(root: ClassModel) -> str | None:
    """The class a document of the family loads as when its discriminator value is none of the
    family's (a concrete root without a value of its own; None: rejected)."""
    return root.name if not root.abstract and root.discriminator_value is None else None


class Differ:
    """Compares two packages; :meth:`run` returns the findings, sorted by subject and kind."""

    def __init__(self, old: Package, new: Package) -> None:
        self.old, self.new = old, new
        self.old_classes = {c.name: c for c in old.classes}
        self.new_classes = {c.name: c for c in new.classes}
        self.old_enums = {e.name: e for e in old.enums}
        self.new_enums = {e.name: e for e in new.enums}
        self.documented = document_types(old) | document_types(new)
        self.order = TypeOrder(old, new)
        self.members = MemberDiffer(self.order)
        self.findings: list[Finding] = []

    # -- helpers ---------------------------------------------------------------------------
    def add(self, kind: str, subject: str, *, documented: bool = True, **facts: Any) -> None:
        """Record a change; its document impact is ``none`` for a type documents cannot hold."""
        api, document = RULES[kind].impacts(facts)
        if not documented:
            document = NONE
        if api == NONE and document == NONE:
            return  # nobody is affected
        self.findings.append(Finding(kind, subject, api, document, tuple(sorted(facts.items()))))

    def in_documents(self, name: str) -> bool:
        """True when documents can hold the class (or enum) ``name``, or a subclass of it, on either side."""
        if name in self.documented:
            return True
        for classes in (self.old_classes, self.new_classes):
            cls = classes.get(name)
            if cls is not None and any(d.name in self.documented for d in cls.descendants()):
                return True
        return False

    # -- the steps -------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        self.compare_package()
        self.compare_enums()
        self.compare_classes()
        self.compare_families()
        return sorted(self.findings, key=lambda c: (c.subject, c.kind))

    def compare_package(self) -> None:
        old, new = self.old, self.new
        if old.name != new.name:
            self.add("package-renamed", old.name, old=old.name, new=new.name)
        if old.load_function != new.load_function:
            self.add("load-function-renamed", old.load_function, old=old.load_function, new=new.load_function)
        before, after = {f.id for f in old.reads}, {f.id for f in new.reads}
        for form in sorted(after - before):
            self.add("reads-added", form, function=form)
        for form in sorted(before - after):
            self.add("reads-removed", form, function=form)
        if old.root.name != new.root.name:
            way = self.order.direction(TypeExpr(old.root.name), TypeExpr(new.root.name))
            # documents: does every class that loaded still load? code: does load return a narrower type?
            before = {c.name for c in [old.root, *old.root.descendants()] if not c.abstract}
            after = {c.name for c in [new.root, *new.root.descendants()] if not c.abstract}
            self.add(
                "document-root-changed", "document", narrowed=way == "narrowed", loads_all=before <= after,
                old=old.root.name, new=new.root.name, function=new.load_function,
            )

    def compare_enums(self) -> None:
        for name in self.old_enums:
            if name not in self.new_enums:
                self.add("enum-removed", name, enum=name)
        for name in self.new_enums:
            if name not in self.old_enums:
                self.add("enum-added", name, enum=name)
        for name, old in self.old_enums.items():
            new = self.new_enums.get(name)
            if new is not None:
                self.compare_enum(old, new)

    def compare_enum(self, old: EnumModel, new: EnumModel) -> None:
        name = old.name
        documented = self.in_documents(name)
        before = {m.name: m for m in old.members}
        after = {m.name: m for m in new.members}
        by_value = {m.value: m for m in new.members if m.name not in before}
        renamed: set[str] = set()
        for member in old.members:
            subject = f"{name}.{member.name}"
            if member.name in after:
                value = after[member.name].value
                if value != member.value:
                    self.add("enum-value-changed", subject, documented=documented, open=new.open, enum=name,
                             member=member.name, old=member.value, new=value)
            elif member.value in by_value:
                to = by_value[member.value].name
                renamed.add(to)
                self.add("enum-member-renamed", subject, enum=name, member=member.name, new=to, value=member.value)
            else:
                self.add("enum-member-removed", subject, documented=documented, open=new.open,
                         variant="open" if new.open else "closed", enum=name, member=member.name, value=member.value)
        for member in new.members:
            was = before.get(member.name)
            if was is not None and (was.deprecated is None) != (member.deprecated is None):
                kind = "deprecated" if member.deprecated is not None else "undeprecated"
                self.add(kind, f"{name}.{member.name}", documented=documented, variant="member", enum=name,
                         member=member.name, value=member.value)
            if member.name not in before and member.name not in renamed:
                self.add("enum-member-added", f"{name}.{member.name}", documented=documented, enum=name,
                         member=member.name, value=member.value)
        self.compare_spellings(
            "enum", name, documented, old.match, new.match,
            {m.name: (m.value, m.aliases) for m in old.members}, {m.name: (m.value, m.aliases) for m in new.members},
            enum=name,
        )
        if old.open and not new.open:
            self.add("enum-closed", name, documented=documented, enum=name)
        elif new.open and not old.open:
            self.add("enum-opened", name, documented=documented, enum=name)

    def compare_spellings(
        self, what: str, name: str, documented: bool, old_match: str, new_match: str,
        before: dict[str, tuple[str, tuple[str, ...]]], after: dict[str, tuple[str, tuple[str, ...]]], **facts: Any,
    ) -> None:
        """The spellings of the values of an enum (or a family) that a document may now use, or no
        longer: each value's aliases (its value is compared elsewhere), and whether case matters.
        ``before`` and ``after`` map each member (or class) to its value and aliases."""
        if old_match != new_match:
            self.add("match-changed", name, documented=documented, variant=f"{what} {new_match}", exact=new_match == "exact", **facts)
        for owner in before.keys() & after.keys():
            (old_value, old_aliases), (new_value, new_aliases) = before[owner], after[owner]
            old_reads = Spellings(old_match, ((old_value, old_aliases),))
            new_reads = Spellings(new_match, ((new_value, new_aliases),))
            who = {"member": owner} if what == "enum" else {"cls": owner}
            for spelling in new_aliases:
                if old_reads.key(spelling) not in old_reads.table and spelling != old_value:
                    self.add("spelling-added", f"{name}.{owner}[{spelling}]", documented=documented, variant=what,
                             spelling=spelling, **who, **facts)
            for spelling in old_aliases:
                if new_reads.key(spelling) not in new_reads.table:
                    self.add("spelling-removed", f"{name}.{owner}[{spelling}]", documented=documented, variant=what,
                             spelling=spelling, **who, **facts)

    def compare_classes(self) -> None:
        for name in self.old_classes:
            if name not in self.new_classes:
                self.add("class-removed", name, cls=name)
        for name in self.new_classes:
            if name not in self.old_classes:
                self.add("class-added", name, cls=name)
        both = [n for n in self.old_classes if n in self.new_classes]
        found = {n: self.class_changes(self.old_classes[n], self.new_classes[n]) for n in both}
        for name in both:
            old_mro = [c.name for c in self.old_classes[name].mro[1:]]
            new_mro = {c.name for c in self.new_classes[name].mro[1:]}
            ancestors = [a for a in old_mro if a in new_mro and a in found]
            inherited = {p.key for a in ancestors for p in found[a]}
            for p in found[name]:
                if p.key not in inherited:
                    self.add(p.kind, name + p.member, documented=p.documented, cls=name, **p.facts)

    def class_changes(self, old: ClassModel, new: ClassModel) -> list[Pending]:
        out: list[Pending] = []
        docs = self.in_documents(new.name) or self.in_documents(old.name)
        if (old.deprecated is None) != (new.deprecated is None):
            kind = "deprecated" if new.deprecated is not None else "undeprecated"
            # its own (a subclass of a deprecated class is not deprecated): never taken for its bases' change
            own: dict[str, Any] = {"variant": "class", "deprecated_class": new.name}
            out.append(Pending(kind, "", docs, own))
        if new.abstract and not old.abstract:
            out.append(Pending("class-became-abstract", "", False))
        elif old.abstract and not new.abstract:
            out.append(Pending("class-became-concrete", "", False))
        old_mro = [k.name for k in old.mro[1:]]
        new_mro = [k.name for k in new.mro[1:]]
        out += [Pending("base-removed", f"({b})", False, {"base": b}) for b in old_mro if b not in new_mro]
        out += [Pending("base-added", f"({b})", False, {"base": b}) for b in new_mro if b not in old_mro]
        if old.unknown_keys != new.unknown_keys:
            # forbid rejects what keep and ignore load; ignore loses, on the way back, what keep wrote
            rejects_more = new.unknown_keys == "forbid" or (old.unknown_keys, new.unknown_keys) == ("keep", "ignore")
            facts = {"rejects_more": rejects_more, "variant": f"{old.unknown_keys} to {new.unknown_keys}"}
            out.append(Pending("unknown-keys-changed", "", docs, facts))
        old_bases = [b.name for b in old.bases]
        new_bases = [b.name for b in new.bases]
        if old_bases != new_bases and sorted(old_bases) == sorted(new_bases):
            facts = {"old": ", ".join(old_bases), "new": ", ".join(new_bases), "mro": ", ".join(k.name for k in new.mro)}
            out.append(Pending("bases-reordered", "", False, facts))
        mixins = [f"{module}:{name}" for module, name in old.extends], [f"{module}:{name}" for module, name in new.extends]
        out += [Pending("mixin-removed", f"({m})", False, {"mixin": m}) for m in mixins[0] if m not in mixins[1]]
        out += [Pending("mixin-added", f"({m})", False, {"mixin": m}) for m in mixins[1] if m not in mixins[0]]
        out += exclusive_changes(old, new, docs)
        out += self.members.field_changes(old, new, docs)
        out += self.members.method_changes(old, new)
        return out

    # -- polymorphic families --------------------------------------------------------------
    def compare_families(self) -> None:
        old_families, new_families = families(self.old), families(self.new)
        for root, before in old_families.items():
            after = new_families.get(root)
            if after is None or not self.in_documents(root):
                continue
            key = self.new_classes[root].discriminator_key
            by_class = {cls: value for value, cls in after.items()}
            moved: set[str] = set()
            for value, cls in before.items():
                if value in after:
                    continue
                to = by_class.get(cls)
                if to is not None and to not in before:
                    moved.add(to)
                    self.add("discriminator-value-changed", f"{root}[{value}]", cls=cls, key=key, old=value, new=to)
                else:
                    self.add("discriminator-value-removed", f"{root}[{value}]", family=root, key=key, value=value, cls=cls)
            for value, cls in after.items():
                if value not in before and value not in moved:
                    self.add("discriminator-value-added", f"{root}[{value}]", family=root, key=key, value=value, cls=cls)
            old_root, new_root = self.old_classes[root], self.new_classes[root]
            members = {c: self.old_classes[c] for c in before.values()}, {c: self.new_classes[c] for c in after.values()}
            self.compare_spellings(
                "family", root, True, old_root.discriminator_match, new_root.discriminator_match,
                {c: (m.discriminator_value or "", m.discriminator_aliases) for c, m in members[0].items()},
                {c: (m.discriminator_value or "", m.discriminator_aliases) for c, m in members[1].items()},
                family=root,
            )
            was = keyless(self.old_classes[root], before)
            now = keyless(self.new_classes[root], after)
            if was != now:
                variant = f"{'loaded' if was else 'rejected'}, now {'load' if now else 'rejected'}"
                self.add("discriminator-default-changed", root, variant=variant, was_rejected=was is None, family=root,
                         key=key, old=was or "", new=now or "")
            was, now = fallback(old_root), fallback(new_root)
            if was != now:
                variant = "loaded, now rejected" if was else "rejected, now load"
                self.add("discriminator-fallback-changed", root, variant=variant, was_rejected=was is None, family=root,
                         key=key, old=was or "", new=now or "")
