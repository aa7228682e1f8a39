"""The gateway's subscription parts without a network: per-event execution over the real
supergraph with an in-memory subgraph client, the registry's limits and closing, the origin
rule, URLs and plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse

from gateway.app.errors import RequestError
from gateway.app.pipeline import Prepared
from gateway.app.state import Gateway
from gateway.app.subscriptions.registry import (
    SubscriptionLimits,
    SubscriptionRegistry,
    closed_error,
)
from gateway.app.subscriptions.stream import SubscriptionRun, event_executor, root_fetch
from gateway.app.subscriptions.upstream import websocket_url
from gateway.app.subscriptions.websocket import origin_allowed
from gateway.execution import PlanExecutor
from gateway.planning import plan_operation, select_operation
from gateway.supergraph import Supergraph, load_supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

ROOT = Path(__file__).resolve().parents[4]
ORDER_CHANGED = """
subscription($id: ID!) {
  orderStatusChanged(orderId: $id) {
    status
    user { name }
    items { quantity product { name } }
  }
}
"""


@pytest.fixture(scope="module")
def supergraph() -> Supergraph:
    return load_supergraph(ROOT / "schema" / "supergraph.graphql")


def entities(request: SubgraphRequest) -> SubgraphResponse:
    representations = request.variables["representations"]
    if request.subgraph == "users":
        return SubgraphResponse({"_entities": [{"name": "Ada"} for _ in representations]})
    if request.subgraph == "products":
        names = [{"name": f"Product {r['sku']}"} for r in representations]
        return SubgraphResponse({"_entities": names})
    raise AssertionError(f"unexpected request to {request.subgraph}")


def run_of(supergraph: Supergraph, client: MockSubgraphClient) -> tuple[SubscriptionRun, Gateway]:
    gateway = Gateway(supergraph, PlanExecutor(supergraph, client), lambda: {})
    document = parse(ORDER_CHANGED)
    plan = plan_operation(supergraph, document)
    prepared = Prepared(select_operation(document, None), plan, None)

    async def reauthorize() -> None:
        return None

    run = SubscriptionRun(gateway, prepared, {"id": "7"}, lambda: {}, reauthorize)
    return run, gateway


async def test_an_event_is_completed_by_the_other_subgraphs_in_one_batch_each(
    supergraph: Supergraph,
) -> None:
    client = MockSubgraphClient(entities)
    run, gateway = run_of(supergraph, client)
    fetch = root_fetch(run.prepared.plan.node)
    event = {
        "data": {
            "orderStatusChanged": {
                "status": "SHIPPED",
                "user": {"__typename": "User", "id": "3"},
                "items": [
                    {"quantity": 2, "product": {"__typename": "Product", "sku": "A"}},
                    {"quantity": 1, "product": {"__typename": "Product", "sku": "B"}},
                ],
            }
        }
    }

    response = await run.respond(event_executor(gateway), fetch, event)

    assert response == {
        "data": {
            "orderStatusChanged": {
                "status": "SHIPPED",
                "user": {"name": "Ada"},
                "items": [
                    {"quantity": 2, "product": {"name": "Product A"}},
                    {"quantity": 1, "product": {"name": "Product B"}},
                ],
            }
        }
    }
    assert fetch.service == "orders" and fetch.operation_kind == "subscription"
    assert sorted(request.subgraph for request in client.requests) == ["products", "users"]


async def test_a_subgraph_error_in_an_event_reaches_the_client_with_its_code(
    supergraph: Supergraph,
) -> None:
    client = MockSubgraphClient(entities)
    run, gateway = run_of(supergraph, client)
    fetch = root_fetch(run.prepared.plan.node)
    error = {"message": "No order you may see has this id", "extensions": {"code": "NOT_FOUND"}}

    response = await run.respond(event_executor(gateway), fetch, {"data": None, "errors": [error]})

    assert response["data"] is None
    assert response["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert client.requests == []


def test_a_plan_without_a_subscription_fetch_is_refused(supergraph: Supergraph) -> None:
    plan = plan_operation(supergraph, parse("{ products { items { name } } }"))
    with pytest.raises(RequestError):
        root_fetch(plan.node)


def gateway_of(supergraph: Supergraph) -> Gateway:
    return Gateway(supergraph, PlanExecutor(supergraph, MockSubgraphClient(entities)), dict)


def test_limits_per_connection_and_per_client(supergraph: Supergraph) -> None:
    registry = SubscriptionRegistry(SubscriptionLimits(per_connection=2, per_client=3))
    state = gateway_of(supergraph)
    closed: list[str] = []
    with (
        registry.admit("sub:a", 0, state, closed.append),
        registry.admit("sub:a", 1, state, closed.append),
    ):
        with pytest.raises(RequestError) as over_connection:
            registry.admit("sub:a", 2, state, closed.append).__enter__()
        with registry.admit("sub:a", 0, state, closed.append):
            with pytest.raises(RequestError) as over_client:
                registry.admit("sub:a", 0, state, closed.append).__enter__()
            with registry.admit("sub:b", 0, state, closed.append):
                assert registry.count("sub:b") == 1
        assert registry.count("sub:a") == 2
    assert registry.count("sub:a") == 0
    assert over_connection.value.status == 429
    assert over_connection.value.errors[0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT_EXCEEDED"
    assert over_client.value.errors[0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT_EXCEEDED"


def test_a_new_state_closes_the_subscriptions_of_the_others(supergraph: Supergraph) -> None:
    registry = SubscriptionRegistry()
    old, new = gateway_of(supergraph), gateway_of(supergraph)
    reasons: dict[str, list[str]] = {"old": [], "new": []}
    with (
        registry.admit("c", 0, old, reasons["old"].append),
        registry.admit("c", 0, new, reasons["new"].append),
    ):
        registry.installed(new)
        assert reasons == {"old": ["schema_reload"], "new": []}
        registry.close_all()
    assert reasons == {"old": ["schema_reload", "shutdown"], "new": ["shutdown"]}
    assert closed_error("shutdown")["extensions"] == {
        "code": "SUBSCRIPTION_CLOSED",
        "reason": "shutdown",
    }


@pytest.mark.parametrize(
    ("headers", "allowed", "expected"),
    [
        ({"host": "shop.example"}, [], True),  # no Origin: not a browser
        ({"host": "shop.example", "origin": "https://shop.example"}, [], True),
        ({"host": "localhost", "origin": "http://localhost:8080"}, [], True),  # proxy drops port
        ({"host": "shop.example", "origin": "https://evil.example"}, [], False),
        ({"host": "api.example", "origin": "https://shop.example"}, ["https://shop.example"], True),
        ({"host": "api.example", "origin": "null"}, [], False),
    ],
)
def test_origin_rule(headers: dict[str, str], allowed: list[str], expected: bool) -> None:
    assert origin_allowed(headers, allowed) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://orders:8082/graphql", "ws://orders:8082/graphql"),
        ("https://orders.internal/graphql", "wss://orders.internal/graphql"),
        ("ws://orders/graphql", "ws://orders/graphql"),
    ],
)
def test_subgraph_urls_become_websocket_urls(url: str, expected: str) -> None:
    assert websocket_url(url) == expected
