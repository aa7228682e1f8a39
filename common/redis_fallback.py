"""Redis shared by the gateway replicas, or this process alone while Redis does not answer.

The rate limiter, the persisted-query documents and the entity cache keep their state in Redis
when `REDIS_ENABLED=true`, and each falls back to a local copy when a Redis call fails: each is
a `RedisFallback`, which decides which one answers. It says so once in the log (a warning going
local, a line at info coming back), shows the backend in a gauge (1 for the one answering) and
tries Redis again with one call at most every `retry_interval` seconds, so an outage costs one short
timeout per interval, not one per request; the first success switches back.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Awaitable, Callable
from typing import ClassVar, Final, Generic, Literal, Protocol, TypeVar

from prometheus_client import Gauge
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from common.settings import GatewaySettings

Backend = Literal["redis", "local"]


class Closable(Protocol):
    """A Redis client, or a store over one, with a connection pool to close at shutdown."""

    async def aclose(self) -> None: ...


R = TypeVar("R", bound=Closable)
T = TypeVar("T")


class NoAnswer(enum.Enum):
    """Redis was not asked (not configured, or given up until the retry time) or failed."""

    NO_ANSWER = enum.auto()


NO_ANSWER: Final = NoAnswer.NO_ANSWER


class RedisFallback(Generic[R]):
    """Whether `redis` answers now; a subclass asks it with `_ask_redis` and keeps its own
    local copy for the rest.

    Each subclass names its gauge and the words of its two log lines, written to its `log`
    under `event`: going local "Redis unreachable: <local_means> until it answers again",
    coming back "Redis answers again: <shared_means>".
    """

    gauge: ClassVar[Gauge]
    log: ClassVar[logging.Logger]
    event: ClassVar[str]
    shared_means: ClassVar[str]
    local_means: ClassVar[str]

    def __init__(
        self,
        redis: R | None,
        *,
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.retry_interval = retry_interval
        self._clock = clock
        self._retry_at = 0.0
        #: why Redis was given up, while it is
        self.last_error: str | None = None
        self.backend: Backend = "redis" if redis is not None else "local"
        show_backend(self.gauge, self.backend)

    async def _ask_redis(self, call: Callable[[R], Awaitable[T]]) -> T | NoAnswer:
        """What `call` returns from Redis, or `NO_ANSWER` when Redis was not asked or failed
        (never raises for a Redis failure)."""
        if self.redis is None:
            return NO_ANSWER
        if self.backend == "local":
            if self._clock() < self._retry_at:
                return NO_ANSWER
            self._retry_at = self._clock() + self.retry_interval  # one probe per interval
        try:
            answer = await call(self.redis)
        except (RedisError, OSError) as exc:
            self._fall_back(exc)
            return NO_ANSWER
        if self.backend == "local":
            self._answered()
        return answer

    async def aclose(self) -> None:
        """Close the Redis connections (at shutdown)."""
        if self.redis is not None:
            await self.redis.aclose()

    def _answered(self) -> None:
        self.backend = "redis"
        self.last_error = None
        show_backend(self.gauge, "redis")
        self.log.info(
            f"Redis answers again: {self.shared_means}",
            extra={"event": self.event, "backend": "redis"},
        )

    def _fall_back(self, exc: Exception) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        self._retry_at = self._clock() + self.retry_interval
        if self.backend == "local":
            return
        self.backend = "local"
        show_backend(self.gauge, "local")
        self.log.warning(
            f"Redis unreachable: {self.local_means} until it answers again",
            extra={"event": self.event, "backend": "local", "reason": self.last_error},
        )


def show_backend(gauge: Gauge, backend: Backend | Literal["off"]) -> None:
    """Set `gauge{backend}` to 1 for the backend answering now, 0 for the other ("off": both)."""
    for name in ("redis", "local"):
        gauge.labels(name).set(1 if name == backend else 0)


def gateway_redis_client(settings: GatewaySettings, *, timeout: float) -> Redis:
    """A client for the gateway's `REDIS_*` settings: connecting and every call give up after
    `timeout` seconds, without retries, so a caller learns of an outage at once."""
    return Redis(
        host=settings.redis_host,
        port=settings.redis_port,
        password=settings.redis_password or None,
        db=settings.redis_db,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )
