"""Events in a subgraph: what a domain declares, and the relay and consumers its app runs.

A domain that publishes gives its `outbox` table; a domain that listens gives `consumers`
(a group name, the event types, a handler) and its `processed_events` table; a domain that sends
what its consumers stored gives `workers` (the notifications' delivery dispatcher). The app
starts the relay, the consumers and the workers with itself and stops them before it closes the
database.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.events import Event, EventBus
from common.events.consumer import EventConsumer, Handler
from common.events.factory import open_bus
from common.events.metrics import EventMetrics
from common.events.outbox import record_event
from common.events.relay import OutboxRelay
from common.logging import get_logger
from common.request_id import current_request_id
from common.settings import EventSettings, load_settings
from subgraphs.kit.settings import SubgraphSettings

logger = get_logger(__name__)

#: A loop run beside the relay and the consumers until `stop` is set: it gets the session
#: factory and the subgraph's settings, and must survive its own failures (log, pause, retry).
Worker = Callable[
    [async_sessionmaker[AsyncSession], SubgraphSettings | None, asyncio.Event],
    Coroutine[Any, Any, None],
]


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a domain: which events it applies, and how."""

    group: str
    types: Collection[str] | None
    handler: Handler


@dataclass(frozen=True)
class EventWiring:
    """What a domain says about events: its outbox, its processed table, its consumers."""

    outbox: Table | None = None
    processed: Table | None = None
    consumers: tuple[ConsumerSpec, ...] = ()
    workers: tuple[Worker, ...] = ()


async def emit(
    session: AsyncSession,
    outbox: Table,
    *,
    source: str,
    type: str,
    entity_type: str,
    entity_id: object,
    payload: dict[str, Any],
    actor: str | None = None,
) -> Event:
    """Store an event in the session's transaction, stamped with the current request id."""
    event = Event(
        type=type,
        entity_type=entity_type,
        entity_id=str(entity_id),
        payload=payload,
        source=source,
        actor=actor,
        request_id=current_request_id(),
    )
    await record_event(session, outbox, event)
    return event


class EventRuntime:
    """The relay and consumer tasks of one subgraph process."""

    def __init__(
        self,
        name: str,
        wiring: EventWiring,
        sessions: async_sessionmaker[AsyncSession],
        metrics: EventMetrics | None = None,
        settings: SubgraphSettings | None = None,
    ) -> None:
        self.name = name
        self.wiring = wiring
        self.sessions = sessions
        self.metrics = metrics
        self.settings = settings
        self.bus: EventBus | None = None
        self.relay: OutboxRelay | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def active(self) -> bool:
        """True when the domain publishes or consumes anything."""
        wiring = self.wiring
        return wiring.outbox is not None or bool(wiring.consumers) or bool(wiring.workers)

    async def start(self, settings: EventSettings | None = None) -> None:
        """Open the bus and start the relay and every consumer."""
        if not self.active:
            return
        settings = settings or load_settings(EventSettings)
        self.bus = open_bus(settings)
        consumer_name = settings.events_consumer_name or f"{self.name}@{socket.gethostname()}"
        if self.wiring.outbox is not None:
            self.relay = OutboxRelay(
                self.sessions, self.wiring.outbox, self.bus, metrics=self.metrics
            )
            self._tasks.append(asyncio.create_task(self.relay.run(self._stop)))
        for spec in self.wiring.consumers:
            if self.wiring.processed is None:
                raise ValueError(f"{self.name}: consumers need a processed_events table")
            consumer = EventConsumer(
                self.bus,
                self.sessions,
                self.wiring.processed,
                spec.handler,
                group=spec.group,
                consumer=consumer_name,
                types=spec.types,
                metrics=self.metrics,
            )
            self._tasks.append(asyncio.create_task(consumer.run(self._stop)))
        for worker in self.wiring.workers:
            self._tasks.append(
                asyncio.create_task(worker(self.sessions, self.settings, self._stop))
            )
        logger.info(
            "events started",
            extra={"bus": type(self.bus).__name__, "consumers": len(self.wiring.consumers)},
        )

    async def stop(self) -> None:
        """Let the tasks finish their current step, then close the bus."""
        self._stop.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.bus is not None:
            await self.bus.close()

    async def measure(self) -> None:
        """Bring the outbox backlog metrics up to date (before `/metrics` answers)."""
        if self.relay is not None:
            await self.relay.measure_backlog()

    async def outbox_backlog(self) -> int | None:
        """Unsent outbox rows, or None when the domain publishes nothing."""
        return await self.relay.backlog() if self.relay is not None else None
