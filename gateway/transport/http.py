"""The HTTP `SubgraphClient`: one pooled httpx client and one circuit breaker per subgraph.

Keep-alive connections are reused across requests; the request id of the client request is
forwarded as `X-Request-ID` so a subgraph's logs can be joined with ours, and the trace context
as `traceparent` while tracing is on (`observe.fetch_span`); `observe.measured` measures each
request.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import orjson

from common import tracing
from common.request_id import HEADER as REQUEST_ID_HEADER
from common.request_id import current_request_id
from gateway.transport.breaker import Attempt, BreakerSettings, SubgraphBreaker
from gateway.transport.connections import (
    RETRY_STALE,
    KeepAliveTransport,
    header_lines,
    origin_of,
    post_head,
    post_message,
)
from gateway.transport.errors import SubgraphUnavailable
from gateway.transport.observe import fetch_series, fetch_span, measured
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
        self._timeouts = timeout.as_dict()
        self._routes: dict[str, _Route] = {}
        self.is_closed = False
        for name, url in self.urls.items():
            sender: httpx.AsyncBaseTransport | httpx.AsyncClient
            sender = transport or KeepAliveTransport(max_connections)
            if transport is None and _proxied(url):
                # Only an `httpx.AsyncClient` applies the environment's proxy settings.
                limits = httpx.Limits(max_connections=max_connections)
                sender = httpx.AsyncClient(timeout=timeout, limits=limits)
            self._routes[name] = _Route(name, httpx.URL(url), sender)
        settings = breaker or BreakerSettings()
        self.breakers = {name: SubgraphBreaker(name, settings, clock) for name in self.urls}

    def breaker_states(self) -> dict[str, str]:
        """Subgraph name -> `closed`, `open` or `half-open`."""
        return {name: breaker.state for name, breaker in self.breakers.items()}

    async def aclose(self) -> None:
        """Close every pooled connection."""
        self.is_closed = True
        for route in self._routes.values():
            await route.sender.aclose()

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """POST the request to its subgraph; `SubgraphUnavailable` on any transport failure."""
        name = request.subgraph
        route = self._routes.get(name)
        if route is None:
            raise SubgraphUnavailable(name, "no such subgraph is configured")
        if route.direct is None or tracing.enabled() or not _RESERVED.isdisjoint(request.headers):
            headers = {**_HEADERS, **request.headers}
            with fetch_span(request, headers) as span:
                return await measured(route.series, self._send(route, request, headers), span)
        # The common case: no span to record, the message is the route's head (encoded once)
        # and the request's headers.
        return await measured(route.series, self._send(route, request, None))

    async def _send(
        self, route: _Route, request: SubgraphRequest, headers: dict[str, str] | None
    ) -> SubgraphResponse:
        """Send through the breaker: `headers` are the whole set (None: the route's own and the
        request's, written from what was encoded once)."""
        name = request.subgraph
        attempt = self.breakers[name].admit()
        try:
            request_id = current_request_id()
            content = request.json_body()
            # A mutation is never sent twice: the server may have applied it already.
            retry_stale = not request.is_mutation
            try:
                if headers is None:
                    assert route.direct is not None
                    lines = header_lines(request.headers)
                    if request_id is not None:
                        lines += header_lines({REQUEST_ID_HEADER: request_id})
                    status, cache_control, raw = await route.direct.send(
                        route.origin,
                        post_message(route.head, lines, content),
                        self._timeouts,
                        retry_stale,
                    )
                else:
                    if request_id is not None:
                        headers[REQUEST_ID_HEADER] = request_id
                    status, cache_control, raw = await self._post(
                        route, headers, content, retry_stale
                    )
            except httpx.TimeoutException:
                raise self._failure(attempt, name, "request timed out") from None
            except httpx.ConnectError as exc:
                raise self._failure(attempt, name, f"cannot connect ({exc})") from None
            except httpx.HTTPError as exc:
                raise self._failure(attempt, name, f"{type(exc).__name__}: {exc}") from None
            return self._answer(attempt, name, status, cache_control, raw)
        finally:
            attempt.release()  # a cancelled request gives its half-open trial slot back

    async def _post(
        self, route: _Route, headers: dict[str, str], content: bytes, retry_stale: bool
    ) -> tuple[int, str | None, bytes]:
        if route.direct is not None:
            return await route.direct.post(route.url, headers, content, self._timeouts, retry_stale)
        response = await route.send(
            httpx.Request(
                "POST",
                route.url,
                content=content,
                headers=headers,
                extensions={"timeout": self._timeouts, RETRY_STALE: retry_stale},
            )
        )
        return response.status_code, response.headers.get("cache-control"), response.content

    def _answer(
        self, attempt: Attempt, name: str, status: int, cache_control: str | None, raw: bytes
    ) -> SubgraphResponse:
        """The subgraph's answer as a response, or `SubgraphUnavailable` (the breaker told)."""
        if status >= 500:
            raise self._failure(attempt, name, f"HTTP {status}")
        body = _json(raw)
        if not 200 <= status < 300:
            # A 4xx is the subgraph refusing this request, not the subgraph being down; a
            # GraphQL error body (GraphQL over HTTP answers invalid operations so) is kept.
            attempt.succeeded()
            if body is not None and isinstance(body.get("errors"), list):
                return SubgraphResponse(data=None, errors=_errors(body))
            raise SubgraphUnavailable(name, f"HTTP {status}")
        if body is None or not ("data" in body or "errors" in body):
            raise self._failure(attempt, name, "the response is not a GraphQL JSON response")
        data = body.get("data")
        if data is not None and not isinstance(data, dict):
            raise self._failure(attempt, name, "the response's data is not an object")
        attempt.succeeded()
        return SubgraphResponse(
            data=data,
            errors=_errors(body),
            owned=True,
            cache_control=cache_control,
        )

    @staticmethod
    def _failure(attempt: Attempt, name: str, reason: str) -> SubgraphUnavailable:
        attempt.failed(reason)
        return SubgraphUnavailable(name, reason)


class _Route:
    """Where a subgraph's requests go: straight to a transport (no cookie jar, redirects or
    hooks to run: a subgraph answers one POST), or through a client when a proxy applies."""

    __slots__ = ("direct", "head", "origin", "sender", "series", "url")

    def __init__(
        self, name: str, url: httpx.URL, sender: httpx.AsyncBaseTransport | httpx.AsyncClient
    ):
        self.url = url
        self.sender = sender
        #: our keep-alive transport to a plain `http://` URL: posted to without httpx's objects
        self.direct = (
            sender if isinstance(sender, KeepAliveTransport) and url.scheme == "http" else None
        )
        #: what every request to it starts with: request line, Host and `_HEADERS`, encoded once
        self.head = post_head(url, _HEADERS)
        self.origin = origin_of(url)
        self.series = fetch_series(name)

    async def send(self, request: httpx.Request) -> httpx.Response:
        if isinstance(self.sender, httpx.AsyncClient):
            return await self.sender.send(request)
        response = await self.sender.handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response


def _proxied(url: str) -> bool:
    """Whether the environment (`HTTP_PROXY`, `NO_PROXY`...) sends requests to `url` by proxy."""
    parsed = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parsed.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parsed.hostname or "")


_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
#: headers a request's own would replace in place: such a request is written the general way
_RESERVED = frozenset({*_HEADERS, REQUEST_ID_HEADER})


def _json(content: bytes) -> dict[str, Any] | None:
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        try:  # orjson refuses what Python's json takes: integers beyond 64 bits, NaN
            body = json.loads(content)
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
