"""Consumers: apply each event once, in one transaction with its event id, then acknowledge."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime

from sqlalchemy import Insert, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.events.bus import Delivery, EventBus
from common.events.envelope import Event
from common.events.metrics import EventMetrics
from common.logging import get_logger

logger = get_logger(__name__)

Handler = Callable[[AsyncSession, Event], Awaitable[None]]


class EventConsumer:
    """Reads one consumer group and applies `handler` to the events of `types` exactly once."""

    def __init__(
        self,
        bus: EventBus,
        sessions: async_sessionmaker[AsyncSession],
        processed: Table,
        handler: Handler,
        *,
        group: str,
        consumer: str,
        types: Collection[str] | None = None,
        max_attempts: int = 5,
        metrics: EventMetrics | None = None,
    ) -> None:
        self.bus = bus
        self.sessions = sessions
        self.processed = processed
        self.handler = handler
        self.group = group
        self.consumer = consumer
        self.types = frozenset(types) if types is not None else None
        self.max_attempts = max_attempts
        self.metrics = metrics
        if metrics is not None:
            metrics.prepare_group(group)
        self._attempts: dict[str, int] = {}

    async def poll(self, *, block_ms: int = 1000) -> int:
        """Read one batch, apply and acknowledge it; returns how many deliveries were settled."""
        deliveries = await self.bus.read(self.group, self.consumer, block_ms=block_ms)
        settled: list[str] = []
        for delivery in deliveries:
            if not await self.apply(delivery):
                break  # keep the order: later events wait until this one succeeds or is parked
            settled.append(delivery.message_id)
        await self.bus.ack(self.group, settled)
        return len(settled)

    async def apply(self, delivery: Delivery) -> bool:
        """Apply one delivery unless already applied; False when it failed and will come again."""
        event = delivery.event
        if self.types is not None and event.type not in self.types:
            return True
        attempt = self._attempts.get(event.id, 0) + 1
        try:
            async with self.sessions() as session, session.begin():
                if await self._seen(session, event):
                    self._count("duplicate")
                    return True
                await session.execute(self._row(event, "applied", attempt))
                await self.handler(session, event)
        except IntegrityError:
            # Another consumer of the group applied it between our check and our insert.
            async with self.sessions() as session:
                if await self._seen(session, event):
                    self._count("duplicate")
                    return True
            return self._failed(event, attempt, "integrity error")
        except Exception as exc:
            logger.exception("event handler failed", extra={"event_id": event.id})
            return self._failed(event, attempt, repr(exc)) or await self._park(event, attempt, exc)
        self._attempts.pop(event.id, None)
        if self.metrics is not None:
            self.metrics.applied(self.group, event.time, datetime.now(UTC))
        return True

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.consumed.labels(self.group, outcome).inc()

    def _failed(self, event: Event, attempt: int, reason: str) -> bool:
        self._attempts[event.id] = attempt
        self._count("failed")
        logger.warning(
            "event not applied",
            extra={
                "event_id": event.id,
                "event_type": event.type,
                "attempt": attempt,
                "reason": reason,
            },
        )
        return False

    async def _park(self, event: Event, attempt: int, exc: Exception) -> bool:
        """After `max_attempts` failures, record the event as failed so the group moves on."""
        if attempt < self.max_attempts:
            return False
        async with self.sessions() as session, session.begin():
            if not await self._seen(session, event):
                await session.execute(self._row(event, "failed", attempt, repr(exc)))
        logger.error("event parked after repeated failures", extra={"event_id": event.id})
        self._count("parked")
        self._attempts.pop(event.id, None)
        return True

    async def _seen(self, session: AsyncSession, event: Event) -> bool:
        found = await session.scalar(
            select(self.processed.c.event_id).where(
                self.processed.c.consumer_group == self.group,
                self.processed.c.event_id == event.id,
            )
        )
        return found is not None

    def _row(self, event: Event, outcome: str, attempts: int, error: str | None = None) -> Insert:
        return insert(self.processed).values(
            consumer_group=self.group,
            event_id=event.id,
            event_type=event.type,
            outcome=outcome,
            attempts=attempts,
            processed_at=datetime.now(UTC),
            error=error,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; bus failures are logged and retried with a pause."""
        while not stop.is_set():
            try:
                settled = await self.poll()
                if settled == 0 and self._attempts:
                    await asyncio.sleep(0.5)  # something is failing: don't spin on it
            except Exception:
                logger.exception("event consumer failed; retrying", extra={"group": self.group})
                await asyncio.sleep(1.0)
