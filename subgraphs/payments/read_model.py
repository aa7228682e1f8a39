"""The read model of orders: `order_totals`, filled from the orders subgraph's events.

Payments never asks orders synchronously; it keeps what it needs (user, total, status) from
`order.created` and `order.status_changed`. So it is eventually consistent: for a moment after
an order is created, payments does not know it yet, or not its total (createPayment answers
NOT_FOUND on orderId until it does).

The total is the catalogue's: it comes with the `order.status_changed` that confirms the order
(the orders subgraph sets it from the inventory's prices). An `order.created` never sets it,
whatever its payload says: an order's creator is a client, and clients do not set prices.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import as_utc
from subgraphs.kit.ids import parse_id
from subgraphs.payments import repository
from subgraphs.payments.models import OrderTotalRow
from subgraphs.payments.validation import event_amount

logger = get_logger(__name__)

ORDER_CREATED = "order.created"
ORDER_STATUS_CHANGED = "order.status_changed"
ORDER_EVENTS = frozenset({ORDER_CREATED, ORDER_STATUS_CHANGED})
#: The status of a new order when `order.created` does not say.
NEW_ORDER_STATUS = "PENDING"


def _id(payload: dict[str, object], name: str) -> int:
    value = parse_id(payload.get(name))
    if value is None:
        raise ValueError(f"payload field {name} is not an id: {payload.get(name)!r}")
    return value


async def apply_order_event(session: AsyncSession, event: Event) -> None:
    """Apply one order event in the consumer's transaction; a malformed payload raises."""
    payload = event.payload
    order_id = _id(payload, "order_id")
    row = await repository.get_order(session, order_id)
    if event.type == ORDER_CREATED:
        user_id = _id(payload, "user_id")
        status = str(payload.get("status") or NEW_ORDER_STATUS)
        if row is None:
            repository.add(
                session,
                OrderTotalRow(
                    order_id=order_id,
                    user_id=user_id,
                    total_amount=None,
                    status=status,
                    updated_at=as_utc(event.time),
                ),
            )
        else:
            # Only a re-created order (a restored database) announces an id twice: latest wins.
            row.user_id, row.total_amount, row.status = user_id, None, status
            row.updated_at = as_utc(event.time)
    elif event.type == ORDER_STATUS_CHANGED:
        if row is None:
            logger.warning(
                "status change of an order payments never heard of; ignored",
                extra={"event_id": event.id, "order_id": order_id},
            )
            return
        new_status = payload.get("to")
        if not isinstance(new_status, str) or not new_status:
            raise ValueError(f"payload field to is not a status: {new_status!r}")
        row.status = new_status
        if payload.get("total_amount") is not None:
            row.total_amount = event_amount(payload["total_amount"])
        row.updated_at = as_utc(event.time)
