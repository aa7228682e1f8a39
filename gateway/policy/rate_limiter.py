"""The gateway's rate limiter: shared limits in Redis, local limits while Redis is unreachable.

Three kinds of buckets, each a GCRA policy (`RateLimits`):

- per client, all operations together (`GATEWAY_CLIENT_RATE_LIMIT`), checked first, before the
  document is parsed: nothing a client varies in its documents escapes it;
- per client and operation (`GATEWAY_RATE_LIMIT`), the operation named by `operation_key` (its
  tokens without operation names, comments and layout), checked once the document is parsed;
- per client id and address on `POST /api/v1/auth/token` (`GATEWAY_TOKEN_RATE_LIMIT`).

The client is its address (the first `X-Forwarded-For` hop when
`GATEWAY_TRUST_FORWARDED_FOR=true`), or the subject of its verified token. With
`REDIS_ENABLED=true` every replica shares each bucket through Redis. When a Redis call fails the
limiter says so once in the log, decides in memory (each replica alone, so the cluster admits up
to replicas x rate) and tries Redis again at most every `GATEWAY_RATE_LIMIT_REDIS_RETRY` seconds,
so an outage costs one short timeout per interval, not one per request; the first success
switches back (`common.redis_fallback`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Gauge

from common.logging import get_logger
from common.redis_fallback import (
    NO_ANSWER,
    Backend,
    RedisFallback,
    gateway_redis_client,
    show_backend,
)
from common.settings import GatewaySettings
from gateway.policy.errors import PolicyError
from gateway.policy.rate_limit import (
    RATE_LIMITED,
    LocalRateLimit,
    RateLimitDecision,
    RateLimitPolicy,
)
from gateway.policy.rate_limit_redis import RedisRateLimit

logger = get_logger(__name__)

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


@dataclass(frozen=True)
class RateLimits:
    """The policy of each kind of bucket; None: that kind is not limited."""

    #: per client and operation
    operation: RateLimitPolicy | None = None
    #: per client, all operations together
    client: RateLimitPolicy | None = None
    #: `POST /api/v1/auth/token`, per client id and address
    token: RateLimitPolicy | None = None


class RateLimiter(RedisFallback[RedisRateLimit]):
    """Decides requests in Redis when it can, in memory when it cannot (or is not configured)."""

    gauge, log, event = BACKEND, logger, "rate_limit_backend"
    shared_means = "rate limits are shared"
    local_means = "rate limits are local to this replica"

    def __init__(
        self,
        limits: RateLimits,
        *,
        redis: RedisRateLimit | None = None,
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(redis, retry_interval=retry_interval, clock=clock)
        self.limits = limits
        self.local = LocalRateLimit(clock=clock)
        REDIS_CONFIGURED.set(1 if redis is not None else 0)
        for backend in ("redis", "local"):
            for verdict in ("allowed", "limited"):
                DECISIONS.labels(backend, verdict)

    def for_request(self, address: str, subject: str | None = None) -> ClientRateLimit | None:
        """The limits of the client behind one `/graphql` request (None: it has none): its
        token's subject when it sent one (wherever it connects from), else its address."""
        if self.limits.operation is None and self.limits.client is None:
            return None
        return ClientRateLimit(self, f"sub:{subject}" if subject else f"addr:{address}")

    async def check_token_request(self, client_id: str, address: str) -> None:
        """`PolicyError` (429) when the token endpoint has had too many attempts for
        `client_id` from `address`."""
        if self.limits.token is None:
            return
        client = hashlib.sha256(client_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        # The variable part last, after fixed-length ones: no two buckets' keys can meet.
        decision = await self.decide(f"token:{client}|addr:{address}", self.limits.token)
        if not decision.allowed:
            raise rate_limited(decision, "Too many token requests for this client id from here")

    async def decide(self, key: str, policy: RateLimitPolicy) -> RateLimitDecision:
        """Admit or refuse one request under `key`; never raises for a Redis failure."""
        decision = await self._ask_redis(lambda redis: redis.decide(key, policy))
        if decision is NO_ANSWER:
            return _counted("local", self.local.decide(key, policy))
        return _counted("redis", decision)

    def health(self) -> dict[str, Any]:
        """What `/health` shows under `rate_limit`."""
        result: dict[str, Any] = {"backend": self.backend}
        for name, policy in (
            ("", self.limits.operation),
            ("client", self.limits.client),
            ("token", self.limits.token),
        ):
            if policy is not None:
                result[f"{name}Rate" if name else "rate"] = policy.rate
                result[f"{name}Burst" if name else "burst"] = policy.burst
        if self.last_error is not None:
            result["lastError"] = self.last_error
        return result


class ClientRateLimit:
    """One request's view of the limiter; `headers` are the `RateLimit-*` of the tightest
    decision so far (the refusing one on a refusal)."""

    def __init__(self, limiter: RateLimiter, client: str) -> None:
        self.limiter = limiter
        self.client = client
        self.headers: dict[str, str] = {}
        self._remaining: int | None = None

    async def admit_client(self) -> None:
        """`PolicyError` (429) when this client has sent too many requests, whatever they were."""
        policy = self.limiter.limits.client
        await self._admit(f"client|{self.client}", policy, "Too many requests from this client")

    async def admit_operation(self, operation_key: str) -> None:
        """`PolicyError` (429) when this client has sent the operation too often."""
        policy = self.limiter.limits.operation
        key = f"op:{operation_key}|{self.client}"
        await self._admit(key, policy, "Too many requests for this operation from this client")

    async def _admit(self, key: str, policy: RateLimitPolicy | None, refusal: str) -> None:
        if policy is None:
            return
        decision = await self.limiter.decide(key, policy)
        if not decision.allowed:
            self.headers = decision.headers()
            raise rate_limited(decision, refusal)
        if self._remaining is None or decision.remaining <= self._remaining:
            self._remaining = decision.remaining
            self.headers = decision.headers()


def rate_limiter(settings: GatewaySettings) -> RateLimiter | None:
    """The limiter `settings` ask for (None when every limit is 0); shared through Redis when
    `REDIS_ENABLED=true`, else local to this process."""
    limits = rate_limits(settings)
    if limits == RateLimits():
        show_backend(BACKEND, "off")
        REDIS_CONFIGURED.set(0)
        return None
    redis = None
    if settings.redis_enabled:
        client = gateway_redis_client(settings, timeout=settings.rate_limit_redis_timeout)
        redis = RedisRateLimit(client, prefix=settings.rate_limit_prefix)
    return RateLimiter(limits, redis=redis, retry_interval=settings.rate_limit_redis_retry)


def rate_limits(settings: GatewaySettings) -> RateLimits:
    """The policies of `GATEWAY_RATE_*`, `GATEWAY_CLIENT_RATE_*` and `GATEWAY_TOKEN_RATE_*`;
    the client's default to three times the operation's."""
    operation = client = token = None
    if settings.rate_limit > 0:
        burst = settings.rate_burst or max(1, round(2 * settings.rate_limit))
        operation = RateLimitPolicy(settings.rate_limit, burst)
    client_rate = settings.client_rate_limit
    if client_rate is None and operation is not None:
        client_rate = 3 * operation.rate
    if client_rate:
        default_burst = 3 * operation.burst if operation else max(1, round(2 * client_rate))
        client = RateLimitPolicy(client_rate, settings.client_rate_burst or default_burst)
    if settings.token_rate_limit > 0:
        token = RateLimitPolicy(settings.token_rate_limit, settings.token_rate_burst)
    return RateLimits(operation, client, token)


def rate_limited(decision: RateLimitDecision, what: str) -> PolicyError:
    """The 429 of a refused request: what happened and when to come back, `Retry-After` and
    `RateLimit-*`."""
    return PolicyError(
        429,
        RATE_LIMITED,
        f"{what}; retry after {decision.retry_after} second(s).",
        headers=decision.headers(),
    )


def _counted(backend: Backend, decision: RateLimitDecision) -> RateLimitDecision:
    if not decision.allowed:
        LIMITED.inc()
    DECISIONS.labels(backend, "allowed" if decision.allowed else "limited").inc()
    return decision
