"""An in-memory `SubgraphClient` for tests: a handler function answers every request.

Like httpx's `MockTransport`: no socket is opened, and every request is recorded in `requests`.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from gateway.transport.protocol import SubgraphRequest, SubgraphResponse

Handler = Callable[[SubgraphRequest], SubgraphResponse | Awaitable[SubgraphResponse]]


class MockSubgraphClient:
    """Answers each request with `handler(request)` (sync or async); the handler may raise
    `SubgraphUnavailable` to play a failing subgraph."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[SubgraphRequest] = []

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """Record the request and return the handler's response."""
        self.requests.append(request)
        result = self.handler(request)
        if inspect.isawaitable(result):
            return await result
        return result
