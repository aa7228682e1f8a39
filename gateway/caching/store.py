"""Where cached answers live: Redis, shared by the replicas, or a bounded in-process copy while
Redis is unreachable (or not configured).

Besides entries the store keeps one generation number per subgraph (`<prefix>g:<subgraph>`).
Every key of a cached answer holds its subgraph's generation at the time it was looked up, so
bumping the generation (a mutation through the gateway, an event from that subgraph) makes every
older entry of the subgraph unreachable at once, on every replica; the old entries expire on
their own. When a Redis call fails the store says so once in the log, uses its local entries and
generations (kept bumped by this replica alone) and tries Redis again at most every
`retry_interval` seconds (`common.redis_fallback`, as the rate limiter does).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from prometheus_client import Counter, Gauge
from redis.asyncio import Redis

from common.logging import get_logger
from common.redis_fallback import NO_ANSWER, RedisFallback

logger = get_logger(__name__)

BACKEND = Gauge(
    "gateway_entity_cache_backend", "1 for the store the entity cache uses now", ["backend"]
)

INVALIDATIONS = Counter(
    "gateway_cache_invalidations_total",
    "Subgraph generations bumped by the entity cache, by subgraph and cause (mutation, event)",
    ["subgraph", "cause"],
)


class LocalEntries:
    """The `capacity` most recently used entries of this process, each with its expiry."""

    def __init__(self, capacity: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = max(1, capacity)
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.generations: dict[str, int] = {}

    def get(self, key: str) -> bytes | None:
        found = self._entries.get(key)
        if found is None:
            return None
        expires, value = found
        if expires <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class CacheStore(RedisFallback[Redis]):
    """Entries and generations in Redis when it answers, else in this process."""

    gauge, log, event = BACKEND, logger, "entity_cache_backend"
    shared_means = "the entity cache is shared"
    local_means = "the entity cache is local to this replica"

    def __init__(
        self,
        local: LocalEntries,
        redis: Redis | None = None,
        *,
        prefix: str = "gateway:cache:",
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(redis, retry_interval=retry_interval, clock=clock)
        self.local = local
        self.prefix = prefix

    async def generation(self, subgraph: str) -> int:
        """The subgraph's current generation (0 before its first bump)."""
        key = f"{self.prefix}g:{subgraph}"
        value: Any = await self._ask_redis(lambda redis: redis.get(key))
        if value is NO_ANSWER:
            return self.local.generations.get(subgraph, 0)
        return int(value) if value is not None else 0

    async def bump(self, subgraph: str) -> None:
        """Make every entry of `subgraph` cached so far unreachable (here and in Redis)."""
        self.local.generations[subgraph] = self.local.generations.get(subgraph, 0) + 1
        await self._ask_redis(lambda redis: redis.incr(f"{self.prefix}g:{subgraph}"))

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The entries under `keys` (None where there is none)."""
        if not keys:
            return []
        values: Any = await self._ask_redis(
            lambda redis: redis.mget([self.prefix + key for key in keys])
        )
        if values is NO_ANSWER:
            return [self.local.get(key) for key in keys]
        return [bytes(v) if v is not None else None for v in values]

    async def set_many(self, entries: Sequence[tuple[str, bytes, int]]) -> None:
        """Keep each `(key, value, ttl seconds)`."""
        if not entries:
            return

        async def store(redis: Redis) -> None:
            async with redis.pipeline(transaction=False) as pipe:
                for key, value, ttl in entries:
                    pipe.set(self.prefix + key, value, ex=ttl)
                await pipe.execute()

        if await self._ask_redis(store) is NO_ANSWER:
            for key, value, ttl in entries:
                self.local.set(key, value, ttl)
