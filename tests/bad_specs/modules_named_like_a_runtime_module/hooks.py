"""Orders as an old version of the shop wrote them."""

from typing import Any


def from_old_form(document: dict[Any, Any]) -> dict[Any, Any]:
    """An order whose number was under ``id``."""
    if "id" in document and "number" not in document:
        return {"number": document["id"]}
    return document
