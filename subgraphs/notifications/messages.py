"""The events users are told about, and the words they read for each (title and body).

`MESSAGES` is the catalogue of event types a preference may name; an event of another type
notifies nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.events import Event


@dataclass(frozen=True)
class Message:
    """What a notification says."""

    title: str
    body: str


def _order_ref(payload: Mapping[str, Any]) -> str:
    return f"#{payload.get('order_id', '?')}"


def _money(payload: Mapping[str, Any]) -> str:
    amount = payload.get("amount")
    if amount is None:
        return "the amount"
    currency = payload.get("currency") or ""
    return f"{float(amount):.2f} {currency}".strip()


def _reason(payload: Mapping[str, Any]) -> str:
    reason = payload.get("reason")
    return f" Reason: {reason}." if reason else ""


def order_created(payload: Mapping[str, Any]) -> Message:
    """`order.created`: the order was placed."""
    order = _order_ref(payload)
    items = payload.get("items") or []
    count = sum(int(item.get("quantity", 0)) for item in items if isinstance(item, Mapping))
    total = payload.get("total_amount")
    what = f"{count} item{'s' if count != 1 else ''}" if items else "your items"
    cost = f", total {float(total):.2f}" if total is not None else ""
    return Message(f"Order {order} placed", f"We received your order {order} for {what}{cost}.")


#: How each status reads in a title ("Order #12 confirmed").
_STATUS_WORDS = {
    "CONFIRMED": "confirmed",
    "SHIPPED": "shipped",
    "DELIVERED": "delivered",
    "CANCELLED": "cancelled",
    "PENDING": "pending",
}


def order_status_changed(payload: Mapping[str, Any]) -> Message:
    """`order.status_changed`: the order moved along its life cycle."""
    order = _order_ref(payload)
    status = str(payload.get("to", "")).upper()
    word = _STATUS_WORDS.get(status, status.lower() or "updated")
    total = payload.get("total_amount")
    # The catalogue's total comes with the confirmation; said once, when the order is confirmed.
    cost = (
        f" Its total is {float(total):.2f}." if total is not None and status == "CONFIRMED" else ""
    )
    return Message(
        f"Order {order} {word}", f"Your order {order} is now {word}.{cost}{_reason(payload)}"
    )


def payment_succeeded(payload: Mapping[str, Any]) -> Message:
    """`payment.succeeded`: the order is paid."""
    order = _order_ref(payload)
    return Message(
        f"Payment received for order {order}",
        f"We received your payment of {_money(payload)} for order {order}.",
    )


def payment_failed(payload: Mapping[str, Any]) -> Message:
    """`payment.failed`: charging the user failed."""
    order = _order_ref(payload)
    return Message(
        f"Payment failed for order {order}",
        f"Your payment of {_money(payload)} for order {order} did not go through."
        f"{_reason(payload)}",
    )


def payment_refunded(payload: Mapping[str, Any]) -> Message:
    """`payment.refunded`: money went back to the user."""
    order = _order_ref(payload)
    return Message(
        f"Refund issued for order {order}",
        f"We refunded {_money(payload)} for order {order}.{_reason(payload)}",
    )


MESSAGES: dict[str, Callable[[Mapping[str, Any]], Message]] = {
    "order.created": order_created,
    "order.status_changed": order_status_changed,
    "payment.succeeded": payment_succeeded,
    "payment.failed": payment_failed,
    "payment.refunded": payment_refunded,
}

#: The event types users can be notified of (and may set preferences for).
EVENT_TYPES: tuple[str, ...] = tuple(MESSAGES)


def message_for(event: Event) -> Message | None:
    """What to tell the user about `event`; None for a type nobody is told about."""
    render = MESSAGES.get(event.type)
    return render(event.payload) if render is not None else None
