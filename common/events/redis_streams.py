"""The bus on Redis Streams: XADD to publish, consumer groups to read, XACK to acknowledge.

Redelivery: a consumer first re-reads its own unacknowledged messages (a restart under the same
consumer name), then claims messages another consumer left unacknowledged for longer than
`claim_idle_ms` (a consumer that died), then reads new ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from common.events.bus import Delivery
from common.events.envelope import Event
from common.logging import get_logger

logger = get_logger(__name__)


class RedisStreamBus:
    """An `EventBus` on one Redis stream."""

    def __init__(
        self,
        redis: Redis,
        stream: str = "events",
        *,
        max_length: int = 1_000_000,
        claim_idle_ms: int = 30_000,
    ) -> None:
        self.redis = redis
        self.stream = stream
        self.max_length = max_length
        self.claim_idle_ms = claim_idle_ms
        self._groups: set[str] = set()

    async def publish(self, event: Event) -> str:
        """XADD the event (the stream is trimmed, approximately, to `max_length`)."""
        message_id = await self.redis.xadd(
            self.stream, {"event": event.to_json()}, maxlen=self.max_length, approximate=True
        )
        return _text(message_id)

    async def _ensure_group(self, group: str) -> None:
        if group in self._groups:
            return
        try:
            # From the start of the stream: events published before the group existed count.
            await self.redis.xgroup_create(self.stream, group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._groups.add(group)

    async def read(
        self, group: str, consumer: str, *, count: int = 50, block_ms: int = 1000
    ) -> Sequence[Delivery]:
        """Own pending messages, then claimed stale ones, then new ones."""
        await self._ensure_group(group)
        own = await self.redis.xreadgroup(group, consumer, {self.stream: "0"}, count=count)
        deliveries = self._deliveries(own)
        if deliveries:
            return deliveries
        claimed = await self.redis.xautoclaim(
            self.stream, group, consumer, min_idle_time=self.claim_idle_ms, count=count
        )
        deliveries = self._deliveries([[self.stream, claimed[1]]])
        if deliveries:
            return deliveries
        fresh = await self.redis.xreadgroup(
            group, consumer, {self.stream: ">"}, count=count, block=block_ms
        )
        return self._deliveries(fresh)

    def _deliveries(self, response: Any) -> list[Delivery]:
        deliveries: list[Delivery] = []
        for _stream, messages in response or []:
            for message_id, fields in messages or []:
                if not fields:  # trimmed away while pending
                    continue
                body = fields.get(b"event") or fields.get("event")
                try:
                    deliveries.append(Delivery(_text(message_id), Event.from_json(body)))
                except ValueError:
                    logger.error(
                        "skipping a message that is not an event", extra={"id": message_id}
                    )
        return deliveries

    async def ack(self, group: str, message_ids: Sequence[str]) -> None:
        """XACK the handled messages."""
        if message_ids:
            await self.redis.xack(self.stream, group, *message_ids)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.redis.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
