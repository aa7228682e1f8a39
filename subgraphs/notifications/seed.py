"""No demo rows: notifications exist only as the effect of events (place an order to get some)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def seed_notifications(session: AsyncSession) -> int:
    """Insert nothing; notifications made up without an event would tell of orders never placed."""
    return 0
