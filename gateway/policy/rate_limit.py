"""Rate limits by the Generic Cell Rate Algorithm (GCRA), and the in-memory limiter.

GCRA keeps one number per key, the theoretical arrival time (TAT): when the bucket would be
empty again if requests kept arriving at exactly the allowed rate. A request is admitted when
`TAT + interval - tolerance <= now`, with `interval = 1 / rate` and `tolerance = burst * interval`;
admitting it moves the TAT one interval later. `burst` requests may so arrive at once, then one
per interval. The arithmetic is in whole microseconds, the same here and in the Redis script
(`rate_limit_redis`), so the two backends decide alike.

https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

#: the error code of a refused request (HTTP 429)
RATE_LIMITED = "RATE_LIMITED"
MICROSECONDS = 1_000_000
#: keys kept by a local limiter before expired ones are swept
_LOCAL_SWEEP_AT = 10_000


@dataclass(frozen=True)
class RateLimitPolicy:
    """`rate` requests per second on average, `burst` of them at once."""

    rate: float
    burst: int

    @property
    def interval_us(self) -> int:
        """Microseconds between two requests at the allowed rate (at least 1)."""
        return max(1, round(MICROSECONDS / self.rate))

    @property
    def tolerance_us(self) -> int:
        """How far ahead of now the TAT may run: `burst` intervals."""
        return self.burst * self.interval_us


@dataclass(frozen=True)
class RateLimitDecision:
    """The outcome for one request, in microseconds; `headers()` says it in HTTP."""

    allowed: bool
    limit: int
    remaining: int
    #: how long until the next request would be admitted (0 when this one was)
    retry_after_us: int
    #: how long until the whole burst is available again
    reset_us: int

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait before retrying, at least 1 (the `Retry-After` value)."""
        return max(1, math.ceil(self.retry_after_us / MICROSECONDS))

    def headers(self) -> dict[str, str]:
        """`RateLimit-*` headers (IETF draft-ietf-httpapi-ratelimit-headers), `Retry-After` on a
        refusal."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(math.ceil(self.reset_us / MICROSECONDS)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def gcra(
    policy: RateLimitPolicy, tat_us: int | None, now_us: int
) -> tuple[RateLimitDecision, int | None]:
    """Decide one request arriving at `now_us` against the stored TAT (None: never seen);
    the decision and the TAT to store (None: leave it as it is)."""
    interval, tolerance = policy.interval_us, policy.tolerance_us
    tat = now_us if tat_us is None or tat_us < now_us else tat_us
    new_tat = tat + interval
    allow_at = new_tat - tolerance
    if now_us < allow_at:
        return RateLimitDecision(False, policy.burst, 0, allow_at - now_us, tat - now_us), None
    remaining = (now_us - allow_at) // interval
    return RateLimitDecision(True, policy.burst, remaining, 0, new_tat - now_us), new_tat


def client_address(peer: str | None, forwarded_for: str | None, *, trust_forwarded: bool) -> str:
    """Who is asking: the first hop of `X-Forwarded-For` when the proxy in front is trusted to
    set it, else the peer address of the connection."""
    if trust_forwarded and forwarded_for:
        first = forwarded_for.split(",", 1)[0].strip()
        if first:
            return first
    return peer or "unknown"


class LocalRateLimit:
    """GCRA over a dict: limits one process (the fallback while Redis is unreachable). Each call
    names its policy; keys of different policies must differ (the limiter prefixes them)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tats: dict[str, int] = {}

    def decide(self, key: str, policy: RateLimitPolicy) -> RateLimitDecision:
        """Admit or refuse one request under `key`."""
        now = round(self._clock() * MICROSECONDS)
        decision, new_tat = gcra(policy, self._tats.get(key), now)
        if new_tat is not None:
            if len(self._tats) >= _LOCAL_SWEEP_AT and key not in self._tats:
                self._sweep(now)
            self._tats[key] = new_tat
        return decision

    def _sweep(self, now_us: int) -> None:
        """Forget keys whose bucket is full again: they decide as if never seen."""
        self._tats = {key: tat for key, tat in self._tats.items() if tat > now_us}
