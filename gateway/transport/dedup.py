"""In-flight de-duplication: identical concurrent queries to a subgraph share one request.

Identical means same subgraph, same body and same forwarded headers (so one user's answer is never
given to another). Mutations are never shared: each must run. Of the callers sharing an owned
response, the last one to take it gets it as owned; the others get it marked shared, so that they
copy it before changing it.
"""

from __future__ import annotations

import dataclasses

from gateway.transport.inflight import InFlight
from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse


class DeduplicatingClient:
    """A `SubgraphClient` that joins a request to an identical one already in flight."""

    def __init__(self, inner: SubgraphClient) -> None:
        self.inner = inner
        self._in_flight: InFlight[SubgraphResponse] = InFlight()

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """Send the request, or wait for the identical one in flight."""
        if request.is_mutation:
            return await self.inner.execute(request)
        flight = self._in_flight.join(request.identity(), lambda: self.inner.execute(request))
        response = await flight.result()
        if not response.owned:
            return response
        if flight.waiting == 0 and not flight.given:
            flight.given = True
            return response
        return dataclasses.replace(response, owned=False)
