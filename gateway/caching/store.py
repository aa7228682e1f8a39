"""Where cached answers live: Redis, shared by the replicas, or a bounded in-process copy while
Redis is unreachable (or not configured).

Besides entries the store keeps one generation number per subgraph (`<prefix>g:<subgraph>`).
Every key of a cached answer holds its subgraph's generation at the time it was looked up, so
bumping the generation (a mutation through the gateway, an event from that subgraph) makes every
older entry of the subgraph unreachable at once, on every replica; the old entries expire on
their own. When a Redis call fails the store says so once in the log, uses its local entries and
generations (kept bumped by this replica alone) and tries Redis again at most every
`retry_interval` seconds, as the rate limiter does.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Literal

from prometheus_client import Counter, Gauge
from redis.asyncio import Redis
from redis.exceptions import RedisError

from common.logging import get_logger

logger = get_logger(__name__)

Backend = Literal["redis", "local"]

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


class CacheStore:
    """Entries and generations in Redis when it answers, else in this process."""

    def __init__(
        self,
        local: LocalEntries,
        redis: Redis | None = None,
        *,
        prefix: str = "gateway:cache:",
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.local = local
        self.redis = redis
        self.prefix = prefix
        self.retry_interval = retry_interval
        self._clock = clock
        self._retry_at = 0.0
        self.last_error: str | None = None
        self.backend: Backend = "redis" if redis is not None else "local"
        _show(self.backend)

    async def generation(self, subgraph: str) -> int:
        """The subgraph's current generation (0 before its first bump)."""
        key = f"{self.prefix}g:{subgraph}"
        if self._use_redis():
            assert self.redis is not None
            try:
                value: Any = await self.redis.get(key)
            except (RedisError, OSError) as exc:
                self._fall_back(exc)
            else:
                self._answered()
                return int(value) if value is not None else 0
        return self.local.generations.get(subgraph, 0)

    async def bump(self, subgraph: str) -> None:
        """Make every entry of `subgraph` cached so far unreachable (here and in Redis)."""
        self.local.generations[subgraph] = self.local.generations.get(subgraph, 0) + 1
        if self._use_redis():
            assert self.redis is not None
            try:
                await self.redis.incr(f"{self.prefix}g:{subgraph}")
            except (RedisError, OSError) as exc:
                self._fall_back(exc)
            else:
                self._answered()

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        """The entries under `keys` (None where there is none)."""
        if not keys:
            return []
        if self._use_redis():
            assert self.redis is not None
            try:
                values: Any = await self.redis.mget([self.prefix + key for key in keys])
            except (RedisError, OSError) as exc:
                self._fall_back(exc)
            else:
                self._answered()
                return [bytes(v) if v is not None else None for v in values]
        return [self.local.get(key) for key in keys]

    async def set_many(self, entries: Sequence[tuple[str, bytes, int]]) -> None:
        """Keep each `(key, value, ttl seconds)`."""
        if not entries:
            return
        if self._use_redis():
            assert self.redis is not None
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for key, value, ttl in entries:
                        pipe.set(self.prefix + key, value, ex=ttl)
                    await pipe.execute()
            except (RedisError, OSError) as exc:
                self._fall_back(exc)
            else:
                self._answered()
                return
        for key, value, ttl in entries:
            self.local.set(key, value, ttl)

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()

    def _use_redis(self) -> bool:
        if self.redis is None:
            return False
        if self.backend == "redis":
            return True
        if self._clock() < self._retry_at:
            return False
        self._retry_at = self._clock() + self.retry_interval
        return True

    def _answered(self) -> None:
        if self.backend == "redis":
            return
        self.backend = "redis"
        self.last_error = None
        _show("redis")
        logger.info(
            "Redis answers again: the entity cache is shared",
            extra={"event": "entity_cache_backend", "backend": "redis"},
        )

    def _fall_back(self, exc: Exception) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        self._retry_at = self._clock() + self.retry_interval
        if self.backend == "local":
            return
        self.backend = "local"
        _show("local")
        logger.warning(
            "Redis unreachable: the entity cache is local to this replica until it answers again",
            extra={"event": "entity_cache_backend", "backend": "local", "reason": self.last_error},
        )


def _show(backend: Backend) -> None:
    for name in ("redis", "local"):
        BACKEND.labels(name).set(1 if name == backend else 0)
