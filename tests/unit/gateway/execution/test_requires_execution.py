"""Executing plans with @requires, merged multi-path fetches and Condition nodes."""

from __future__ import annotations

from typing import Any

from graphql import parse

from gateway.execution import PlanExecutor
from gateway.planning import plan_operation
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.support.supergraphs import load

PRODUCTS = [
    {
        "__typename": "Product",
        "id": "p1",
        "name": "Chair",
        "dimensions": {"size": 2, "weight": 5},
        "price": 10,
        "media": {"__typename": "Book", "isbn": "978"},
    },
    {"__typename": "Product", "id": "p2", "name": "Desk", "dimensions": None, "price": None},
]


def products(request: SubgraphRequest) -> SubgraphResponse:
    return SubgraphResponse({"products": PRODUCTS})


def entities(request: SubgraphRequest, answer: Any) -> SubgraphResponse:
    return SubgraphResponse(
        {"_entities": [answer(r) for r in request.variables["representations"]]}
    )


async def run(handlers: dict[str, Any], query: str, variables: dict[str, Any] | None = None) -> Any:
    supergraph = load("requires.graphql")
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    plan = plan_operation(supergraph, parse(query))
    return await PlanExecutor(supergraph, client).execute(plan, variables), client


async def test_representations_hold_the_key_and_required_data_which_never_leak() -> None:
    def shipping(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"shippingEstimate": (r.get("price") or 0) + 1})

    response, client = await run(
        {"products": products, "shipping": shipping}, "{ products { name shippingEstimate } }"
    )
    assert client.requests[1].variables["representations"] == [
        {
            "__typename": "Product",
            "id": "p1",
            "dimensions": {"size": 2, "weight": 5},
            "price": 10,
        },
        # Null required data are sent as they are, like Apollo does.
        {"__typename": "Product", "id": "p2", "dimensions": None, "price": None},
    ]
    assert 'price(currency:"USD")' in client.requests[0].query
    assert response == {
        "data": {
            "products": [
                {"name": "Chair", "shippingEstimate": 11},
                {"name": "Desk", "shippingEstimate": 1},
            ]
        }
    }


async def test_a_requires_chain_and_abstract_required_data() -> None:
    def shipping(request: SubgraphRequest) -> SubgraphResponse:
        return entities(
            request,
            lambda r: {
                "shippingEstimate": (r.get("price") or 0) + 1,
                "mediaNote": str((r.get("media") or {}).get("isbn")),
            },
        )

    def tax(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"tax": r["shippingEstimate"] * 2})

    response, client = await run(
        {"products": products, "shipping": shipping, "tax": tax}, "{ products { tax mediaNote } }"
    )
    assert [r.subgraph for r in client.requests] == ["products", "shipping", "tax"]
    first = client.requests[1].variables["representations"][0]
    assert first["media"] == {"__typename": "Book", "isbn": "978"}
    assert client.requests[2].variables["representations"] == [
        {"__typename": "Product", "id": "p1", "shippingEstimate": 11},
        {"__typename": "Product", "id": "p2", "shippingEstimate": 1},
    ]
    assert response == {
        "data": {"products": [{"tax": 22, "mediaNote": "978"}, {"tax": 2, "mediaNote": "None"}]}
    }


async def test_a_skipped_condition_calls_no_subgraph() -> None:
    supergraph = load("users_orders.graphql")
    client = MockSubgraphClient(
        lambda request: SubgraphResponse(
            {"orders": {"items": [{"id": "o1", "user": {"__typename": "User", "id": "u1"}}]}}
        )
    )
    query = "query ($x: Boolean!) { orders { items { id user @include(if: $x) { name } } } }"
    plan = plan_operation(supergraph, parse(query))
    response = await PlanExecutor(supergraph, client).execute(plan, {"x": False})
    assert [r.subgraph for r in client.requests] == ["orders"]
    assert response == {"data": {"orders": {"items": [{"id": "o1"}]}}}


async def test_one_call_serves_every_path_of_a_merged_fetch() -> None:
    supergraph = load("media.graphql")
    book = {"__typename": "Book", "id": "b1", "title": "T"}

    def media(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse({"search": [book], "featured": book})

    def ratings(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"rating": 4.5})

    handlers = {"media": media, "ratings": ratings}
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    query = '{ search(text: "x") { ... on Book { rating } } featured { ... on Book { rating } } }'
    plan = plan_operation(supergraph, parse(query))
    response = await PlanExecutor(supergraph, client).execute(plan)
    assert [r.subgraph for r in client.requests] == ["media", "ratings"]
    assert client.requests[1].variables["representations"] == [{"__typename": "Book", "id": "b1"}]
    assert response == {"data": {"search": [{"rating": 4.5}], "featured": {"rating": 4.5}}}
