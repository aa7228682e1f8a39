"""Calls in flight, shared by key: the first call for a key runs it, and the identical calls made
while it runs join it, so there is one run and every caller gets its result (or its exception).
An entry lives only while its call runs; nothing is cached.

The first caller runs the call itself, in its own task: a call nobody joins (most of them) costs
no task, no shield and no turns of the loop besides its own. The callers that join wait shielded:
one that gives up (a client disconnect) leaves and the others keep waiting. When the first caller
gives up (cancelled), its run stops with it and the callers waiting for it run the call again (the
first of them runs it, the others join that one). The gateway's `/graphql` queries
(`gateway.app.coalesce`) share their work through it; subgraph requests (`DeduplicatingClient`)
are shared the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Abandoned(Exception):
    """The caller running a call gave up before it ended: whoever waits runs it again."""


class Flight(Generic[T]):
    """One call in flight and the callers waiting for it."""

    __slots__ = ("anchors", "outcome", "waiting")

    def __init__(self, anchors: tuple[object, ...]) -> None:
        #: the objects whose ids are in the key, kept alive while the entry exists
        self.anchors = anchors
        #: the call's outcome, made by the first caller to wait (most calls have none)
        self.outcome: asyncio.Future[T] | None = None
        #: callers waiting for the result now
        self.waiting = 0


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

    async def run(
        self,
        key: Hashable,
        produce: Callable[[], Awaitable[T]],
        anchors: tuple[object, ...] = (),
    ) -> T:
        """The result of `produce()`, or of the identical call already in flight."""
        flights = self._flights
        while True:
            flight = flights.get(key)
            if flight is None:
                break
            if self._on_join is not None:
                self._on_join()
            outcome = flight.outcome
            if outcome is None:
                outcome = flight.outcome = asyncio.get_running_loop().create_future()
            flight.waiting += 1
            try:
                # Shielded: one caller giving up must not cancel the outcome the others wait for.
                return await asyncio.shield(outcome)
            except _Abandoned:
                continue  # the caller running it gave up: run it here (or join another run)
            finally:
                flight.waiting -= 1
        flight = flights[key] = Flight(anchors)
        try:
            result = await produce()
        except BaseException as exc:
            del flights[key]
            if flight.outcome is not None and flight.waiting:
                cancelled = isinstance(exc, asyncio.CancelledError)
                flight.outcome.set_exception(_Abandoned() if cancelled else exc)
            raise
        del flights[key]
        if flight.outcome is not None and flight.waiting:
            flight.outcome.set_result(result)
        return result
