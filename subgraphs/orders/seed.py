"""Deterministic demo orders, inserted only into an empty table (fresh databases get ids 1..30).

They belong to the demo users 1..12 of the users subgraph's seed and name the demo products
`PROD-1` .. `PROD-10` of the products subgraph's seed, at its prices; each has one item.
The seed emits no events: its orders are history, not news.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.orders import repository
from subgraphs.orders.models import OrderItemRow, OrderRow, OrderStatus

#: Fixed times keep the demo data identical on every machine (after the demo users' creation).
SEED_EPOCH = datetime(2024, 2, 1, 10, 0, tzinfo=UTC)
DEMO_ORDER_COUNT = 30
DEMO_USER_COUNT = 12
PRODUCT_COUNT = 10

#: Older orders have moved further along their life cycle.
_STATUS_CYCLE = (
    OrderStatus.DELIVERED,
    OrderStatus.SHIPPED,
    OrderStatus.CANCELLED,
    OrderStatus.CONFIRMED,
    OrderStatus.DELIVERED,
    OrderStatus.PENDING,
)


def demo_unit_price(product: int) -> Decimal:
    """The demo price of product `PROD-<product>`."""
    return Decimal("4.99") + Decimal(product - 1) * Decimal("7.50")


def demo_orders() -> list[OrderRow]:
    """The 30 demo orders, in id order."""
    rows = []
    for index in range(DEMO_ORDER_COUNT):
        product = (index * 3) % PRODUCT_COUNT + 1
        quantity = index % 4 + 1
        created = SEED_EPOCH + timedelta(hours=7 * index)
        rows.append(
            OrderRow(
                user_id=(index * 5) % DEMO_USER_COUNT + 1,
                product_id=f"PROD-{product}",
                quantity=quantity,
                total_price=demo_unit_price(product) * quantity,
                status=_STATUS_CYCLE[index % len(_STATUS_CYCLE)],
                created_at=created,
                updated_at=created,
            )
        )
    return rows


async def seed_orders(session: AsyncSession) -> int:
    """Insert the demo orders when the table is empty; returns how many were inserted."""
    if await repository.count_all(session):
        return 0
    rows = demo_orders()
    for row in rows:
        repository.add(session, row)
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
        session.add(
            OrderItemRow(
                order_id=row.id,
                position=0,
                sku=row.product_id,
                quantity=row.quantity,
                unit_price=demo_unit_price(int(row.product_id.removeprefix("PROD-"))),
            )
        )
    await session.flush()
    return len(rows)
