"""A small least-recently-used cache for parsed documents, validation results and plans.

A cache named after its pipeline step (`parse`, `validate`, `plan`, ...) counts its lookups in
`gateway_cache_lookups_total{cache, result}` and, while tracing is on, records each lookup as a
span of that name (computed or not: `gateway.cache_hit`), so the request's trace shows every step.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from prometheus_client import Counter

from common import tracing

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

CACHE_LOOKUPS = Counter(
    "gateway_cache_lookups_total",
    "Lookups in the parse, validation, limits, normalisation, authorization and plan caches",
    ["cache", "result"],
)


class LruCache(Generic[K, V]):
    """Keeps the `capacity` most recently used entries; counts hits and misses."""

    def __init__(self, capacity: int = 1000, step: str | None = None) -> None:
        if capacity < 1:
            raise ValueError("an LRU cache needs a capacity of at least 1")
        self.capacity = capacity
        #: the pipeline step the cache serves: its metric label and span name
        self.step = step
        self.hits = 0
        #: how many times a value was computed (a miss that raised is counted too)
        self.misses = 0
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._counted = (
            (CACHE_LOOKUPS.labels(step, "hit"), CACHE_LOOKUPS.labels(step, "miss"))
            if step is not None
            else None
        )

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value, or `compute()` stored (exceptions are not cached)."""
        if key in self._entries:
            return self._traced_hit(key)
        if self.step is None or not tracing.enabled():
            self._miss()
            return self._store(key, compute())
        with tracing.span(self.step) as step_span:
            if step_span is not None:
                step_span.set_attribute("gateway.cache_hit", False)
            self._miss()
            return self._store(key, compute())

    async def get_or_compute_async(self, key: K, compute: Callable[[], Awaitable[V]]) -> V:
        """The cached value, or `await compute()` stored (exceptions are not cached)."""
        if key in self._entries:
            return self._traced_hit(key)
        if self.step is None or not tracing.enabled():
            self._miss()
            return self._store(key, await compute())
        with tracing.span(self.step) as step_span:
            if step_span is not None:
                step_span.set_attribute("gateway.cache_hit", False)
            self._miss()
            return self._store(key, await compute())

    def _traced_hit(self, key: K) -> V:
        if self.step is None or not tracing.enabled():
            return self._hit(key)
        with tracing.span(self.step) as step_span:
            if step_span is not None:
                step_span.set_attribute("gateway.cache_hit", True)
            return self._hit(key)

    def _hit(self, key: K) -> V:
        self.hits += 1
        if self._counted is not None:
            self._counted[0].inc()
        self._entries.move_to_end(key)
        return self._entries[key]

    def _miss(self) -> None:
        """Counts a miss before its value is computed (so one that raises counts too)."""
        self.misses += 1
        if self._counted is not None:
            self._counted[1].inc()

    def _store(self, key: K, value: V) -> V:
        self._entries[key] = value
        if len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return value
