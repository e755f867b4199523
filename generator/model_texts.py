"""The model's texts: a text in every language of the spec, a deprecation's note, the changelog.

Part of :mod:`generator.model` (which re-exports every name).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A text in every language of the spec, in the order the spec declares them."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **texts: str) -> Text:
        """``Text.of(en="Hello", es="Hola")``."""
        return cls(tuple(texts.items()))

    def __getitem__(self, lang: str) -> str:
        for code, text in self.values:
            if code == lang:
                return text
        raise KeyError(lang)

    @property
    def default(self) -> str:
        """The text in the spec's first language (the language of the generated code)."""
        return self.values[0][1]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.values)


@dataclass(frozen=True)
class Deprecation:
    """A class, field or enum member that is deprecated: it still loads and works; ``note`` says what
    to use instead (None for a plain ``deprecated: true``)."""

    note: Text | None = None


@dataclass(frozen=True)
class ChangelogEntry:
    """One version of the changelog: what changed, and the breaking changes it acknowledges."""

    version: str
    changes: tuple[Text, ...]
    acknowledged_breaking: tuple[str, ...] = ()
