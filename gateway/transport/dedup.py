"""In-flight de-duplication: identical concurrent queries to a subgraph share one request.

Identical means same subgraph, same body and same forwarded headers (so one user's answer is never
given to another). Mutations are never shared: each must run. Of the callers sharing an owned
response, the last waiter to take it gets it as owned; the others (the sender among them) get it
marked shared, so that they copy it before changing it. The first caller sends the request
itself, so a request nobody joins costs no task; when that caller gives up (cancelled), the
callers waiting for it send it again.
"""

from __future__ import annotations

import asyncio
import dataclasses

from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse

_Key = tuple[str, bytes, tuple[tuple[str, str], ...]]


class _InFlight:
    """One request in flight, sent by the caller that came first (it awaits the request
    itself: no task of its own), and the callers waiting for its outcome."""

    __slots__ = ("given", "outcome", "waiting")

    def __init__(self) -> None:
        #: made by the first caller to wait (most requests have none): the response, or None
        #: when the sender was cancelled
        self.outcome: asyncio.Future[SubgraphResponse | None] | None = None
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
        in_flight = self._in_flight
        while True:
            entry = in_flight.get(key)
            if entry is None:
                break
            outcome = entry.outcome
            if outcome is None:
                outcome = entry.outcome = asyncio.get_running_loop().create_future()
            entry.waiting += 1
            try:
                # Shielded: one waiter giving up (client disconnect) must not cancel the
                # outcome the others wait for.
                response = await asyncio.shield(outcome)
            finally:
                entry.waiting -= 1
            if response is None:
                continue  # the caller that sent it gave up: send it again (or join another)
            if not response.owned:
                return response
            if entry.waiting == 0 and not entry.given:
                entry.given = True
                return response
            return dataclasses.replace(response, owned=False)
        # The first caller sends it here, in its own task (no frame of a helper per fetch).
        entry = in_flight[key] = _InFlight()
        try:
            response = await self.inner.execute(request)
        except BaseException as exc:
            del in_flight[key]
            if entry.outcome is not None and entry.waiting:
                if isinstance(exc, asyncio.CancelledError):
                    entry.outcome.set_result(None)
                else:
                    entry.outcome.set_exception(exc)
            raise
        del in_flight[key]
        if entry.outcome is None or not entry.waiting:
            return response
        entry.outcome.set_result(response)
        if response.owned:  # the last waiter to take it will own it
            return dataclasses.replace(response, owned=False)
        return response
