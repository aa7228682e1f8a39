"""Prometheus request metrics per service, named as the original docs name them.

`<service>_requests_total{method,path,status}`, `<service>_request_duration_seconds`,
`<service>_errors_total{type="client_error"|"server_error"}`; `metrics_response()` renders them.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestMetrics:
    """The request counters and latency histogram of one service (`user_service`, `gateway`).

    Build it through `request_metrics(prefix)`: a second instance for a prefix would register
    the same series twice.
    """

    def __init__(self, prefix: str) -> None:
        self.requests = Counter(
            f"{prefix}_requests_total", "HTTP requests served", ["method", "path", "status"]
        )
        self.duration = Histogram(
            f"{prefix}_request_duration_seconds", "HTTP request latency", ["method", "path"]
        )
        self.errors = Counter(f"{prefix}_errors_total", "HTTP error responses", ["type"])
        # At zero from the start: error rates and ratios exist before the first error.
        self.errors.labels("client_error")
        self.errors.labels("server_error")
        #: the series of each (method, path, status) seen, looked up once (`labels()` on every
        #: request cost more than the counting): as many as the registry holds already
        self._series: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        key = (method, path, status)
        series = self._series.get(key)
        if series is None:
            error = None
            if status >= 500:
                error = self.errors.labels("server_error")
            elif status >= 400:
                error = self.errors.labels("client_error")
            series = self._series[key] = (
                self.requests.labels(method, path, str(status)),
                self.duration.labels(method, path),
                error,
            )
        requests, duration, error = series
        requests.inc()
        duration.observe(seconds)
        if error is not None:
            error.inc()


class MetricsMiddleware:
    """Records every HTTP request under a bounded path label: the route's template
    (`/api/v1/orders/{order_id}`) when a route matched, the path when it is in
    `known_paths`, else `other`."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics, known_paths: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.known_paths = known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            self.metrics.observe(
                scope["method"], self.path_label(scope), status, time.perf_counter() - started
            )

    def path_label(self, scope: Scope) -> str:
        """The label of the request's path: bounded whatever paths clients send."""
        path: str = scope["path"]
        if path in self.known_paths:
            return path
        route = scope.get("route")
        # `path_format` drops convertors: `/users/{user_id:int}` is `/users/{user_id}`
        template = getattr(route, "path_format", None) or getattr(route, "path", None)
        if isinstance(template, str):
            return template
        return "other"


_BY_PREFIX: dict[str, RequestMetrics] = {}


def request_metrics(prefix: str) -> RequestMetrics:
    """The process's metrics for `prefix`, made on first use (Prometheus refuses duplicates)."""
    if prefix not in _BY_PREFIX:
        _BY_PREFIX[prefix] = RequestMetrics(prefix)
    return _BY_PREFIX[prefix]


def metrics_response() -> Response:
    """The Prometheus text exposition of the process's registry."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
