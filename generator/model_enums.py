"""The model's enums, and the spellings a document may use for a value (an enum member's, or a
family's discriminator value): its aliases, and whether case matters.

Part of :mod:`generator.model` (which re-exports every name).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Position
from .model_texts import Deprecation, Text


@dataclass
class EnumMember:
    """One member of an enum: its name, its document value and what it means."""

    name: str
    value: str
    description: Text
    where: Position
    #: Other spellings a document may use for it.
    aliases: tuple[str, ...] = ()
    deprecated: Deprecation | None = None


#: How a document's value is matched to an enum's members (or a family's discriminator values):
#: ``exact``, or ``case_insensitive`` (ASCII letters match whatever their case; the spellings of
#: such an enum are ASCII, so that every target, regular expressions included, agrees).
MATCHES = ("exact", "case_insensitive")


@dataclass(eq=False)
class EnumModel:
    """An enum of the spec. An ``open`` enum loads values the spec does not list; ``match`` says how
    a document's value is matched to a member's value and aliases."""

    name: str
    description: Text
    open: bool
    members: list[EnumMember]
    where: Position
    match: str = "exact"

    @property
    def spelled(self) -> bool:
        """Whether a document may spell a member otherwise than its value."""
        return self.match != "exact" or any(m.aliases for m in self.members)


def folded(text: str) -> str:
    """``text`` with its letters in lower case when it is ASCII (a match that ignores case ignores
    it for ASCII letters only: a non-ASCII text is compared as it is)."""
    return text.lower() if text.isascii() else text


@dataclass(frozen=True)
class Spellings:
    """The spellings a document may use for some values: each value with its aliases, and how they
    match. ``table`` maps each accepted spelling (lowered when the match ignores case) to its
    value."""

    match: str
    values: tuple[tuple[str, tuple[str, ...]], ...]

    def key(self, spelling: str) -> str:
        """How a spelling is looked up: as it is, or with its ASCII letters in lower case."""
        return folded(spelling) if self.match == "case_insensitive" else spelling

    @property
    def table(self) -> dict[str, str]:
        return {self.key(s): value for value, aliases in self.values for s in (value, *aliases)}

    @property
    def spelled(self) -> bool:
        """Whether any value may be spelled otherwise."""
        return self.match != "exact" or any(aliases for _, aliases in self.values)
