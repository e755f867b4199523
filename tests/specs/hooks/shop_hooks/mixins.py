"""A mixin of the user's own that the generated ``Order`` derives from."""

from __future__ import annotations


class Priced:
    """Adds a currency to the objects that derive from it."""

    currency = "EUR"

    def label(self) -> str:
        """How the currency is shown."""
        return f"in {self.currency}"
