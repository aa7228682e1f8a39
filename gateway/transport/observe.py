"""What the gateway sees of each subgraph request: metrics, a span, the fetches of an operation.

`HttpSubgraphClient` awaits each send through `measured` (inside `fetch_span` while tracing is
on, or when it writes the headers itself): it counts the request in
`gateway_subgraph_requests_total{subgraph, result}` and its latency in
`gateway_subgraph_request_duration_seconds{subgraph}`, adds one to the fetch count of the
operation being served (`count_fetches`), and while tracing is on records a client span
`fetch <subgraph>` whose `traceparent` goes with the request.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from opentelemetry.trace import Span, SpanKind
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


T = TypeVar("T")

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


@dataclass(frozen=True)
class _Series:
    """One subgraph's series, looked up once (a `labels()` call per request costs more)."""

    success: Any
    error: Any
    duration: Any


_series: dict[str, _Series] = {}


def prepare_subgraph(subgraph: str) -> None:
    """Create the subgraph's series at zero, so rates exist before its first failure."""
    fetch_series(subgraph)


def fetch_series(subgraph: str) -> _Series:
    """The subgraph's series (made at zero on first use), for `observe_fetch` or a client
    that measures its requests as it does (`count_fetch`, then these)."""
    series = _series.get(subgraph)
    if series is None:
        series = _series[subgraph] = _Series(
            SUBGRAPH_REQUESTS.labels(subgraph, "success"),
            SUBGRAPH_REQUESTS.labels(subgraph, "error"),
            SUBGRAPH_DURATION.labels(subgraph),
        )
    return series


def count_fetch() -> None:
    """Add one to the fetch count of the operation being served (`count_fetches`), if any."""
    count = _fetches.get()
    if count is not None:
        count.fetches += 1


@contextmanager
def fetch_span(request: SubgraphRequest, headers: dict[str, str]) -> Iterator[Span | None]:
    """The client span of one request to a subgraph while tracing is on (None while it is off);
    `headers` (its outgoing headers) gain its `traceparent`."""
    with _fetch_span(request) as current:
        tracing.inject_trace_context(headers)
        yield current


async def measured(series: _Series, send: Awaitable[T], span: Span | None = None) -> T:
    """Await one request to a subgraph, measured: counted in the fetches of the operation being
    served, its result and latency recorded in `series` (`fetch_series`); a `SubgraphUnavailable`
    marks `span` (`fetch_span`) with its reason."""
    count_fetch()
    started = time.perf_counter()
    try:
        result = await send
    except SubgraphUnavailable as exc:
        series.error.inc()
        tracing.mark_error(span, exc.reason)
        raise
    except BaseException:
        series.error.inc()
        raise
    else:
        series.success.inc()
        return result
    finally:
        series.duration.observe(time.perf_counter() - started)


def _fetch_span(request: SubgraphRequest) -> AbstractContextManager[Span | None]:
    if not tracing.enabled():  # no attributes to build
        return tracing.NO_SPAN
    attributes = {
        "graphql.subgraph": request.subgraph,
        "graphql.operation.type": "mutation" if request.is_mutation else "query",
    }
    if request.operation_name:
        attributes["graphql.operation.name"] = request.operation_name
    return tracing.span(f"fetch {request.subgraph}", attributes, kind=SpanKind.CLIENT)
