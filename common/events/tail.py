"""Following the bus live: every event, on every process, from now on (no consumer group).

A consumer group shares its events among the processes that read it, each event going to one;
live subscriptions need the opposite: every replica must see every event, because the client
waiting for it may be connected to any of them. A tail reads the stream as a plain reader
(Redis `XREAD` from the id it saw last; the local log's rows after its last sequence number) and
acknowledges nothing. It starts at the end: events published before it started are not replayed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from redis.asyncio import Redis
from sqlalchemy import func, select

from common.events.envelope import Event
from common.events.local_log import POLL_SECONDS, LocalEventLog, event_log
from common.events.redis_streams import RedisStreamBus
from common.logging import get_logger
from common.settings import EventSettings

logger = get_logger(__name__)


class EventTail(Protocol):
    """Reads every event published after it started, in order."""

    async def next_batch(self, *, block_ms: int = 1000) -> Sequence[Event]:
        """The events published since the last batch (waits up to `block_ms` for one)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class RedisStreamTail:
    """A tail of one Redis stream: `XREAD BLOCK` from the last id seen (the newest at first)."""

    def __init__(self, redis: Redis, stream: str, *, count: int = 100) -> None:
        self.redis = redis
        self.stream = stream
        self.count = count
        self._last: str | None = None

    async def next_batch(self, *, block_ms: int = 1000) -> Sequence[Event]:
        if self._last is None:
            # The newest id now, not `$` on every read: `$` would skip what is published between
            # two reads.
            newest: Any = await self.redis.xrevrange(self.stream, count=1)
            self._last = _text(newest[0][0]) if newest else "0-0"
        response: Any = await self.redis.xread(
            {self.stream: self._last}, count=self.count, block=block_ms
        )
        events: list[Event] = []
        for _stream, messages in response or []:
            for message_id, fields in messages or []:
                self._last = _text(message_id)
                body = fields.get(b"event") or fields.get("event")
                try:
                    events.append(Event.from_json(body))
                except ValueError:
                    logger.error("skipping a message that is not an event")
        return events

    async def close(self) -> None:
        await self.redis.aclose()


class LocalLogTail:
    """A tail of the local event log: the rows after the last sequence number seen."""

    def __init__(self, log: LocalEventLog, *, count: int = 100) -> None:
        self.log = log
        self.count = count
        self._last: int | None = None

    async def next_batch(self, *, block_ms: int = 1000) -> Sequence[Event]:
        await self.log.prepare()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + block_ms / 1000
        while True:
            async with self.log.engine.connect() as connection:
                if self._last is None:
                    highest = await connection.scalar(select(func.max(event_log.c.seq)))
                    self._last = int(highest or 0)
                rows = (
                    await connection.execute(
                        select(event_log.c.seq, event_log.c.body)
                        .where(event_log.c.seq > self._last)
                        .order_by(event_log.c.seq)
                        .limit(self.count)
                    )
                ).all()
            if rows:
                self._last = int(rows[-1][0])
                return [Event.from_json(body) for _seq, body in rows]
            if loop.time() >= deadline:
                return []
            await asyncio.sleep(POLL_SECONDS)

    async def close(self) -> None:
        await self.log.close()


def open_tail(settings: EventSettings) -> EventTail:
    """The tail of the bus the settings describe (as `open_bus` opens it)."""
    if settings.redis_enabled:
        bus = RedisStreamBus(Redis.from_url(settings.redis_url), settings.events_stream)
        return RedisStreamTail(bus.redis, bus.stream)
    return LocalLogTail(LocalEventLog.open(settings.events_log_url))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
