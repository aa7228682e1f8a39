"""What the gateway sees of each subgraph request: metrics, a span, the fetches of an operation.

`HttpSubgraphClient` wraps each send in `observe_fetch`: it counts the request in
`gateway_subgraph_requests_total{subgraph, result}` and its latency in
`gateway_subgraph_request_duration_seconds{subgraph}`, adds one to the fetch count of the
operation being served (`count_fetches`), and while tracing is on records a client span
`fetch <subgraph>` whose `traceparent` goes with the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Histogram

from common import tracing
from gateway.transport.errors import SubgraphUnavailable
from gateway.transport.protocol import SubgraphRequest

SUBGRAPH_REQUESTS = Counter(
    "gateway_subgraph_requests_total",
    "Requests the gateway sent to subgraphs, by subgraph and result (error: no usable answer)",
    ["subgraph", "result"],
)
SUBGRAPH_DURATION = Histogram(
    "gateway_subgraph_request_duration_seconds",
    "Latency of the gateway's requests to a subgraph, as the gateway sees it",
    ["subgraph"],
)


@dataclass
class FetchCount:
    """Subgraph requests sent for one operation."""

    fetches: int = 0


_fetches: ContextVar[FetchCount | None] = ContextVar("operation_fetches", default=None)


@contextmanager
def count_fetches() -> Iterator[FetchCount]:
    """Count the subgraph requests sent inside the block (tasks started inside it included)."""
    count = FetchCount()
    token = _fetches.set(count)
    try:
        yield count
    finally:
        _fetches.reset(token)


def prepare_subgraph(subgraph: str) -> None:
    """Create the subgraph's series at zero, so rates exist before its first failure."""
    SUBGRAPH_REQUESTS.labels(subgraph, "success")
    SUBGRAPH_REQUESTS.labels(subgraph, "error")
    SUBGRAPH_DURATION.labels(subgraph)


@contextmanager
def observe_fetch(request: SubgraphRequest, headers: dict[str, str]) -> Iterator[None]:
    """Measure one request to a subgraph; `headers` (its outgoing headers) gain `traceparent`."""
    count = _fetches.get()
    if count is not None:
        count.fetches += 1
    attributes = {
        "graphql.subgraph": request.subgraph,
        "graphql.operation.type": "mutation" if request.is_mutation else "query",
    }
    if request.operation_name:
        attributes["graphql.operation.name"] = request.operation_name
    started = time.perf_counter()
    result = "error"
    with tracing.span(f"fetch {request.subgraph}", attributes, kind=SpanKind.CLIENT) as current:
        tracing.inject_trace_context(headers)
        try:
            yield
            result = "success"
        except SubgraphUnavailable as exc:
            tracing.mark_error(current, exc.reason)
            raise
        finally:
            SUBGRAPH_REQUESTS.labels(request.subgraph, result).inc()
            SUBGRAPH_DURATION.labels(request.subgraph).observe(time.perf_counter() - started)
