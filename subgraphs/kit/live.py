"""Live events in a subgraph process: one tail of the bus, fanned out to its subscriptions.

Every replica runs one `LiveEvents`: a task that follows the bus (`common.events.tail`) and hands
each event to the subscriptions of this process that want it. A subscription is a bounded queue;
one that falls `QUEUE_SIZE` events behind (a client that does not read) is ended with
`EventsMissed` rather than allowed to hold memory without bound. Resolvers of GraphQL
subscriptions use `subscribe`, filter on the event and load what the client asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from prometheus_client import Gauge

from common.errors import AppError
from common.events import Event
from common.events.tail import EventTail, open_tail
from common.logging import get_logger
from common.settings import EventSettings, load_settings

logger = get_logger(__name__)

#: Events a subscription may have waiting before it is ended as too slow.
QUEUE_SIZE = 256
#: The pause after the bus failed, before reading it again.
RETRY_SECONDS = 1.0

Wanted = Callable[[Event], bool]
_GAUGES: dict[str, Gauge] = {}


def subscriptions_gauge(prefix: str) -> Gauge:
    """`<prefix>_live_subscriptions`: subscriptions this process feeds now (one per prefix)."""
    gauge = _GAUGES.get(prefix)
    if gauge is None:
        gauge = _GAUGES[prefix] = Gauge(
            f"{prefix}_live_subscriptions", "Subscriptions this process feeds with live events"
        )
    return gauge


class EventsMissed(AppError):
    """The subscription could not keep up, or the bus was lost for a while: events were missed."""

    code = "SUBSCRIPTION_EVENTS_MISSED"
    status = 503


@dataclass(eq=False)
class _Subscriber:
    wanted: Wanted
    queue: asyncio.Queue[Event | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE)
    )
    missed: bool = False


class LiveEvents:
    """The process's tail of the bus and the subscriptions fed from it."""

    def __init__(
        self, open_events: Callable[[], EventTail] | None = None, gauge: Gauge | None = None
    ) -> None:
        self._open = open_events or (lambda: open_tail(load_settings(EventSettings)))
        self._gauge = gauge
        self._subscribers: set[_Subscriber] = set()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        """Start following the bus (from its end)."""
        if self._task is None:
            self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        """Stop following; every subscription ends."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for subscriber in self._subscribers:
            _offer(subscriber, None)

    async def ready(self) -> None:
        """Wait until the tail has made its first read (events after it reach subscribers)."""
        await self._ready.wait()

    def dispatch(self, event: Event) -> None:
        """Hand one event to every subscription that wants it."""
        for subscriber in list(self._subscribers):
            try:
                wanted = subscriber.wanted(event)
            except Exception:
                logger.exception("a subscription's event filter failed")
                continue
            if wanted:
                _offer(subscriber, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, wanted: Wanted) -> AsyncIterator[AsyncIterator[Event]]:
        """The events `wanted` accepts, from now until the block ends. The iterator raises
        `EventsMissed` when events were lost for this subscription, and ends at shutdown."""
        subscriber = _Subscriber(wanted)
        self._subscribers.add(subscriber)
        if self._gauge is not None:
            self._gauge.inc()
        try:
            yield _events(subscriber)
        finally:
            self._subscribers.discard(subscriber)
            if self._gauge is not None:
                self._gauge.dec()

    async def _follow(self) -> None:
        tail: EventTail | None = None
        lost = False
        while True:
            try:
                if tail is None:
                    tail = self._open()
                batch = await tail.next_batch(block_ms=1000)
                self._ready.set()
                if lost:  # events published while the bus was unreachable were not seen
                    lost = False
                    for subscriber in list(self._subscribers):
                        subscriber.missed = True
                        _offer(subscriber, None)
                for event in batch:
                    self.dispatch(event)
            except asyncio.CancelledError:
                if tail is not None:
                    await tail.close()
                raise
            except Exception:
                logger.exception("live events: reading the bus failed; retrying")
                lost = True
                if tail is not None:
                    with contextlib.suppress(Exception):
                        await tail.close()
                    tail = None
                await asyncio.sleep(RETRY_SECONDS)


def _offer(subscriber: _Subscriber, event: Event | None) -> None:
    try:
        subscriber.queue.put_nowait(event)
    except asyncio.QueueFull:
        subscriber.missed = True
        with contextlib.suppress(asyncio.QueueEmpty):
            subscriber.queue.get_nowait()  # make room for the end marker
        subscriber.queue.put_nowait(None)


async def _events(subscriber: _Subscriber) -> AsyncIterator[Event]:
    while True:
        event = await subscriber.queue.get()
        if event is None:
            if subscriber.missed:
                raise EventsMissed(
                    "Events were missed (the subscription fell behind, or the event bus was "
                    "unreachable for a while): read the current state again and subscribe again."
                )
            return
        yield event
