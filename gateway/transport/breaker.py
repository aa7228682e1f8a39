"""A circuit breaker per subgraph, on pybreaker, usable from async code.

pybreaker guards synchronous calls only (its decorator would "succeed" as soon as a coroutine is
created, and `call_async` needs tornado). So the request is awaited outside pybreaker and the
outcome is recorded through `CircuitBreaker.call` with a function that returns or re-raises:
pybreaker keeps the counting and the state transitions. Timing is ours, on an injectable
monotonic clock, so that tests need no sleeping:

- closed: `max_requests` consecutive failures open it; counts reset every `interval` seconds;
- open: requests fail at once; after `timeout` seconds it turns half-open;
- half-open: at most `max_requests` trial requests at a time; that many successes close it,
  one failure opens it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pybreaker
from prometheus_client import Gauge

from gateway.transport.errors import SubgraphUnavailable

STATE_CLOSED = pybreaker.STATE_CLOSED
STATE_OPEN = pybreaker.STATE_OPEN
STATE_HALF_OPEN = pybreaker.STATE_HALF_OPEN

CIRCUIT_BREAKER_STATE = Gauge(
    "gateway_circuit_breaker_state",
    "Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open",
    ["subgraph"],
)
_GAUGE_VALUES = {STATE_CLOSED: 0, STATE_HALF_OPEN: 1, STATE_OPEN: 2}


@dataclass(frozen=True)
class BreakerSettings:
    """`CIRCUIT_BREAKER_MAX_REQUESTS`, `_INTERVAL` and `_TIMEOUT` (seconds)."""

    max_requests: int = 3
    interval: float = 60.0
    timeout: float = 30.0


class _Outcome(Exception):
    """Carries a failure into `pybreaker.CircuitBreaker.call`."""


def _succeed() -> None:
    return None


def _fail(reason: str) -> None:
    raise _Outcome(reason)


class Attempt:
    """One admitted request; report how it went with `succeeded()` or `failed()`."""

    __slots__ = ("_breaker", "_done", "_trial")

    def __init__(self, breaker: SubgraphBreaker, trial: bool) -> None:
        self._breaker = breaker
        self._trial = trial
        self._done = False

    def succeeded(self) -> None:
        """The subgraph answered usefully."""
        self._finish(ok=True, reason="")

    def failed(self, reason: str) -> None:
        """The subgraph failed (timeout, refused, 5xx, bad body)."""
        self._finish(ok=False, reason=reason)

    def release(self) -> None:
        """Give the trial slot back without an outcome (the caller was cancelled)."""
        if not self._done:
            self._done = True
            self._breaker._release(self._trial)

    def _finish(self, *, ok: bool, reason: str) -> None:
        if self._done:
            return
        self._done = True
        self._breaker._release(self._trial)
        self._breaker._record(ok=ok, reason=reason)


class SubgraphBreaker:
    """The circuit breaker of one subgraph."""

    def __init__(
        self,
        subgraph: str,
        settings: BreakerSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.subgraph = subgraph
        self.settings = settings
        self._clock = clock
        self._opened_at = 0.0
        self._window_start = clock()
        self._trials = 0
        self._storage = pybreaker.CircuitMemoryStorage(STATE_CLOSED)
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=settings.max_requests,
            reset_timeout=settings.timeout,
            success_threshold=settings.max_requests,
            name=subgraph,
            state_storage=self._storage,
            listeners=[_StateListener(self)],
        )
        CIRCUIT_BREAKER_STATE.labels(subgraph).set(0)

    @property
    def state(self) -> str:
        """`closed`, `open` or `half-open`, after applying elapsed timeouts."""
        self._refresh()
        return str(self._breaker.current_state)

    def admit(self) -> Attempt:
        """Let a request through, or raise `SubgraphUnavailable` when the circuit is open."""
        self._refresh()
        state = self._storage.state
        if state == STATE_OPEN:
            raise SubgraphUnavailable(self.subgraph, "circuit breaker is open")
        trial = state == STATE_HALF_OPEN
        if trial:
            if self._trials >= self.settings.max_requests:
                raise SubgraphUnavailable(
                    self.subgraph, "circuit breaker is half-open and its trial requests are busy"
                )
            self._trials += 1
        return Attempt(self, trial)

    def _refresh(self) -> None:
        now = self._clock()
        state = self._breaker.current_state
        if state == STATE_OPEN and now - self._opened_at >= self.settings.timeout:
            self._breaker.half_open()
        elif state == STATE_CLOSED and now - self._window_start >= self.settings.interval:
            # Failures count within one interval only: old ones must not open the circuit.
            self._storage.reset_counter()
            self._window_start = now

    def _release(self, trial: bool) -> None:
        if trial and self._trials > 0:
            self._trials -= 1

    def _record(self, *, ok: bool, reason: str) -> None:
        state = self._storage.state
        if state == STATE_OPEN:
            return  # a late answer from before the circuit opened changes nothing
        if ok and state == STATE_CLOSED and self._storage.counter == 0:
            # What pybreaker would do (set the failure count to zero; our listener hears only
            # state changes) is done already: the common case costs no call through it.
            return
        try:
            if ok:
                self._breaker.call(_succeed)
            else:
                self._breaker.call(_fail, reason)
        except (_Outcome, pybreaker.CircuitBreakerError):
            pass  # the failure is recorded; the caller reports it

    def _on_state_change(self, new_state: str) -> None:
        now = self._clock()
        if new_state == STATE_OPEN:
            self._opened_at = now
        elif new_state == STATE_CLOSED:
            self._window_start = now
        if new_state != STATE_HALF_OPEN:
            self._trials = 0
        CIRCUIT_BREAKER_STATE.labels(self.subgraph).set(_GAUGE_VALUES[new_state])


class _StateListener(pybreaker.CircuitBreakerListener):
    def __init__(self, owner: SubgraphBreaker) -> None:
        self.owner = owner

    def state_change(
        self,
        cb: pybreaker.CircuitBreaker,
        old_state: pybreaker.CircuitBreakerState | None,
        new_state: pybreaker.CircuitBreakerState,
    ) -> None:
        self.owner._on_state_change(new_state.name)
