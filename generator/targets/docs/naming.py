"""The docs target's rule for a spec: every language it declares needs a catalog of the docs' fixed
words (``templates/locale/<lang>.po``; English is the words themselves). See ``generator.resolve.naming``."""

from __future__ import annotations

from ...outputs import TEMPLATES

LOCALE = TEMPLATES / "locale"


class DocsNames:
    """A language the docs cannot write is a mistake of the spec, found where it is declared."""

    def type_name(self, name: str, what: str) -> str | None:
        return None

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
        if code == "en" or (LOCALE / f"{code}.po").is_file():
            return None
        known = ", ".join(["en", *sorted(p.stem for p in LOCALE.glob("*.po"))])
        return f'language "{code}": the docs have no catalog of their words in it (templates/locale/{code}.po; there are: {known})'
