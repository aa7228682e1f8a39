"""No demo rows: the audit log holds only events that really happened."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def seed_audit(session: AsyncSession) -> int:
    """Insert nothing; an invented audit row would be a false record."""
    return 0
