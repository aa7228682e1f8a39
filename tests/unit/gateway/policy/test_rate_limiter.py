"""The limiter's switch to local limits when Redis fails, and back, with an injected clock."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.policy.rate_limit import LocalRateLimit, RateLimitDecision, RateLimitPolicy
from gateway.policy.rate_limiter import RateLimiter

POLICY = RateLimitPolicy(rate=1, burst=2)


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


class FlakyRedis:
    """Stands in for `RedisRateLimit`: decides in memory, or fails while `down`."""

    def __init__(self, clock: Clock) -> None:
        self.down = False
        self.calls = 0
        self._limit = LocalRateLimit(POLICY, clock=clock)

    async def decide(self, key: str) -> RateLimitDecision:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("connection refused")
        return self._limit.decide(key)

    async def aclose(self) -> None:
        pass


async def test_falls_back_to_local_limits_and_recovers(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    redis = FlakyRedis(clock)
    limiter = RateLimiter(POLICY, redis=redis, retry_interval=5, clock=clock)  # type: ignore[arg-type]
    assert limiter.health()["backend"] == "redis"
    assert (await limiter.decide("k")).allowed

    redis.down = True
    with caplog.at_level(logging.INFO, logger="gateway.policy.rate_limiter"):
        decisions = [await limiter.decide("k") for _ in range(4)]
        assert [d.allowed for d in decisions] == [True, True, False, False]  # local bucket
        assert redis.calls == 2  # one failed call, then no Redis until the retry time
        health = limiter.health()
        assert health["backend"] == "local"
        assert "connection refused" in health["lastError"]

        clock.now += 5  # time to try again; still down: one more call, still local
        assert (await limiter.decide("other")).allowed
        assert redis.calls == 3
        assert limiter.backend == "local"

        redis.down = False
        clock.now += 5
        assert (await limiter.decide("k")).allowed
        assert limiter.health() == {"backend": "redis", "rate": 1, "burst": 2}

    switches = [
        r.message for r in caplog.records if getattr(r, "event", "") == "rate_limit_backend"
    ]
    assert len(switches) == 2  # once down, once back


async def test_without_redis_limits_are_local() -> None:
    limiter = RateLimiter(POLICY, clock=Clock())
    assert limiter.backend == "local"
    client = limiter.for_request("10.0.0.1")
    assert client.client == "addr:10.0.0.1"
    assert limiter.for_request("10.0.0.1", "user:7").client == "sub:user:7"
    assert (await client.check("Me", "query Me { me { id } }")).allowed
    assert client.headers["RateLimit-Remaining"] == "1"
    assert (await client.check(None, "{ a }")).allowed  # another operation, another bucket
    assert (await client.check("Me", "query Me { me { id } }")).allowed
    refused = await client.check("Me", "query Me { me { id } }")
    assert not refused.allowed
    assert client.headers["Retry-After"] == "1"
