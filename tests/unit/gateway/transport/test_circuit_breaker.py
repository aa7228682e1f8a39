"""The async-friendly circuit breaker on pybreaker, on a fake clock."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from gateway.transport import BreakerSettings, SubgraphBreaker, SubgraphUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def gauge(subgraph: str) -> float | None:
    return REGISTRY.get_sample_value("gateway_circuit_breaker_state", {"subgraph": subgraph})


def fail(breaker: SubgraphBreaker, times: int) -> None:
    for _ in range(times):
        breaker.admit().failed("boom")


def test_opens_after_max_requests_consecutive_failures_and_rejects() -> None:
    clock = FakeClock()
    breaker = SubgraphBreaker("b-open", BreakerSettings(3, 60, 30), clock)
    fail(breaker, 2)
    assert breaker.state == "closed"
    fail(breaker, 1)
    assert breaker.state == "open"
    assert gauge("b-open") == 2
    with pytest.raises(
        SubgraphUnavailable, match='"b-open" is unavailable: circuit breaker is open'
    ):
        breaker.admit()


def test_a_success_resets_the_failure_count() -> None:
    breaker = SubgraphBreaker("b-reset", BreakerSettings(3, 60, 30), FakeClock())
    fail(breaker, 2)
    breaker.admit().succeeded()
    fail(breaker, 2)
    assert breaker.state == "closed"


def test_failures_count_within_one_interval_only() -> None:
    clock = FakeClock()
    breaker = SubgraphBreaker("b-interval", BreakerSettings(3, 60, 30), clock)
    fail(breaker, 2)
    clock.now += 61
    fail(breaker, 2)
    assert breaker.state == "closed"


def test_half_open_after_timeout_limits_trials_and_closes_after_successes() -> None:
    clock = FakeClock()
    breaker = SubgraphBreaker("b-half", BreakerSettings(2, 60, 30), clock)
    fail(breaker, 2)
    clock.now += 29
    assert breaker.state == "open"
    clock.now += 1
    assert breaker.state == "half-open"
    assert gauge("b-half") == 1
    first, second = breaker.admit(), breaker.admit()
    with pytest.raises(SubgraphUnavailable, match="trial requests are busy"):
        breaker.admit()
    first.succeeded()
    assert breaker.state == "half-open"
    second.succeeded()
    assert breaker.state == "closed"
    assert gauge("b-half") == 0


def test_a_failed_trial_opens_the_circuit_again() -> None:
    clock = FakeClock()
    breaker = SubgraphBreaker("b-trial", BreakerSettings(3, 60, 30), clock)
    fail(breaker, 3)
    clock.now += 30
    breaker.admit().failed("still down")
    assert breaker.state == "open"
    clock.now += 29
    assert breaker.state == "open"


def test_a_released_attempt_gives_its_trial_slot_back() -> None:
    clock = FakeClock()
    breaker = SubgraphBreaker("b-release", BreakerSettings(1, 60, 30), clock)
    fail(breaker, 1)
    clock.now += 30
    attempt = breaker.admit()
    attempt.release()
    breaker.admit().succeeded()
    assert breaker.state == "closed"
