"""GraphQL over HTTP details: media types, and caches that spare repeated parsing and planning."""

from __future__ import annotations

import httpx

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse


def answer(request: SubgraphRequest) -> SubgraphResponse:
    return SubgraphResponse({"users": [{"id": "u1"}]})


def client_for(supergraph: Supergraph, **settings: object) -> tuple[httpx.AsyncClient, object]:
    app = create_app(
        GatewaySettings(**settings),  # type: ignore[arg-type]
        supergraph=supergraph,
        client=MockSubgraphClient(answer),
        environ={},
    )
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), app.state.runtime


async def test_graphql_response_json_is_answered_when_accepted(users_orders: Supergraph) -> None:
    client, _ = client_for(users_orders)
    accept = {"Accept": "application/graphql-response+json, application/json;q=0.9"}
    response = await client.post("/graphql", json={"query": "{ users { id } }"}, headers=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphql-response+json"
    refused = await client.post("/graphql", json={"query": "{ nope }"}, headers=accept)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/graphql-response+json"
    plain = await client.post("/graphql", json={"query": "{ users { id } }"})
    assert plain.headers["content-type"] == "application/json"


async def test_a_post_body_that_is_not_json_by_content_type_is_415(
    users_orders: Supergraph,
) -> None:
    client, _ = client_for(users_orders)
    response = await client.post(
        "/graphql",
        content=b"query=%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_repeated_operations_are_parsed_validated_and_planned_once(
    users_orders: Supergraph,
) -> None:
    client, runtime = client_for(users_orders, plan_cache_size=2)
    state = runtime.current  # type: ignore[attr-defined]
    query = "query A { users { id } } query B { users { id } }"
    for _ in range(3):
        for name in ("A", "B"):
            response = await client.post("/graphql", json={"query": query, "operationName": name})
            assert response.json() == {"data": {"users": [{"id": "u1"}]}}
    assert (state.documents.misses, state.documents.hits) == (1, 5)
    assert (state.validations.misses, state.validations.hits) == (1, 5)
    # one plan per (document, operation name)
    assert (state.plans.misses, state.plans.hits) == (2, 4)
    assert state.plans.capacity == 2
    # bounded: a third operation evicts the least recently used
    await client.post("/graphql", json={"query": "{ users { id } }"})
    assert len(state.plans) == 2
