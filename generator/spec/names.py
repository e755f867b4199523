"""Names the IDL derives from the names a spec gives: snake_case forms and ASCII stems."""

from __future__ import annotations

import re


def snake(name: str) -> str:
    """``HttpRequest`` → ``http_request``; ``XMLReader`` → ``xml_reader``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text).lower()


def ascii_stem(text: str) -> str:
    """``text`` reduced to ASCII letters, digits and ``_`` (a part of a derived name)."""
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "x"


#: The key styles of the IDL (``key_style``).
KEY_STYLES = ("snake_case", "camelCase", "kebab-case")


def document_key(name: str, style: str) -> str:
    """The document key of a field named ``name`` in a key ``style``: ``runs_on`` stays, or becomes
    ``runsOn``, or ``runs-on``."""
    if style == "camelCase":
        first, *rest = name.split("_")
        return first + "".join(part[:1].upper() + part[1:] for part in rest)
    if style == "kebab-case":
        return name.replace("_", "-")
    return name
