"""The gateway's rate limiter: shared limits in Redis, local limits while Redis is unreachable.

One bucket per client and operation: the client is its address (the first `X-Forwarded-For` hop
when `GATEWAY_TRUST_FORWARDED_FOR=true`), or the subject of its verified token, the operation
its `operationName`, or the sha256 of the document when it has none. With `REDIS_ENABLED=true`
every replica shares each bucket through Redis. When a Redis call fails the limiter says so once
in the log, decides in memory (each replica alone, so the cluster admits up to replicas x rate)
and tries Redis again at most every `GATEWAY_RATE_LIMIT_REDIS_RETRY` seconds, so an outage
costs one short timeout per interval, not one per request; the first success switches back.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, Literal

from prometheus_client import Counter, Gauge
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from common.logging import get_logger
from common.settings import GatewaySettings
from gateway.policy.rate_limit import (
    LocalRateLimit,
    RateLimitDecision,
    RateLimitPolicy,
)
from gateway.policy.rate_limit_redis import RedisRateLimit

logger = get_logger(__name__)

Backend = Literal["redis", "local", "off"]

BACKEND = Gauge(
    "gateway_rate_limit_backend", "1 for the backend deciding rate limits now", ["backend"]
)
LIMITED = Counter("gateway_rate_limited_total", "Requests refused by the rate limit (HTTP 429)")
DECISIONS = Counter(
    "gateway_rate_limit_decisions_total",
    "Rate-limit decisions, by the backend that decided and the decision (allowed, limited)",
    ["backend", "decision"],
)
REDIS_CONFIGURED = Gauge(
    "gateway_rate_limit_redis_configured",
    "1 when rate limits are meant to be shared through Redis (REDIS_ENABLED=true), else 0",
)
#: operation names longer than this are keyed by their hash, like anonymous operations
_MAX_NAME = 128


class RateLimiter:
    """Decides requests in Redis when it can, in memory when it cannot (or is not configured)."""

    def __init__(
        self,
        policy: RateLimitPolicy,
        *,
        redis: RedisRateLimit | None = None,
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy
        self.redis = redis
        self.local = LocalRateLimit(policy, clock=clock)
        self.retry_interval = retry_interval
        self._clock = clock
        self._retry_at = 0.0
        #: why Redis was given up, while it is
        self.last_error: str | None = None
        self.backend: Backend = "redis" if redis is not None else "local"
        _show(self.backend)
        REDIS_CONFIGURED.set(1 if redis is not None else 0)
        for backend in ("redis", "local"):
            for verdict in ("allowed", "limited"):
                DECISIONS.labels(backend, verdict)

    def for_request(self, address: str, subject: str | None = None) -> ClientRateLimit:
        """The limit of the client behind one HTTP request: its token's subject when it sent
        one (wherever it connects from), else its address."""
        return ClientRateLimit(self, f"sub:{subject}" if subject else f"addr:{address}")

    async def decide(self, key: str) -> RateLimitDecision:
        """Admit or refuse one request under `key`; never raises for a Redis failure."""
        if self.redis is not None and (self.backend == "redis" or self._clock() >= self._retry_at):
            self._retry_at = self._clock() + self.retry_interval  # one probe per interval
            try:
                decision = await self.redis.decide(key)
            except (RedisError, OSError) as exc:
                self._fall_back(exc)
            else:
                if self.backend != "redis":
                    self._recovered()
                return _counted("redis", decision)
        return _counted("local", self.local.decide(key))

    def health(self) -> dict[str, Any]:
        """What `/health` shows under `rate_limit`."""
        result: dict[str, Any] = {
            "backend": self.backend,
            "rate": self.policy.rate,
            "burst": self.policy.burst,
        }
        if self.last_error is not None:
            result["lastError"] = self.last_error
        return result

    async def aclose(self) -> None:
        """Close the Redis connections (at shutdown)."""
        if self.redis is not None:
            await self.redis.aclose()

    def _fall_back(self, exc: Exception) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        if self.backend == "local":
            return
        self.backend = "local"
        _show("local")
        logger.warning(
            "Redis unreachable: rate limits are local to this replica until it answers again",
            extra={"event": "rate_limit_backend", "backend": "local", "reason": self.last_error},
        )

    def _recovered(self) -> None:
        self.backend = "redis"
        self.last_error = None
        _show("redis")
        logger.info(
            "Redis answers again: rate limits are shared",
            extra={"event": "rate_limit_backend", "backend": "redis"},
        )


class ClientRateLimit:
    """One request's view of the limiter; `headers` are the `RateLimit-*` of its decision."""

    def __init__(self, limiter: RateLimiter, client: str) -> None:
        self.limiter = limiter
        self.client = client
        self.headers: dict[str, str] = {}

    async def check(self, operation_name: str | None, query: str) -> RateLimitDecision:
        """Decide this client's request for the operation (named, or by document hash)."""
        if operation_name and len(operation_name) <= _MAX_NAME:
            operation = f"op:{operation_name}"
        else:
            operation = f"doc:{hashlib.sha256(query.encode()).hexdigest()[:32]}"
        decision = await self.limiter.decide(f"{self.client}|{operation}")
        self.headers = decision.headers()
        return decision


def rate_limiter(settings: GatewaySettings) -> RateLimiter | None:
    """The limiter `settings` ask for: None when `GATEWAY_RATE_LIMIT=0`; shared through Redis
    when `REDIS_ENABLED=true`, else local to this process."""
    if settings.rate_limit <= 0:
        _show("off")
        REDIS_CONFIGURED.set(0)
        return None
    burst = settings.rate_burst or max(1, round(2 * settings.rate_limit))
    policy = RateLimitPolicy(settings.rate_limit, burst)
    redis = None
    if settings.redis_enabled:
        timeout = settings.rate_limit_redis_timeout
        client = Redis(
            host=settings.redis_host,
            port=settings.redis_port,
            password=settings.redis_password or None,
            db=settings.redis_db,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # a failure falls back at once; no retries in-request
        )
        redis = RedisRateLimit(client, policy, prefix=settings.rate_limit_prefix)
    return RateLimiter(
        policy,
        redis=redis,
        retry_interval=settings.rate_limit_redis_retry,
    )


def rate_limited_message(decision: RateLimitDecision) -> str:
    """The message of a 429: what happened and when to come back."""
    return (
        "Too many requests for this operation from this client; "
        f"retry after {decision.retry_after} second(s)."
    )


def _counted(backend: Backend, decision: RateLimitDecision) -> RateLimitDecision:
    if not decision.allowed:
        LIMITED.inc()
    DECISIONS.labels(backend, "allowed" if decision.allowed else "limited").inc()
    return decision


def _show(backend: Backend) -> None:
    for name in ("redis", "local"):
        BACKEND.labels(name).set(1 if name == backend else 0)
