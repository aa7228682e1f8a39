"""The relay: publish outbox rows to the bus in order, then mark them sent (at least once)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.events.bus import EventBus
from common.events.envelope import Event
from common.events.metrics import EventMetrics
from common.logging import get_logger

logger = get_logger(__name__)


class OutboxRelay:
    """Moves one service's outbox to the bus; one relay at a time per database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Table,
        bus: EventBus,
        *,
        batch_size: int = 100,
        idle_seconds: float = 0.2,
        lock_key: int = 7_340_001,
        metrics: EventMetrics | None = None,
    ) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.bus = bus
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.lock_key = lock_key
        self.metrics = metrics

    async def publish_pending(self) -> int:
        """Publish the oldest unsent rows, in id order; returns how many were sent.

        A crash after publishing and before the commit sends those rows again on the next run:
        consumers drop the duplicates by event id.
        """
        async with self.sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql" and not await session.scalar(
                # Replicas share the outbox: one relay at a time keeps the order per entity.
                text("SELECT pg_try_advisory_xact_lock(:key)"),
                {"key": self.lock_key},
            ):
                return 0
            rows = (
                await session.execute(
                    select(self.outbox.c.id, self.outbox.c.body, self.outbox.c.type)
                    .where(self.outbox.c.published_at.is_(None))
                    .order_by(self.outbox.c.id)
                    .limit(self.batch_size)
                )
            ).all()
            for _row_id, body, _type in rows:
                await self.bus.publish(Event.from_json(body))
            if rows:
                await session.execute(
                    update(self.outbox)
                    .where(self.outbox.c.id.in_([row.id for row in rows]))
                    .values(published_at=datetime.now(UTC))
                )
        if self.metrics is not None:
            for row in rows:
                self.metrics.published.labels(row.type).inc()
        return len(rows)

    async def backlog(self) -> int:
        """How many rows wait to be sent (for health and metrics)."""
        async with self.sessions() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(self.outbox)
                .where(self.outbox.c.published_at.is_(None))
            )
        return int(count or 0)

    async def measure_backlog(self) -> None:
        """Set the backlog metrics (unsent rows, age of the oldest): at each scrape."""
        if self.metrics is None:
            return
        async with self.sessions() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(self.outbox.c.created_at)).where(
                        self.outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        self.metrics.outbox(int(count or 0), oldest, datetime.now(UTC))

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; a failure is logged and retried with a growing pause."""
        await drain_until_stopped(
            self.publish_pending,
            stop,
            batch_size=self.batch_size,
            idle_seconds=self.idle_seconds,
            failure="outbox relay failed; retrying",
        )


async def drain_until_stopped(
    step: Callable[[], Awaitable[int]],
    stop: asyncio.Event,
    *,
    batch_size: int,
    idle_seconds: float,
    failure: str,
) -> None:
    """Run `step` (which handles up to `batch_size` rows and says how many) until `stop` is set:
    again at once after a full batch, else after `idle_seconds`; a failure is logged (`failure`)
    and retried after a pause that doubles up to 10 s."""
    pause = idle_seconds
    while not stop.is_set():
        try:
            done = await step()
            pause = idle_seconds
        except Exception:
            logger.exception(failure)
            done = 0
            pause = min(pause * 2, 10.0)
        if done < batch_size:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=pause)
