"""The orders side of the order saga: the inventory's answer confirms or cancels a new order.

`apply_inventory_outcome` runs inside the event consumer's transaction, with the processed-event
row, so the status change and its `order.status_changed` event commit together or not at all.
Only a PENDING order moves: an answer about an order cancelled (or deleted) in the meantime is
ignored, which also makes a late duplicate harmless. The status change keeps the actor of the
inventory's answer (whoever placed the order, when products passed it on), else none.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import utc_now
from subgraphs.kit.events import ConsumerSpec
from subgraphs.kit.ids import parse_id
from subgraphs.orders import repository
from subgraphs.orders.models import OrderStatus
from subgraphs.orders.service import move_status

logger = get_logger(__name__)

INVENTORY_RESERVED = "inventory.reserved"
INVENTORY_REJECTED = "inventory.rejected"


async def apply_inventory_outcome(session: AsyncSession, event: Event) -> None:
    """The consumer's handler: CONFIRMED on `inventory.reserved`, CANCELLED on a rejection."""
    order_id = parse_id(event.payload.get("order_id"))
    if order_id is None:
        logger.warning("inventory event without an order id", extra={"event_id": event.id})
        return
    row = await repository.get(session, order_id, lock=True)
    if row is None or row.status is not OrderStatus.PENDING:
        logger.info(
            "inventory answer for an order that is no longer pending; ignored",
            extra={"event_id": event.id, "order_id": order_id},
        )
        return
    if event.type == INVENTORY_RESERVED:
        await move_status(session, row, OrderStatus.CONFIRMED, now=utc_now(), actor=event.actor)
    elif event.type == INVENTORY_REJECTED:
        reason = str(event.payload.get("reason") or "rejected by the inventory")
        await move_status(
            session, row, OrderStatus.CANCELLED, now=utc_now(), reason=reason, actor=event.actor
        )


#: The consumer group of this subgraph and the events it applies.
SAGA_CONSUMER = ConsumerSpec(
    group="orders",
    types=frozenset({INVENTORY_RESERVED, INVENTORY_REJECTED}),
    handler=apply_inventory_outcome,
)
