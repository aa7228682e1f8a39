"""The request policy over HTTP (httpx.ASGITransport, a mock subgraph client): each refusal has
its status and `extensions.code`, and no refused request reaches a subgraph."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def answer(request: SubgraphRequest) -> SubgraphResponse:
    if "user(" in request.query:
        error = {
            "message": "sqlalchemy.exc.OperationalError: db at 10.0.0.5 refused",
            "path": ["user"],
            "extensions": {"code": "INTERNAL", "stacktrace": ["Traceback (most recent...)"]},
        }
        return SubgraphResponse({"user": None}, (error,))
    return SubgraphResponse({"users": [{"id": "u1", "name": "Ada"}]})


def make_client(
    supergraph: Supergraph, **settings: Any
) -> tuple[httpx.AsyncClient, MockSubgraphClient]:
    mock = MockSubgraphClient(answer)
    app = create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), mock


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def nested(levels: int) -> str:
    return "{" + "a{" * levels + "b" + "}" * levels + "}"  # 10,000 levels: 40 kB


@pytest.mark.parametrize(
    ("settings", "body", "status", "code"),
    [
        (
            {"max_body_bytes": 64},
            {"query": "{ users { id } }", "x": "y" * 100},
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        ({"max_document_bytes": 10}, {"query": "{ users { id } }"}, 400, "DOCUMENT_TOO_LARGE"),
        ({"max_tokens": 5}, {"query": "{ users { id name } }"}, 400, "MAX_TOKENS_LIMIT"),
        ({}, {"query": nested(10_000)}, 400, "MAX_DEPTH_LIMIT"),
        ({"max_depth": 2}, {"query": "{ users { orders { id } } }"}, 400, "MAX_DEPTH_LIMIT"),
        (
            {"max_aliases": 1},
            {"query": "{ a: users { id } b: users { id } }"},
            400,
            "MAX_ALIASES_LIMIT",
        ),
        (
            {"max_root_fields": 1},
            {"query": "{ users { id } __typename }"},
            400,
            "MAX_ROOT_FIELDS_LIMIT",
        ),
        (
            {"max_directives": 1},
            {"query": "{ users @skip(if: false) @include(if: true) { id } }"},
            400,
            "MAX_DIRECTIVES_LIMIT",
        ),
        (
            {"max_cost": 100},
            {"query": "{ users { orders { user { orders { id } } } } }"},
            400,
            "COST_ESTIMATED_TOO_EXPENSIVE",
        ),
        (
            {"max_cost": 100},
            {
                "query": "query($n: Int!) { orders(pageSize: $n) { items { id } } }",
                "variables": {"n": 500},
            },
            400,
            "COST_ESTIMATED_TOO_EXPENSIVE",
        ),
        ({}, [{"query": "{ users { id } }"}], 400, "BATCHING_NOT_ENABLED"),
        (
            {"batching": True, "max_batch_size": 1},
            [{"query": "{ users { id } }"}] * 2,
            400,
            "BATCH_LIMIT_EXCEEDED",
        ),
    ],
)
async def test_refused_before_any_subgraph_call(
    users_orders: Supergraph, settings: dict[str, Any], body: Any, status: int, code: str | None
) -> None:
    client, mock = make_client(users_orders, **settings)
    response = await client.post("/graphql", json=body)
    assert response.status_code == status, response.text
    if code is None:
        return
    assert code_of(response) == code
    assert mock.requests == []


async def test_a_document_nested_ten_thousand_levels_is_a_400_on_get_too(
    users_orders: Supergraph,
) -> None:
    client, mock = make_client(users_orders)
    query = "{" * 10_000  # as short as it gets: a URL holds 64 kB
    response = await client.get("/graphql", params={"query": query}, headers=PREFLIGHT)
    assert (response.status_code, code_of(response)) == (400, "MAX_DEPTH_LIMIT")
    assert mock.requests == []


async def test_a_body_is_refused_while_streaming(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders, max_body_bytes=1000)

    async def stream() -> Any:  # no Content-Length: the limit applies as the chunks arrive
        yield b'{"query": "{ users { id } }", "pad": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    headers = {"Content-Type": "application/json"}
    response = await client.post("/graphql", content=stream(), headers=headers)
    assert (response.status_code, code_of(response)) == (413, "PAYLOAD_TOO_LARGE")
    assert mock.requests == []


async def test_csrf_refuses_simple_gets_and_lets_preflighted_ones_run(
    users_orders: Supergraph,
) -> None:
    client, mock = make_client(users_orders)
    params = {"query": "{ users { id } }"}
    refused = await client.get("/graphql", params=params)
    assert (refused.status_code, code_of(refused)) == (400, "CSRF_ERROR")
    assert mock.requests == []
    for header in (PREFLIGHT, {"X-Apollo-Operation-Name": "Users"}):
        response = await client.get("/graphql", params=params, headers=header)
        assert response.status_code == 200
    mutation = {"query": 'mutation { confirmOrder(id: "o1") { id } }'}
    response = await client.get("/graphql", params=mutation, headers=PREFLIGHT)
    assert response.status_code == 405
    # a form POST never runs (415, before CSRF); GraphiQL's page and JSON POSTs still work
    form = await client.post(
        "/graphql", content=b"query=%7B%7D", headers={"Content-Type": "text/plain"}
    )
    assert form.status_code == 415
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    # the built page, or (no frontend build) the page saying how to build it
    assert page.status_code in (200, 404)
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()


async def test_production_turns_introspection_off_but_keeps_typename(
    users_orders: Supergraph,
) -> None:
    client, mock = make_client(users_orders, env="production")
    for query in ("{ __schema { types { name } } }", '{ __type(name: "User") { name } }'):
        response = await client.post("/graphql", json={"query": query})
        assert (response.status_code, code_of(response)) == (400, "INTROSPECTION_DISABLED")
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
    assert mock.requests == []
    allowed, _ = make_client(users_orders, env="production", introspection=True)
    response = await allowed.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert response.status_code == 200


async def test_production_strips_field_suggestions(users_orders: Supergraph) -> None:
    development, _ = make_client(users_orders)
    production, _ = make_client(users_orders, env="production")
    query = {"query": "{ usrs { id } }"}
    assert "Did you mean" in (await development.post("/graphql", json=query)).text
    response = await production.post("/graphql", json=query)
    assert response.status_code == 400
    assert "Did you mean" not in response.text
    assert response.json()["errors"][0]["message"] == "Cannot query field 'usrs' on type 'Query'."


async def test_production_masks_subgraph_error_details(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders, env="production")
    query = {"query": '{ user(id: "u1") { name } }'}
    response = await client.post("/graphql", json=query, headers={"X-Request-ID": "req-7"})
    (error,) = response.json()["errors"]
    assert (
        error["message"] == "A subgraph failed to answer part of this request (request id req-7)."
    )
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-7"}
    assert "10.0.0.5" not in response.text and "Traceback" not in response.text
    development, _ = make_client(users_orders)
    assert "10.0.0.5" in (await development.post("/graphql", json=query)).text


async def test_cors_allows_listed_origins_only(users_orders: Supergraph) -> None:
    closed, _ = make_client(users_orders)
    body = {"query": "{ users { id } }"}
    response = await closed.post("/graphql", json=body, headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers
    client, _ = make_client(users_orders, cors_origins="https://app.example, https://x.example")
    listed = await client.post("/graphql", json=body, headers={"Origin": "https://app.example"})
    assert listed.headers["access-control-allow-origin"] == "https://app.example"
    other = await client.post("/graphql", json=body, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = await client.options(
        "/graphql",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,apollo-require-preflight,authorization",
        },
    )
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert {"apollo-require-preflight", "authorization", "content-type"} <= {
        name.strip() for name in allowed.split(",")
    }


async def test_an_enabled_batch_runs_each_operation_in_order(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders, batching=True)
    batch = [
        {"query": "{ users { id } }"},
        {"query": "{ nope }"},
        {"query": "{ __typename }"},
    ]
    response = await client.post("/graphql", json=batch)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first == {"data": {"users": [{"id": "u1"}]}}
    assert second["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert third == {"data": {"__typename": "Query"}}
    assert len(mock.requests) == 1


async def test_the_cached_cost_follows_the_variables(users_orders: Supergraph) -> None:
    """The cost is cached per document and variables: the same document with a larger page is
    estimated again, not served the cheap estimate."""
    client, _ = make_client(users_orders, max_cost=100)
    query = "query($n: Int!) { orders(pageSize: $n) { items { id } } }"
    cheap = await client.post("/graphql", json={"query": query, "variables": {"n": 2}})
    assert cheap.status_code == 200, cheap.text
    dear = await client.post("/graphql", json={"query": query, "variables": {"n": 500}})
    assert (dear.status_code, code_of(dear)) == (400, "COST_ESTIMATED_TOO_EXPENSIVE")
    again = await client.post("/graphql", json={"query": query, "variables": {"n": 2}})
    assert again.status_code == 200, again.text
