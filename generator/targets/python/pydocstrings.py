"""What the Python target's class docstrings say beyond the spec's texts: which fields they list, and
the note of an abstract class."""

from __future__ import annotations

from ...model import ClassModel, Text

#: A class docstring lists every argument and attribute (its bases' too, for ``help()`` and signature
#: help) up to this many; a class with more lists its own and names the bases that document the rest,
#: so that the docstrings of a deep hierarchy still grow linearly with the spec.
LISTED_FIELDS = 40


def documented(cls: ClassModel) -> tuple[list[tuple[str, Text]], list[tuple[str, Text]], str]:
    """What a class's docstring lists: its arguments (a concrete class's), its read-only attributes
    (not a fixed discriminator, which its class says), and, past :data:`LISTED_FIELDS`, only its own."""
    shown = cls.fields if len(cls.fields) <= LISTED_FIELDS else cls.own_fields
    args = [(f.name, f.description) for f in shown if f.init] if not cls.abstract else []
    attributes = [(f.name, f.description) for f in shown if f.readonly and f.fixed is None]
    bases = ", ".join(f"``{b.name}``" for b in cls.bases) if shown is not cls.fields else ""
    return args, attributes, bases


def abstract_note(cls: ClassModel) -> str:
    """What the docstring of an abstract class says about it."""
    text = "This class is abstract: it cannot be instantiated"
    if cls.family_root is cls:
        return f"{text}; a document loads as one of its subclasses, chosen by ``{cls.discriminator_key}``."
    return f"{text}."
