"""In-flight de-duplication: identical concurrent queries to a subgraph share one request.

Identical means same subgraph, same body and same forwarded headers (so one user's answer is never
given to another). Mutations are never shared: each must run.
"""

from __future__ import annotations

import asyncio

from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse

_Key = tuple[str, str, tuple[tuple[str, str], ...]]


class DeduplicatingClient:
    """A `SubgraphClient` that joins a request to an identical one already in flight."""

    def __init__(self, inner: SubgraphClient) -> None:
        self.inner = inner
        self._in_flight: dict[_Key, asyncio.Task[SubgraphResponse]] = {}

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """Send the request, or wait for the identical one in flight."""
        if request.is_mutation:
            return await self.inner.execute(request)
        key = request.identity()
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(self.inner.execute(request))
            self._in_flight[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        # Shielded: one caller giving up (client disconnect) must not cancel the others' answer.
        return await asyncio.shield(task)

    def _forget(self, key: _Key, task: asyncio.Task[SubgraphResponse]) -> None:
        if self._in_flight.get(key) is task:
            del self._in_flight[key]
        if not task.cancelled():
            task.exception()  # mark retrieved: waiters that left must not cause a warning
