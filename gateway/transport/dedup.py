"""In-flight de-duplication: identical concurrent queries to a subgraph share one request.

Identical means same subgraph, same body and same forwarded headers (so one user's answer is never
given to another). Mutations are never shared: each must run. Of the callers sharing an owned
response, the last one to take it gets it as owned; the others get it marked shared, so that they
copy it before changing it.
"""

from __future__ import annotations

import asyncio
import dataclasses

from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse

_Key = tuple[str, str, tuple[tuple[str, str], ...]]


class _InFlight:
    """One request in flight and the callers waiting for it."""

    __slots__ = ("given", "task", "waiting")

    def __init__(self, task: asyncio.Task[SubgraphResponse]) -> None:
        self.task = task
        self.waiting = 0
        #: whether the owned response has been given to a caller already
        self.given = False


class DeduplicatingClient:
    """A `SubgraphClient` that joins a request to an identical one already in flight."""

    def __init__(self, inner: SubgraphClient) -> None:
        self.inner = inner
        self._in_flight: dict[_Key, _InFlight] = {}

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """Send the request, or wait for the identical one in flight."""
        if request.is_mutation:
            return await self.inner.execute(request)
        key = request.identity()
        entry = self._in_flight.get(key)
        if entry is None:
            task = asyncio.ensure_future(self.inner.execute(request))
            entry = self._in_flight[key] = _InFlight(task)
            task.add_done_callback(lambda done: self._forget(key, done))
        entry.waiting += 1
        try:
            # Shielded: one caller giving up (client disconnect) must not cancel the others'.
            response = await asyncio.shield(entry.task)
        finally:
            entry.waiting -= 1
        if not response.owned:
            return response
        if entry.waiting == 0 and not entry.given:
            entry.given = True
            return response
        return dataclasses.replace(response, owned=False)

    def _forget(self, key: _Key, task: asyncio.Task[SubgraphResponse]) -> None:
        entry = self._in_flight.get(key)
        if entry is not None and entry.task is task:
            del self._in_flight[key]
        if not task.cancelled():
            task.exception()  # mark retrieved: waiters that left must not cause a warning
