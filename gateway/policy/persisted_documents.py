"""Where automatic persisted queries keep their documents: Redis, shared by every replica, with a
bounded in-process copy that answers while Redis is unreachable.

`SharedDocuments` reads and writes Redis under `prefix + sha256`, each document kept
`ttl_seconds` (refreshed by every registration). When a Redis call fails it says so once in the
log, serves from the local copy (each replica alone: a document registered elsewhere during the
outage is `PERSISTED_QUERY_NOT_FOUND` here, and the client registers it again, as the protocol
intends) and tries Redis again at most every `retry_interval` seconds, as the rate limiter does
(`common.redis_fallback`); the first success switches back.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from prometheus_client import Gauge
from redis.asyncio import Redis

from common.logging import get_logger
from common.redis_fallback import NO_ANSWER, RedisFallback

logger = get_logger(__name__)

BACKEND = Gauge(
    "gateway_persisted_queries_backend",
    "1 for the store answering automatic persisted queries now (redis, local)",
    ["backend"],
)


class DocumentStore(Protocol):
    """Documents by the hex SHA-256 of their text."""

    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, document: str) -> None: ...


class LocalDocuments:
    """The `capacity` most recently used documents of this process."""

    def __init__(self, capacity: int = 1000) -> None:
        if capacity < 1:
            raise ValueError("the local persisted-query store needs a capacity of at least 1")
        self.capacity = capacity
        self._documents: OrderedDict[str, str] = OrderedDict()

    async def get(self, sha256: str) -> str | None:
        document = self._documents.get(sha256)
        if document is not None:
            self._documents.move_to_end(sha256)
        return document

    async def put(self, sha256: str, document: str) -> None:
        self._documents[sha256] = document
        self._documents.move_to_end(sha256)
        while len(self._documents) > self.capacity:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


class RedisDocuments:
    """Documents in Redis under `prefix + sha256`; raises redis-py's errors when Redis fails."""

    def __init__(self, client: Redis, *, prefix: str, ttl_seconds: int) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    async def get(self, sha256: str) -> str | None:
        value: Any = await self.client.get(self.prefix + sha256)
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    async def put(self, sha256: str, document: str) -> None:
        await self.client.set(self.prefix + sha256, document.encode("utf-8"), ex=self.ttl_seconds)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()


class SharedDocuments(RedisFallback[RedisDocuments]):
    """Redis when it answers, the local copy when it does not (or is not configured)."""

    gauge, log, event = BACKEND, logger, "persisted_queries_backend"
    shared_means = "persisted queries are shared"
    local_means = "persisted queries are kept by this replica"

    def __init__(
        self,
        local: LocalDocuments,
        redis: RedisDocuments | None = None,
        *,
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(redis, retry_interval=retry_interval, clock=clock)
        self.local = local

    async def get(self, sha256: str) -> str | None:
        """The document registered under `sha256`, if any; never raises for a Redis failure."""
        document = await self._ask_redis(lambda redis: redis.get(sha256))
        if document is NO_ANSWER:
            return await self.local.get(sha256)
        if document is not None:
            await self.local.put(sha256, document)
        return document

    async def put(self, sha256: str, document: str) -> None:
        """Register `document` under `sha256` here and, when it answers, in Redis."""
        await self.local.put(sha256, document)
        await self._ask_redis(lambda redis: redis.put(sha256, document))
