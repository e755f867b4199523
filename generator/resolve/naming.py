"""Which names a spec may give: the IDL's own rule, and the rules of the targets.

A target whose output would break on some name (a Python keyword as a field, a class that
shadows a name the generated code imports) says so through a :class:`NameRules`; the resolve
steps ask every rule about each name they meet, and the first objection becomes the spec
problem, at the name. The IDL itself forbids only the names its type expressions use.
"""

from __future__ import annotations

from typing import Protocol

from ..spec.typeexpr import VOCABULARY


class NameRules(Protocol):
    """The objections of one target to the names of a spec: each returns a message, or None."""

    def type_name(self, name: str, what: str) -> str | None:
        """A class or enum name (``what``: "class" or "enum")."""

    def member_name(self, name: str, what: str) -> str | None:
        """A field or method name (``what``: "field" or "method")."""

    def parameter_name(self, name: str, method: str) -> str | None:
        """A parameter of ``method``."""

    def load_function_name(self, name: str) -> str | None:
        """The package-level function that loads a document."""

    def package_name(self, name: str) -> str | None:
        """The import name of the package."""

    def module_name(self, name: str) -> str | None:
        """A hand-written module the package ships (``package.modules``)."""

    def language(self, code: str) -> str | None:
        """A language of ``package.languages``."""


class IdlNames:
    """The IDL's rule: no type may take a name of the type vocabulary (``str``, ``Optional``...)."""

    def type_name(self, name: str, what: str) -> str | None:
        return f'{what} "{name}" has the name of a built-in type' if name in VOCABULARY else None

    def member_name(self, name: str, what: str) -> str | None:
        return None

    def parameter_name(self, name: str, method: str) -> str | None:
        return None

    def load_function_name(self, name: str) -> str | None:
        return None

    def package_name(self, name: str) -> str | None:
        return None

    def module_name(self, name: str) -> str | None:
        return None

    def language(self, code: str) -> str | None:
        return None


def first(messages: list[str | None]) -> str | None:
    """The first objection, if any."""
    return next((m for m in messages if m is not None), None)
