"""The limiter's switch to local limits when Redis fails, and back, with an injected clock."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.policy.errors import PolicyError
from gateway.policy.rate_limit import LocalRateLimit, RateLimitDecision, RateLimitPolicy
from gateway.policy.rate_limiter import RateLimiter, RateLimits

POLICY = RateLimitPolicy(rate=1, burst=2)
LIMITS = RateLimits(operation=POLICY)


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
        self._limit = LocalRateLimit(clock=clock)

    async def decide(self, key: str, policy: RateLimitPolicy) -> RateLimitDecision:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("connection refused")
        return self._limit.decide(key, policy)

    async def aclose(self) -> None:
        pass


async def test_falls_back_to_local_limits_and_recovers(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    redis = FlakyRedis(clock)
    limiter = RateLimiter(LIMITS, redis=redis, retry_interval=5, clock=clock)  # type: ignore[arg-type]
    assert limiter.health()["backend"] == "redis"
    assert (await limiter.decide("k", POLICY)).allowed

    redis.down = True
    with caplog.at_level(logging.INFO, logger="gateway.policy.rate_limiter"):
        decisions = [await limiter.decide("k", POLICY) for _ in range(4)]
        assert [d.allowed for d in decisions] == [True, True, False, False]  # local bucket
        assert redis.calls == 2  # one failed call, then no Redis until the retry time
        health = limiter.health()
        assert health["backend"] == "local"
        assert "connection refused" in health["lastError"]

        clock.now += 5  # time to try again; still down: one more call, still local
        assert (await limiter.decide("other", POLICY)).allowed
        assert redis.calls == 3
        assert limiter.backend == "local"

        redis.down = False
        clock.now += 5
        assert (await limiter.decide("k", POLICY)).allowed
        assert limiter.health() == {"backend": "redis", "rate": 1, "burst": 2}

    switches = [
        r.message for r in caplog.records if getattr(r, "event", "") == "rate_limit_backend"
    ]
    assert len(switches) == 2  # once down, once back


async def test_without_redis_limits_are_local() -> None:
    limiter = RateLimiter(LIMITS, clock=Clock())
    assert limiter.backend == "local"
    client = limiter.for_request("10.0.0.1")
    assert client is not None and client.client == "addr:10.0.0.1"
    other = limiter.for_request("10.0.0.1", "user:7")
    assert other is not None and other.client == "sub:user:7"
    await client.admit_operation("me")
    assert client.headers["RateLimit-Remaining"] == "1"
    await client.admit_operation("a")  # another operation, another bucket
    await client.admit_operation("me")
    with pytest.raises(PolicyError) as refused:
        await client.admit_operation("me")
    assert (refused.value.status, refused.value.code) == (429, "RATE_LIMITED")
    assert refused.value.headers["Retry-After"] == "1"
    assert client.headers["Retry-After"] == "1"


async def test_the_client_bucket_holds_every_operation_of_a_client() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(operation=POLICY, client=POLICY), clock=clock)
    client = limiter.for_request("10.0.0.1")
    assert client is not None
    await client.admit_client()
    await client.admit_client()
    with pytest.raises(PolicyError, match="from this client"):
        await client.admit_client()
    stranger = limiter.for_request("10.0.0.2")
    assert stranger is not None
    await stranger.admit_client()  # another client, another bucket


async def test_token_requests_are_throttled_per_client_id_and_address() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(token=RateLimitPolicy(rate=0.1, burst=2)), clock=clock)
    assert limiter.for_request("10.0.0.1") is None  # no /graphql limits configured
    for _ in range(2):
        await limiter.check_token_request("admin", "10.0.0.1")
    with pytest.raises(PolicyError) as refused:
        await limiter.check_token_request("admin", "10.0.0.1")
    assert refused.value.headers["Retry-After"] == "10"
    # the same client id elsewhere, another client id here: not held up
    await limiter.check_token_request("admin", "10.0.0.2")
    await limiter.check_token_request("reporting", "10.0.0.1")
    clock.now += 10
    await limiter.check_token_request("admin", "10.0.0.1")
    assert limiter.health() == {"backend": "local", "tokenRate": 0.1, "tokenBurst": 2}
