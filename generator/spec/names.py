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
