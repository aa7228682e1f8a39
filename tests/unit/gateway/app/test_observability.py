"""What operators see of a request: metrics per operation, subgraph and cache, and one trace
from the request through parse, validate, plan and each fetch, continued by the subgraphs."""

from __future__ import annotations

import json
from typing import Any

import httpx
from prometheus_client import REGISTRY

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.observe import OperationLabels
from gateway.supergraph import Supergraph
from gateway.transport import HttpSubgraphClient
from tests.support.tracing import recorded_spans

QUERY = "query Orders { orders { items { id user { name } } } }"


def subgraph_answers(seen: list[httpx.Request]) -> httpx.MockTransport:
    """The orders and users subgraphs, answering the query above; requests are kept."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "users":
            return httpx.Response(200, json={"data": {"_entities": [{"name": "Ada"}]}})
        user = {"__typename": "User", "id": "u1"}
        return httpx.Response(
            200, json={"data": {"orders": {"items": [{"id": "o1", "user": user}]}}}
        )

    return httpx.MockTransport(answer)


def gateway_over(supergraph: Supergraph, seen: list[httpx.Request]) -> httpx.AsyncClient:
    subgraphs = HttpSubgraphClient(
        {"orders": "http://orders/graphql", "users": "http://users/graphql"},
        transport=subgraph_answers(seen),
    )
    app = create_app(GatewaySettings(), supergraph=supergraph, client=subgraphs, environ={})
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_operations_subgraph_requests_and_cache_lookups_are_counted(
    users_orders: Supergraph,
) -> None:
    before = {
        "ok": sample("gateway_operations_total", operation="Orders", outcome="success"),
        "refused": sample("gateway_operations_total", operation="other", outcome="refused"),
        "users": sample("gateway_subgraph_requests_total", subgraph="users", result="success"),
        "plan_hits": sample("gateway_cache_lookups_total", cache="plan", result="hit"),
        "fetches": sample("gateway_operation_subgraph_fetches_sum"),
    }
    seen: list[httpx.Request] = []
    async with gateway_over(users_orders, seen) as client:
        for _ in range(2):
            response = await client.post("/graphql", json={"query": QUERY})
            assert response.json()["data"]["orders"]["items"][0]["user"] == {"name": "Ada"}
        refused = await client.post(
            "/graphql", json={"query": "query Nope { nope }", "operationName": "Nope"}
        )
        assert refused.status_code == 400
        metrics = (await client.get("/metrics")).text

    assert sample("gateway_operations_total", operation="Orders", outcome="success") == (
        before["ok"] + 2
    )
    # A name never seen executed does not become a label of its own.
    assert sample("gateway_operations_total", operation="other", outcome="refused") == (
        before["refused"] + 1
    )
    assert sample("gateway_subgraph_requests_total", subgraph="users", result="success") == (
        before["users"] + 2
    )
    assert sample("gateway_cache_lookups_total", cache="plan", result="hit") == (
        before["plan_hits"] + 1
    )
    assert sample("gateway_operation_subgraph_fetches_sum") == before["fetches"] + 4
    assert 'gateway_operation_duration_seconds_bucket{le="0.005",operation="Orders"}' in metrics
    assert 'gateway_subgraph_request_duration_seconds_count{subgraph="orders"}' in metrics
    assert "traceparent" not in seen[0].headers, "tracing is off"


def test_operation_labels_are_bounded() -> None:
    labels = OperationLabels(capacity=2)
    assert labels.label(None, executed=True) == "anonymous"
    assert labels.label("A", executed=False) == "other", "refused before it ever ran"
    assert labels.label("A", executed=True) == "A"
    assert labels.label("A", executed=False) == "A"
    assert labels.label("not a name!", executed=True) == "other"
    assert labels.label("B", executed=True) == "B"
    assert labels.label("C", executed=True) == "other", "full"


async def test_one_trace_covers_the_request_its_steps_and_each_fetch(
    users_orders: Supergraph,
) -> None:
    seen: list[httpx.Request] = []
    with recorded_spans("gateway") as spans:
        async with gateway_over(users_orders, seen) as client:
            response = await client.post("/graphql", json={"query": QUERY})
            assert response.status_code == 200
        recorded = spans.all()

    by_name = {s.name: s for s in recorded}
    assert {"POST /graphql", "query Orders", "parse", "validate", "plan", "execute"} <= set(by_name)
    assert {"fetch orders", "fetch users"} <= set(by_name)
    assert len({s.context.trace_id for s in recorded}) == 1, "one trace"
    operation = by_name["query Orders"]
    assert operation.parent is not None
    assert operation.parent.span_id == by_name["POST /graphql"].context.span_id
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.attributes["graphql.operation.name"] == "Orders"
    for step in ("parse", "validate", "plan", "execute"):
        parent = by_name[step].parent
        assert parent is not None and parent.span_id == operation.context.span_id, step
    for name in ("fetch orders", "fetch users"):
        parent = by_name[name].parent
        assert parent is not None and parent.span_id == by_name["execute"].context.span_id
    # Each subgraph request continues the trace from its fetch span.
    for request in seen:
        fetch = by_name[f"fetch {request.url.host}"]
        _, trace_id, parent_id, _ = request.headers["traceparent"].split("-")
        assert int(trace_id, 16) == fetch.context.trace_id
        assert int(parent_id, 16) == fetch.context.span_id


async def test_a_failed_fetch_marks_its_span_and_the_operation_as_errors(
    users_orders: Supergraph,
) -> None:
    subgraphs = HttpSubgraphClient(
        {"orders": "http://orders/graphql", "users": "http://users/graphql"},
        transport=httpx.MockTransport(lambda _: httpx.Response(503)),
    )
    errors = sample("gateway_subgraph_requests_total", subgraph="orders", result="error")
    timed = sample("gateway_subgraph_request_duration_seconds_count", subgraph="orders")
    with recorded_spans("gateway") as spans:
        app = create_app(GatewaySettings(), supergraph=users_orders, client=subgraphs, environ={})
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            answer: dict[str, Any] = (await client.post("/graphql", json={"query": QUERY})).json()
        assert answer["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
        fetch, operation = spans.named("fetch orders")[0], spans.named("query Orders")[0]
    assert not fetch.status.is_ok and "HTTP 503" in (fetch.status.description or "")
    assert not operation.status.is_ok
    # The failed request is counted as an error, and its latency recorded.
    assert sample("gateway_subgraph_requests_total", subgraph="orders", result="error") == (
        errors + 1
    )
    assert sample("gateway_subgraph_request_duration_seconds_count", subgraph="orders") == (
        timed + 1
    )
    assert json.dumps(answer)  # the client still got a GraphQL answer


async def test_a_get_query_keeps_its_variables_out_of_the_trace(users_orders: Supergraph) -> None:
    seen: list[httpx.Request] = []
    with recorded_spans("gateway") as spans:
        async with gateway_over(users_orders, seen) as client:
            response = await client.get(
                "/graphql",
                params={"query": QUERY, "variables": '{"secret": "hunter2"}'},
                headers={"Apollo-Require-Preflight": "true"},
            )
            assert response.status_code == 200, response.text
        recorded = spans.all()
    assert recorded
    assert "hunter2" not in str([dict(s.attributes or {}) for s in recorded])
