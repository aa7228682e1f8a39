"""Deterministic demo products `PROD-1` .. `PROD-12`, inserted only into an empty table.

The orders seed names these skus, at these prices; two of them are nearly sold out, so the
demo shows an order being rejected for want of stock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.products import repository
from subgraphs.products.models import ProductRow

#: Fixed times keep the demo data identical on every machine (before the demo orders).
SEED_EPOCH = datetime(2024, 1, 15, 8, 0, tzinfo=UTC)

#: (name, description, stock), in sku order; PROD-n costs 4.99 + (n - 1) * 7.50, as in orders.
DEMO_PRODUCTS: tuple[tuple[str, str, int], ...] = (
    ("Enamel Coffee Mug", "A 350 ml enamel mug that survives camping trips.", 120),
    ("Cotton Tote Bag", "Heavy canvas tote with an inner pocket.", 80),
    ("Notebook, Dotted A5", "192 pages of 100 g/m2 dotted paper, lay-flat binding.", 200),
    ("Stainless Water Bottle", "Double-walled, keeps drinks cold for 24 hours.", 60),
    ("Desk Lamp", "Dimmable LED lamp with a warm-white setting.", 35),
    ("Wireless Mouse", "Silent clicks, two years on one AA battery.", 50),
    ("Mechanical Keyboard", "Tenkeyless, hot-swappable brown switches.", 3),
    ("Noise-Cancelling Earbuds", "Eight hours of playback, charging case included.", 25),
    ("Laptop Stand", "Folding aluminium stand, six height settings.", 40),
    ("USB-C Dock", "Two displays, gigabit ethernet, 100 W pass-through charging.", 1),
    ("Ergonomic Office Chair", "Adjustable lumbar support and 4D armrests.", 12),
    ("27-inch Monitor", "1440p IPS panel, 144 Hz, height-adjustable stand.", 8),
)


def demo_price(number: int) -> Decimal:
    """The demo price of `PROD-<number>` (the orders seed uses the same prices)."""
    return Decimal("4.99") + Decimal(number - 1) * Decimal("7.50")


def demo_products() -> list[ProductRow]:
    """The 12 demo products, in id order."""
    rows = []
    for index, (name, description, stock) in enumerate(DEMO_PRODUCTS):
        number = index + 1
        created = SEED_EPOCH + timedelta(hours=index)
        rows.append(
            ProductRow(
                sku=f"PROD-{number}",
                name=name,
                description=description,
                price=demo_price(number),
                stock=stock,
                active=True,
                created_at=created,
                updated_at=created,
            )
        )
    return rows


async def seed_products(session: AsyncSession) -> int:
    """Insert the demo products when the table is empty; returns how many were inserted."""
    if await repository.count_all(session):
        return 0
    rows = demo_products()
    for row in rows:
        repository.add(session, row)
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
    return len(rows)
