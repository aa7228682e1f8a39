"""`orderStatusChanged`: the order, each time its status moves, for whoever may see it.

Fed by `order.status_changed` events on the bus (every replica sees every event), so the client
may subscribe through any replica whichever process changed the order. The read rule is applied
when the subscription starts and again for every event (`may_read`); an order that was deleted
or is no longer visible ends the subscription.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from common.errors import NotFound
from subgraphs.kit.identity import Identity
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.subscriptions import fresh_session, live_events
from subgraphs.orders import repository
from subgraphs.orders.models import OrderItemRow, OrderRow
from subgraphs.orders.service import may_read, unauthenticated

STATUS_CHANGED = "order.status_changed"

OrderWithItems = tuple[OrderRow, list[OrderItemRow]]


def no_such_order() -> NotFound:
    """Unknown, deleted and other users' orders look the same (and the id is not echoed)."""
    return NotFound(
        "No order you may see has this id: check orderId, and that you are signed in as the "
        "order's owner (or an admin).",
        field="orderId",
    )


async def watch_order(context: Any, order_id: object) -> AsyncIterator[OrderWithItems]:
    """The order and its items after each of its status changes, while the caller may see it."""
    caller: Identity | None = context.identity
    if caller is None:
        raise unauthenticated()
    row_id = parse_id(order_id)
    if row_id is None:
        raise no_such_order()
    entity_id = format_id(row_id)
    live = live_events(context)
    # Subscribed before the first read, so a change right after it is not lost.
    async with live.subscribe(
        lambda event: event.type == STATUS_CHANGED and event.entity_id == entity_id
    ) as events:
        if await _load(context, row_id, caller) is None:
            raise no_such_order()
        async for _event in events:
            found = await _load(context, row_id, caller)
            if found is None:
                return
            yield found


async def _load(context: Any, row_id: int, caller: Identity) -> OrderWithItems | None:
    async with fresh_session(context) as session:
        row = await repository.get(session, row_id)
        if row is None or not may_read(caller, row):
            return None
        items = await repository.items_of(session, [row_id])
    return row, items.get(row_id, [])
