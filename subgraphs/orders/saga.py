"""The orders side of the order saga: the inventory's answer prices and confirms a new order,
or cancels it.

`apply_inventory_outcome` runs inside the event consumer's transaction, with the processed-event
row, so the prices, the status change and its `order.status_changed` event commit together or
not at all. Only a PENDING order moves: an answer about an order cancelled (or deleted) in the
meantime is ignored, which also makes a late duplicate harmless. The status change keeps the
actor of the inventory's answer (whoever placed the order, when products passed it on), else none.

Prices come from the catalogue, never from the client: `inventory.reserved` carries the unit
price of each sku as the products subgraph had it when it reserved the stock. The order takes
them and its total is their sum; `order.status_changed` to CONFIRMED carries that total to
payments. An answer without a price for every line is an error (retried, then parked): the
order stays PENDING and unpriced, so nobody can pay it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import utc_now
from subgraphs.kit.events import ConsumerSpec
from subgraphs.kit.ids import parse_id
from subgraphs.orders import repository
from subgraphs.orders.models import OrderRow, OrderStatus
from subgraphs.orders.service import move_status
from subgraphs.orders.validation import MAX_TOTAL_PRICE, catalogue_prices

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
        await price(session, row, event.payload.get("items"))
        await move_status(session, row, OrderStatus.CONFIRMED, now=utc_now(), actor=event.actor)
    elif event.type == INVENTORY_REJECTED:
        reason = str(event.payload.get("reason") or "rejected by the inventory")
        await move_status(
            session, row, OrderStatus.CANCELLED, now=utc_now(), reason=reason, actor=event.actor
        )


async def price(session: AsyncSession, row: OrderRow, items: object) -> None:
    """Set each line's unit price and the order's total from the inventory's catalogue prices."""
    # The catalogue's skus are upper-case; an order keeps its skus as the client wrote them.
    prices = {sku.upper(): amount for sku, amount in catalogue_prices(items).items()}
    lines = (await repository.items_of(session, [row.id])).get(row.id, [])
    missing = [line.sku for line in lines if line.sku.strip().upper() not in prices]
    if not lines or missing:
        raise ValueError(f"inventory.reserved for order {row.id} prices none of {missing}")
    total = Decimal("0.00")
    for line in lines:
        line.unit_price = prices[line.sku.strip().upper()]
        total += line.unit_price * line.quantity
    if total > MAX_TOTAL_PRICE:
        raise ValueError(f"order {row.id} totals {total}, beyond {MAX_TOTAL_PRICE}")
    row.total_price = total


#: The consumer group of this subgraph and the events it applies.
SAGA_CONSUMER = ConsumerSpec(
    group="orders",
    types=frozenset({INVENTORY_RESERVED, INVENTORY_REJECTED}),
    handler=apply_inventory_outcome,
)
