"""What an operator sees of each GraphQL operation: metrics by operation name, and its span.

`observe_operation` runs one operation of the pipeline and records:

- `gateway_operations_total{operation, outcome}`: `success` (no errors), `error` (answered with
  errors, or failed: 5xx) or `refused` (a 4xx before execution: limits, validation, rate limit);
- `gateway_operation_duration_seconds{operation}`;
- `gateway_operation_subgraph_fetches`: the subgraph requests it sent.

`operation` is the name of the operation the document runs (the client's `operationName` when
the document was refused before one was selected; `anonymous` without a name), for at most
`MAX_OPERATION_LABELS` names per process; later names, and names of refused operations not seen
executed before, are `other`, so clients cannot grow the series without bound. While tracing is
on the operation is a span, `query GetOrders` (the OpenTelemetry GraphQL convention), parent of
the parse, validate, plan and fetch spans.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from graphql import OperationDefinitionNode
from opentelemetry import trace
from prometheus_client import Counter, Histogram

from common import tracing
from gateway.app.params import GraphQLParams
from gateway.policy.errors import PolicyError
from gateway.transport.observe import count_fetches

#: distinct operation names labelled per process; the rest count as `other`
MAX_OPERATION_LABELS = 200
ANONYMOUS = "anonymous"
OTHER = "other"
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")

OPERATIONS = Counter(
    "gateway_operations_total",
    "GraphQL operations served, by operation name and outcome (success, error, refused)",
    ["operation", "outcome"],
)
OPERATION_DURATION = Histogram(
    "gateway_operation_duration_seconds",
    "Time to serve one GraphQL operation, by operation name",
    ["operation"],
)
OPERATION_FETCHES = Histogram(
    "gateway_operation_subgraph_fetches",
    "Subgraph requests sent to serve one GraphQL operation",
    buckets=(0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30),
)


class OperationLabels:
    """The bounded `operation` label of operation names."""

    def __init__(self, capacity: int = MAX_OPERATION_LABELS) -> None:
        self.capacity = capacity
        self._known: set[str] = set()
        self._series: dict[tuple[str, str], tuple[Any, Any]] = {}

    def series(self, label: str, outcome: str) -> tuple[Any, Any]:
        """The counter and histogram of (label, outcome), looked up once each."""
        found = self._series.get((label, outcome))
        if found is None:
            found = OPERATIONS.labels(label, outcome), OPERATION_DURATION.labels(label)
            self._series[(label, outcome)] = found
        return found

    def label(self, name: str | None, *, executed: bool) -> str:
        """`name` when known, or admitted now (an executed operation while there is room)."""
        if not name:
            return ANONYMOUS
        if name in self._known:
            return name
        if executed and len(self._known) < self.capacity and _NAME.match(name):
            self._known.add(name)
            return name
        return OTHER


_LABELS = OperationLabels()
#: the name of the operation being served, once the pipeline has selected it
_selected: ContextVar[list[str | None] | None] = ContextVar("selected_operation", default=None)


async def observe_operation(
    params: GraphQLParams, run: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """`await run()` (one operation through the pipeline), measured and traced."""
    started = time.perf_counter()
    outcome = "error"
    selected: list[str | None] = [params.operation_name]
    token = _selected.set(selected)
    attributes = {"graphql.operation.name": params.operation_name or ""}
    with (
        tracing.span(_span_name(None, params.operation_name), attributes) as current,
        count_fetches() as fetches,
    ):
        try:
            response = await run()
            outcome = "error" if response.get("errors") else "success"
            return response
        except PolicyError as exc:
            outcome = "refused" if exc.status < 500 else "error"
            tracing.mark_error(current, exc.code)
            raise
        finally:
            _selected.reset(token)
            label = _LABELS.label(selected[0], executed=outcome != "refused")
            counter, duration = _LABELS.series(label, outcome)
            counter.inc()
            duration.observe(time.perf_counter() - started)
            OPERATION_FETCHES.observe(fetches.fetches)
            if outcome == "error":
                tracing.mark_error(current, "the response carries errors")


def annotate_operation(operation: OperationDefinitionNode) -> None:
    """Label the metrics, and name the span, after the operation the document runs."""
    name = operation.name.value if operation.name else None
    selected = _selected.get()
    if selected is not None:
        selected[0] = name
    if not tracing.enabled():
        return
    current = trace.get_current_span()
    kind = operation.operation.value
    current.update_name(_span_name(kind, name))
    current.set_attribute("graphql.operation.type", kind)
    if name:
        current.set_attribute("graphql.operation.name", name)


def _span_name(kind: str | None, name: str | None) -> str:
    """`query GetOrders`, as the OpenTelemetry semantic conventions for GraphQL name it."""
    if kind is None:
        return f"GraphQL Operation {name}" if name else "GraphQL Operation"
    return f"{kind} {name}" if name else kind
