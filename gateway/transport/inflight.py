"""Calls in flight, shared by key: the first call for a key runs as its own task and the
identical calls made while it runs join it, so there is one run and every caller gets its result
(or its exception). An entry lives only while its call runs; nothing is cached.

Each caller waits shielded: one that gives up (a client disconnect) leaves, the others keep
waiting, and the call finishes for them. The gateway's `/graphql` queries (`gateway.app.coalesce`)
share their work through it. (Subgraph requests, `DeduplicatingClient`, are many more per client
request and mostly not shared: there the first caller sends the request itself, without a task.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Flight(Generic[T]):
    """One call in flight and the callers sharing it."""

    __slots__ = ("anchors", "task", "waiting")

    def __init__(self, task: asyncio.Task[T], anchors: tuple[object, ...]) -> None:
        self.task = task
        #: the objects whose ids are in the key, kept alive while the entry exists
        self.anchors = anchors
        #: callers waiting for the result now
        self.waiting = 0

    async def result(self) -> T:
        """The call's result, once it is done; leaving does not cancel the call."""
        self.waiting += 1
        try:
            # Shielded: one caller giving up (client disconnect) must not cancel the others'.
            return await asyncio.shield(self.task)
        finally:
            self.waiting -= 1


class InFlight(Generic[T]):
    """Runs one call per key among the calls in flight at the same time.

    `on_join` is called each time a call joins one in flight (for a metric)."""

    def __init__(self, on_join: Callable[[], None] | None = None) -> None:
        self._flights: dict[Hashable, Flight[T]] = {}
        self._on_join = on_join

    @property
    def in_flight(self) -> int:
        """Calls running now."""
        return len(self._flights)

    def join(
        self,
        key: Hashable,
        produce: Callable[[], Awaitable[T]],
        anchors: tuple[object, ...] = (),
    ) -> Flight[T]:
        """The call in flight under `key`, or a new one running `produce()`."""
        flight = self._flights.get(key)
        if flight is None:
            task: asyncio.Task[T] = asyncio.ensure_future(produce())
            flight = self._flights[key] = Flight(task, anchors)
            task.add_done_callback(lambda done: self._forget(key, done))
        elif self._on_join is not None:
            self._on_join()
        return flight

    async def run(
        self,
        key: Hashable,
        produce: Callable[[], Awaitable[T]],
        anchors: tuple[object, ...] = (),
    ) -> T:
        """The result of `produce()`, or of the identical call already in flight."""
        return await self.join(key, produce, anchors).result()

    def _forget(self, key: Hashable, task: asyncio.Task[T]) -> None:
        flight = self._flights.get(key)
        if flight is not None and flight.task is task:
            del self._flights[key]
        if not task.cancelled():
            task.exception()  # mark retrieved: callers that left must not cause a warning
