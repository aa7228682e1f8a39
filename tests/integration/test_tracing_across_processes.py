"""One trace covers a cross-subgraph query through real processes: the gateway's request,
operation and steps, each fetch, and the subgraphs' requests, resolvers and SQL, as an OTLP
collector receives them; the JSON log lines of every process carry the trace id."""

from __future__ import annotations

import json
import secrets
import time

from tests.integration.observed import ObservedStack
from tests.support.otlp import ReceivedSpan

QUERY = """
query OrdersWithUsers { orders(pageSize: 3) { items { id user { id name } } } }
"""
SERVER, CLIENT = 2, 3  # OTLP span kinds


def collected(observed: ObservedStack, trace_id: str, services: set[str]) -> list[ReceivedSpan]:
    """The trace's spans once every service has sent its server span (batches every 200 ms)."""
    deadline = time.monotonic() + 15
    while True:
        spans = observed.receiver.trace(trace_id)
        if services <= {s.service for s in spans if s.kind == SERVER} and any(
            s.name == "GraphQL Resolving: user" or (s.service == "users" and s.kind == SERVER)
            for s in spans
        ):
            time.sleep(0.5)  # the rest of the last batches
            return observed.receiver.trace(trace_id)
        assert time.monotonic() < deadline, f"spans of {services} not received: {spans}"
        time.sleep(0.2)


def test_one_trace_covers_the_gateway_and_the_subgraphs_it_called(
    observed: ObservedStack,
) -> None:
    stack = observed.stack.as_admin()
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    answer = stack.graphql(QUERY, headers={"traceparent": f"00-{trace_id}-{caller_span}-01"})
    assert answer.status_code == 200 and "errors" not in answer.json(), answer.text

    spans = collected(observed, trace_id, {"gateway", "orders", "users"})
    by_id = {s.span_id: s for s in spans}
    gateway = {s.name: s for s in spans if s.service == "gateway"}

    request = next(s for s in gateway.values() if s.kind == SERVER)
    assert request.parent_id == caller_span, "the caller's traceparent is continued"
    operation = gateway["query OrdersWithUsers"]
    assert operation.parent_id == request.span_id
    assert operation.attributes["graphql.operation.name"] == "OrdersWithUsers"
    for step in ("parse", "validate", "plan", "execute"):
        assert gateway[step].parent_id == operation.span_id, step
    for subgraph in ("orders", "users"):
        fetch = gateway[f"fetch {subgraph}"]
        assert fetch.kind == CLIENT and fetch.parent_id == gateway["execute"].span_id
        # The subgraph's request span is the child of the gateway's fetch: W3C traceparent.
        served = [s for s in spans if s.service == subgraph and s.name == "POST /graphql"]
        assert [by_id[s.parent_id].name for s in served] == [f"fetch {subgraph}"], subgraph
        # Below it, Strawberry's operation span and the resolvers.
        operations = [
            s for s in spans if s.service == subgraph and s.name.startswith("GraphQL Query")
        ]
        assert [s.parent_id for s in operations] == [served[0].span_id]

    resolvers = {s.name for s in spans if s.name.startswith("GraphQL Resolving")}
    assert "GraphQL Resolving: orders" in resolvers
    sql = [s for s in spans if "db.statement" in s.attributes or "db.query.text" in s.attributes]
    assert {s.service for s in sql} >= {"orders", "users"}, "SQL spans of both subgraphs"
    assert all(s.parent_id in by_id for s in sql), "every SQL span hangs under the request"


def test_log_lines_of_a_traced_request_carry_its_trace_id(observed: ObservedStack) -> None:
    stack = observed.stack.as_admin()
    request_id = f"traced-{secrets.token_hex(6)}"
    answer = stack.graphql(QUERY, headers={"X-Request-ID": request_id})
    assert answer.status_code == 200, answer.text

    def lines(service: str) -> list[dict[str, object]]:
        path = observed.stack.log_dir / f"{service}.log"
        found = []
        for line in path.read_text().splitlines():
            if request_id in line:
                found.append(json.loads(line))
        return found

    deadline = time.monotonic() + 10
    while not (lines("gateway") and lines("users")):
        assert time.monotonic() < deadline, "request log lines not written"
        time.sleep(0.2)
    trace_ids = {
        line["trace_id"] for service in ("gateway", "orders", "users") for line in lines(service)
    }
    assert len(trace_ids) == 1, trace_ids
    (trace_id,) = trace_ids
    # The trace the gateway started is the one the collector received from every process.
    spans = collected(observed, str(trace_id), {"gateway", "orders", "users"})
    assert {s.service for s in spans} >= {"gateway", "orders", "users"}
