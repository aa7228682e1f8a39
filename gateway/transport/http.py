"""The HTTP `SubgraphClient`: one pooled httpx client and one circuit breaker per subgraph.

Keep-alive connections are reused across requests; the request id of the client request is
forwarded as `X-Request-ID` so a subgraph's logs can be joined with ours.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from common.request_id import HEADER as REQUEST_ID_HEADER
from common.request_id import current_request_id
from gateway.transport.breaker import Attempt, BreakerSettings, SubgraphBreaker
from gateway.transport.errors import SubgraphUnavailable
from gateway.transport.protocol import SubgraphRequest, SubgraphResponse


class HttpSubgraphClient:
    """Sends subgraph requests over HTTP (GraphQL over HTTP, JSON POST)."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        connect_timeout: float = 2.0,
        request_timeout: float = 10.0,
        max_connections: int = 100,
        breaker: BreakerSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.urls = dict(urls)
        timeout = httpx.Timeout(request_timeout, connect=connect_timeout)
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        self._clients = {
            name: httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport)
            for name in self.urls
        }
        settings = breaker or BreakerSettings()
        self.breakers = {name: SubgraphBreaker(name, settings, clock) for name in self.urls}

    def breaker_states(self) -> dict[str, str]:
        """Subgraph name -> `closed`, `open` or `half-open`."""
        return {name: breaker.state for name, breaker in self.breakers.items()}

    async def aclose(self) -> None:
        """Close every pooled connection."""
        for client in self._clients.values():
            await client.aclose()

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """POST the request to its subgraph; `SubgraphUnavailable` on any transport failure."""
        name = request.subgraph
        client = self._clients.get(name)
        if client is None:
            raise SubgraphUnavailable(name, "no such subgraph is configured")
        attempt = self.breakers[name].admit()
        try:
            return await self._send(client, request, attempt)
        finally:
            attempt.release()  # a cancelled request gives its half-open trial slot back

    async def _send(
        self, client: httpx.AsyncClient, request: SubgraphRequest, attempt: Attempt
    ) -> SubgraphResponse:
        name = request.subgraph
        headers = {"Accept": "application/json", **request.headers}
        request_id = current_request_id()
        if request_id is not None:
            headers[REQUEST_ID_HEADER] = request_id
        try:
            response = await client.post(self.urls[name], json=request.body(), headers=headers)
        except httpx.TimeoutException:
            raise self._failure(attempt, name, "request timed out") from None
        except httpx.ConnectError as exc:
            raise self._failure(attempt, name, f"cannot connect ({exc})") from None
        except httpx.HTTPError as exc:
            raise self._failure(attempt, name, f"{type(exc).__name__}: {exc}") from None
        if response.status_code >= 500:
            raise self._failure(attempt, name, f"HTTP {response.status_code}")
        body = _json(response)
        if not response.is_success:
            # A 4xx is the subgraph refusing this request, not the subgraph being down; a
            # GraphQL error body (GraphQL over HTTP answers invalid operations so) is kept.
            attempt.succeeded()
            if body is not None and isinstance(body.get("errors"), list):
                return SubgraphResponse(data=None, errors=_errors(body))
            raise SubgraphUnavailable(name, f"HTTP {response.status_code}")
        if body is None or not ("data" in body or "errors" in body):
            raise self._failure(attempt, name, "the response is not a GraphQL JSON response")
        data = body.get("data")
        if data is not None and not isinstance(data, dict):
            raise self._failure(attempt, name, "the response's data is not an object")
        attempt.succeeded()
        return SubgraphResponse(data=data, errors=_errors(body))

    @staticmethod
    def _failure(attempt: Attempt, name: str, reason: str) -> SubgraphUnavailable:
        attempt.failed(reason)
        return SubgraphUnavailable(name, reason)


def _json(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _errors(body: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    errors = body.get("errors")
    if errors is None:
        return ()
    if not isinstance(errors, list):
        return ({"message": "The subgraph returned malformed errors."},)
    return tuple(e if isinstance(e, dict) else {"message": str(e)} for e in errors)
