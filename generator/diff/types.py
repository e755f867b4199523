"""Which of two types accepts more values: the order behind *narrowed*, *widened* and *changed*."""

from __future__ import annotations

from ..model import Package
from ..spec.typeexpr import TypeExpr


def _options(expr: TypeExpr) -> tuple[TypeExpr, ...]:
    return expr.args if expr.name == "Union" else (expr,)


class TypeOrder:
    """Compares a type of the old package with a type of the new one."""

    def __init__(self, old: Package, new: Package) -> None:
        self.old, self.new = old, new
        self.old_classes = {c.name: c for c in old.classes}
        self.new_classes = {c.name: c for c in new.classes}
        self.old_enums = {e.name: e for e in old.enums}
        self.new_enums = {e.name: e for e in new.enums}

    def is_subtype(self, narrow: TypeExpr, narrow_pkg: Package, wide: TypeExpr, wide_pkg: Package) -> bool:
        """True when every value of ``narrow`` (a type of ``narrow_pkg``) is a value of ``wide``."""
        return all(any(self.option_in(o, narrow_pkg, w, wide_pkg) for w in _options(wide)) for o in _options(narrow))

    def option_in(self, o: TypeExpr, o_pkg: Package, w: TypeExpr, w_pkg: Package) -> bool:
        if w.name == "Any":
            return True
        if o.name in ("list", "dict"):
            return w.name == o.name and self.is_subtype(o.args[-1], o_pkg, w.args[-1], w_pkg)
        if o.name == w.name:
            return True
        if o.name == "int" and w.name == "float":
            return True
        o_classes = self.old_classes if o_pkg is self.old else self.new_classes
        o_enums = self.old_enums if o_pkg is self.old else self.new_enums
        if o.name in o_enums:
            return w.name == "str"  # members are strings, in code and in documents
        cls = o_classes.get(o.name)
        return cls is not None and any(c.name == w.name for c in cls.mro)

    def direction(self, old: TypeExpr, new: TypeExpr) -> str | None:
        """``narrowed``, ``widened``, ``changed``, or None when both accept the same values."""
        wider = self.is_subtype(old, self.old, new, self.new)
        narrower = self.is_subtype(new, self.new, old, self.old)
        if wider and narrower:
            return None
        return "widened" if wider else "narrowed" if narrower else "changed"
