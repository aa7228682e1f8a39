"""A small least-recently-used cache for parsed documents, validation results and plans."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """Keeps the `capacity` most recently used entries; counts hits and misses."""

    def __init__(self, capacity: int = 1000) -> None:
        if capacity < 1:
            raise ValueError("an LRU cache needs a capacity of at least 1")
        self.capacity = capacity
        self.hits = 0
        #: how many times a value was computed (a miss that raised is counted too)
        self.misses = 0
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value, or `compute()` stored (exceptions are not cached)."""
        if key in self._entries:
            return self._hit(key)
        self.misses += 1
        return self._store(key, compute())

    async def get_or_compute_async(self, key: K, compute: Callable[[], Awaitable[V]]) -> V:
        """The cached value, or `await compute()` stored (exceptions are not cached)."""
        if key in self._entries:
            return self._hit(key)
        self.misses += 1
        return self._store(key, await compute())

    def _hit(self, key: K) -> V:
        self.hits += 1
        self._entries.move_to_end(key)
        return self._entries[key]

    def _store(self, key: K, value: V) -> V:
        self._entries[key] = value
        if len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return value
