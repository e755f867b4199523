"""Hand-written code that the spec ``hooks.yaml`` names: what a user of the generator keeps in their own
repository, beside the generated package (which imports it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the generated package imports this module: import it back for types only
    from hooked_shop import Order


def total(order: Order, *, discount: float = 0.0) -> float:
    """The total of an order's lines, less a discount."""
    return sum(line.price * line.count for line in order.lines) * (1 - discount)


def log(order: Order, *, log: list[str], **options: Any) -> None:
    """Append a line about the order to ``log``."""
    log.append(f"order {order.number}{options.get('suffix', '')}")
