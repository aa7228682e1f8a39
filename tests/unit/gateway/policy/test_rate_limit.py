"""GCRA arithmetic with an injected clock: bursts, refusals, Retry-After, refill."""

from __future__ import annotations

import pytest

from gateway.policy.rate_limit import (
    LocalRateLimit,
    RateLimitDecision,
    RateLimitPolicy,
    client_address,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_burst_is_admitted_and_the_next_request_refused(clock: Clock) -> None:
    policy = RateLimitPolicy(rate=1, burst=5)
    limiter = LocalRateLimit(clock=clock)
    admitted = [limiter.decide("client", policy) for _ in range(5)]
    assert all(d.allowed for d in admitted)
    assert [d.remaining for d in admitted] == [4, 3, 2, 1, 0]
    refused = limiter.decide("client", policy)
    assert not refused.allowed
    assert refused.remaining == 0
    assert refused.retry_after_us == 1_000_000
    assert refused.headers() == {
        "RateLimit-Limit": "5",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": "5",
        "Retry-After": "1",
    }


def test_a_refusal_does_not_use_up_capacity(clock: Clock) -> None:
    policy = RateLimitPolicy(rate=1, burst=2)
    limiter = LocalRateLimit(clock=clock)
    limiter.decide("k", policy)
    limiter.decide("k", policy)
    for _ in range(10):
        assert not limiter.decide("k", policy).allowed
    clock.now += 1
    assert limiter.decide("k", policy).allowed


def test_the_bucket_refills_at_the_rate(clock: Clock) -> None:
    policy = RateLimitPolicy(rate=10, burst=3)
    limiter = LocalRateLimit(clock=clock)
    for _ in range(3):
        assert limiter.decide("k", policy).allowed
    assert not limiter.decide("k", policy).allowed
    clock.now += 0.05  # half an interval: not yet
    refused = limiter.decide("k", policy)
    assert not refused.allowed
    assert refused.retry_after_us == 50_000
    assert refused.retry_after == 1  # Retry-After is whole seconds, at least 1
    clock.now += 0.05
    assert limiter.decide("k", policy).allowed
    assert not limiter.decide("k", policy).allowed
    clock.now += 10  # long idle: the whole burst again, not more
    assert [limiter.decide("k", policy).allowed for _ in range(4)] == [True, True, True, False]


def test_slow_rates_give_long_retry_after(clock: Clock) -> None:
    policy = RateLimitPolicy(rate=0.1, burst=1)
    limiter = LocalRateLimit(clock=clock)
    assert limiter.decide("k", policy).allowed
    refused = limiter.decide("k", policy)
    assert refused.retry_after == 10
    clock.now += 7.5
    assert limiter.decide("k", policy).retry_after == 3  # 2.5 s rounded up


def test_keys_are_independent(clock: Clock) -> None:
    policy = RateLimitPolicy(rate=1, burst=1)
    limiter = LocalRateLimit(clock=clock)
    assert limiter.decide("a", policy).allowed
    assert not limiter.decide("a", policy).allowed
    assert limiter.decide("b", policy).allowed


def test_admitted_headers_have_no_retry_after() -> None:
    decision = RateLimitDecision(True, 10, 9, 0, 100_000)
    assert decision.headers() == {
        "RateLimit-Limit": "10",
        "RateLimit-Remaining": "9",
        "RateLimit-Reset": "1",
    }


@pytest.mark.parametrize(
    ("peer", "forwarded", "trust", "expected"),
    [
        ("10.0.0.1", "203.0.113.7, 10.0.0.2", True, "203.0.113.7"),
        ("10.0.0.1", "203.0.113.7, 10.0.0.2", False, "10.0.0.1"),
        ("10.0.0.1", None, True, "10.0.0.1"),
        ("10.0.0.1", " , x", True, "10.0.0.1"),
        (None, None, False, "unknown"),
    ],
)
def test_client_address(
    peer: str | None, forwarded: str | None, trust: bool, expected: str
) -> None:
    assert client_address(peer, forwarded, trust_forwarded=trust) == expected
