"""The HTTP app over httpx.ASGITransport: status codes, error codes, health, metrics (GraphiQL's
page and the SPA: test_frontend_routes.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import get_introspection_query, print_schema

from common.auth import INTERNAL_TOKEN_HEADER, AuthSettings, InternalTokens, issue_token
from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.reload import sdl_hash
from gateway.supergraph import Supergraph
from gateway.transport import (
    BreakerSettings,
    HttpSubgraphClient,
    MockSubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
)


def answer(request: SubgraphRequest) -> SubgraphResponse:
    if request.subgraph == "users" and "_entities" in request.query:
        return SubgraphResponse({"_entities": [{"name": "Ada"}]})
    if request.subgraph == "users":
        return SubgraphResponse({"user": {"id": "u1", "name": "Ada"}})
    if "confirmOrder" in request.query:
        return SubgraphResponse({"confirmOrder": {"id": "o1"}})
    user = {"__typename": "User", "id": "u1"}
    return SubgraphResponse({"orders": {"items": [{"id": "o1", "user": user}]}})


def make_client(
    supergraph: Supergraph, subgraphs: Any = None, **settings: Any
) -> tuple[httpx.AsyncClient, MockSubgraphClient]:
    mock = subgraphs if subgraphs is not None else MockSubgraphClient(answer)
    app = create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), mock


async def test_post_runs_the_plan(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    token = issue_token("ada", ["user"], AuthSettings())
    response = await client.post(
        "/graphql",
        json={"query": "{ orders { items { id user { name } } } }"},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "abc-1"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": {"orders": {"items": [{"id": "o1", "user": {"name": "Ada"}}]}}
    }
    assert response.headers["x-request-id"] == "abc-1"
    # The subgraphs hear who asks from the gateway's internal token, not the client's token.
    assert [set(r.headers) for r in mock.requests] == [{INTERNAL_TOKEN_HEADER}] * 2
    caller = InternalTokens(AuthSettings().auth_internal_secret).verify(
        mock.requests[0].headers[INTERNAL_TOKEN_HEADER]
    )
    assert caller is not None and caller.subject == "ada" and caller.roles == {"user"}


@pytest.mark.parametrize(
    ("body", "status", "code", "message"),
    [
        ({"query": "{ orders { "}, 400, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
        (
            {"query": "{ nope }"},
            400,
            "GRAPHQL_VALIDATION_FAILED",
            "Cannot query field 'nope' on type 'Query'.",
        ),
        (
            {"query": "query A { users { id } } query B { users { id } }"},
            400,
            "BAD_REQUEST",
            "several operations",
        ),
        (
            {"query": "query A { users { id } }", "operationName": "C"},
            400,
            "BAD_REQUEST",
            "Unknown operation named 'C'",
        ),
        ({"variables": {}}, 400, "BAD_REQUEST", "no GraphQL `query`"),
        (
            {"query": "{ users { id } }", "variables": [1]},
            400,
            "BAD_REQUEST",
            "`variables` must be a JSON object",
        ),
        (
            {"query": "query($id: ID!) { user(id: $id) { id } }", "variables": {}},
            400,
            "BAD_USER_INPUT",
            "Variable '$id' of type 'ID!' was not provided.",
        ),
        (
            {
                "query": "query($p: Int!) { orders(page: $p) { items { id } } }",
                "variables": {"p": "x"},
            },
            400,
            "BAD_USER_INPUT",
            "Variable '$p' has an invalid value: must be a value of type 'Int!'.",
        ),
    ],
)
async def test_refused_requests(
    users_orders: Supergraph, body: dict[str, Any], status: int, code: str, message: str
) -> None:
    client, mock = make_client(users_orders)
    response = await client.post("/graphql", json=body)
    assert response.status_code == status
    (error,) = response.json()["errors"][:1]
    assert error["extensions"]["code"] == code
    assert message.replace("'", '"') in error["message"].replace("'", '"')
    assert mock.requests == []


async def test_a_body_that_is_not_json_is_a_bad_request(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders)
    response = await client.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_get_runs_queries_and_refuses_mutations(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    client.headers["Apollo-Require-Preflight"] = "true"  # CSRF prevention: GETs must preflight
    response = await client.get(
        "/graphql",
        params={"query": "query($id: ID!) { user(id: $id) { name } }", "variables": '{"id": "u1"}'},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"user": {"name": "Ada"}}}
    response = await client.get(
        "/graphql", params={"query": 'mutation { confirmOrder(id: "o1") { id } }'}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "POST" in response.json()["errors"][0]["message"]
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert [r.is_mutation for r in mock.requests] == [False]


async def test_root_typename_calls_no_subgraph(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
    assert mock.requests == []


async def test_introspection_is_answered_from_the_api_schema(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    response = await client.post("/graphql", json={"query": get_introspection_query()})
    assert response.status_code == 200
    types = {t["name"] for t in response.json()["data"]["__schema"]["types"]}
    assert {"User", "Order", "Query", "Mutation"} <= types
    assert not any(name.startswith(("join__", "link__")) for name in types)
    assert mock.requests == []


async def test_query_plan_header_adds_the_plan_outside_production(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders)
    body = {"query": "{ orders { items { id user { name } } } }"}
    response = await client.post("/graphql", json=body, headers={"X-Query-Plan": "true"})
    plan = response.json()["extensions"]["queryPlan"]
    assert plan.startswith("QueryPlan {") and 'Flatten(path: "orders.items.@.user")' in plan
    production, _ = make_client(users_orders, env="production")
    response = await production.post("/graphql", json=body, headers={"X-Query-Plan": "true"})
    assert "extensions" not in response.json()


async def test_unexpected_errors_are_a_generic_500_with_the_request_id(
    users_orders: Supergraph,
) -> None:
    def broken(request: SubgraphRequest) -> SubgraphResponse:
        raise RuntimeError("secret detail")

    client, _ = make_client(users_orders, MockSubgraphClient(broken))
    response = await client.post(
        "/graphql", json={"query": "{ users { id } }"}, headers={"X-Request-ID": "req-9"}
    )
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error (request id req-9).",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-9"},
            }
        ]
    }
    assert "secret" not in response.text


async def test_health_reports_subgraphs_and_breaker_states(users_orders: Supergraph) -> None:
    http = HttpSubgraphClient(
        {"orders": "http://orders/graphql", "users": "http://users/graphql"},
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
        breaker=BreakerSettings(max_requests=1),
    )
    client, _ = make_client(users_orders, http)
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "schemaHash": sdl_hash(print_schema(users_orders.schema).encode()),
        "subgraphs": [
            {"name": "orders", "url": "http://127.0.0.1:8082/graphql", "circuitBreaker": "closed"},
            {"name": "users", "url": "http://127.0.0.1:8081/graphql", "circuitBreaker": "closed"},
        ],
        "rate_limit": {
            "backend": "local",
            "rate": 100.0,
            "burst": 200,
            "clientRate": 300.0,
            "clientBurst": 600,
            "tokenRate": 0.2,
            "tokenBurst": 10,
        },
        "persisted_queries": {"mode": "apq", "backend": "local"},
        "entity_cache": {"backend": "off"},
        "idempotency": {
            "backend": "database",
            "url": "sqlite+aiosqlite:///var/gateway-idempotency.db",
        },
    }
    response = await client.post("/graphql", json={"query": "{ users { id } }"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"] == {
        "code": "SUBGRAPH_UNAVAILABLE",
        "serviceName": "users",
    }
    health = await client.get("/health")
    assert health.json()["status"] == "degraded"
    assert [s["circuitBreaker"] for s in health.json()["subgraphs"]] == ["closed", "open"]
    metrics = await client.get("/metrics")
    assert 'gateway_circuit_breaker_state{subgraph="users"} 2.0' in metrics.text


def test_subgraph_urls_can_be_overridden_from_the_environment(users_orders: Supergraph) -> None:
    app = create_app(
        GatewaySettings(),
        supergraph=users_orders,
        environ={"GATEWAY_SUBGRAPH_USERS_URL": "http://users:9/graphql"},
    )
    gateway = app.state.runtime.current
    assert gateway.supergraph.graphs["users"].url == "http://users:9/graphql"
    assert gateway.supergraph.graphs["orders"].url == "http://127.0.0.1:8082/graphql"
