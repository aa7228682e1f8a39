"""What subscription resolvers share: the live events and a fresh session per event.

A subscription lives as long as its WebSocket; it must not hold the connection's session (and
so a pooled database connection) for that long, nor read through its DataLoaders (whose cache
would never be cleared). Each event is loaded in a session of its own (`fresh_session`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import AppError
from subgraphs.kit.live import LiveEvents

__all__ = ["SubscriptionsUnavailable", "fresh_session", "live_events"]


class SubscriptionsUnavailable(AppError):
    """This process does not follow the bus (a subgraph built without subscriptions)."""

    code = "SERVICE_UNAVAILABLE"
    status = 503


def live_events(context: Any) -> LiveEvents:
    """The process's live events, from a request context."""
    live: LiveEvents | None = getattr(context, "live", None)
    if live is None:
        raise SubscriptionsUnavailable("Subscriptions are not served here; try again later.")
    return live


@asynccontextmanager
async def fresh_session(context: Any) -> AsyncIterator[AsyncSession]:
    """A session of its own for one event's reads, closed after them."""
    sessions = getattr(context, "sessions", None)
    if sessions is None:
        raise SubscriptionsUnavailable("Subscriptions are not served here; try again later.")
    async with sessions() as session:
        yield session
