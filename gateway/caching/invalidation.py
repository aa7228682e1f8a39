"""Events retire cached answers: every event a subgraph emits bumps that subgraph's generation.

A subgraph emits events about its own data only (docs/events.md: `product.stock_adjusted` and
`inventory.*` from products, `order.status_changed` from orders, ...), so the event's `source`
names the subgraph whose answers may now be stale: all of them are retired at once (coarse, and
never stale). That covers the writes that do not pass through the gateway, such as the saga's
steps; writes through the gateway retire their subgraph's answers themselves (`CachingClient`).

The gateway replicas read the bus as one consumer group (`gateway-cache`): one replica applies
each event, to the generations every replica reads in Redis.
"""

from __future__ import annotations

import asyncio
import os
import socket

from common.events.bus import EventBus
from common.logging import get_logger
from gateway.caching.store import INVALIDATIONS, CacheStore

logger = get_logger(__name__)

GROUP = "gateway-cache"


class EventInvalidation:
    """Reads the bus and bumps the generation of each event's source subgraph."""

    def __init__(
        self,
        bus: EventBus,
        store: CacheStore,
        *,
        consumer: str | None = None,
    ) -> None:
        self.bus = bus
        self.store = store
        self.consumer = consumer or f"gateway@{socket.gethostname()}:{os.getpid()}"

    async def poll(self, *, block_ms: int = 1000) -> int:
        """Apply one batch of events; returns how many were read."""
        deliveries = await self.bus.read(GROUP, self.consumer, block_ms=block_ms)
        sources = {d.event.source for d in deliveries}
        for source in sorted(sources):
            await self.store.bump(source)
            INVALIDATIONS.labels(source, "event").inc()
        await self.bus.ack(GROUP, [d.message_id for d in deliveries])
        return len(deliveries)

    async def run(self) -> None:
        """Poll until cancelled; bus failures are logged and retried after a pause."""
        while True:
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("entity cache: reading events failed; retrying")
                await asyncio.sleep(1.0)
