"""The httpx SubgraphClient over httpx.MockTransport: no socket is opened."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from common.request_id import request_id_scope
from gateway.transport import (
    BreakerSettings,
    HttpSubgraphClient,
    SubgraphRequest,
    SubgraphUnavailable,
)

URLS = {"users": "http://users.test/graphql"}


def client_with(
    handler: Callable[[httpx.Request], httpx.Response], max_requests: int = 3
) -> HttpSubgraphClient:
    return HttpSubgraphClient(
        URLS,
        transport=httpx.MockTransport(handler),
        breaker=BreakerSettings(max_requests=max_requests, interval=60, timeout=30),
    )


async def test_posts_graphql_json_and_forwards_request_id_and_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"me": {"id": "1"}}, "errors": [{"message": "x"}]})

    client = client_with(handler)
    with request_id_scope("req-123"):
        response = await client.execute(
            SubgraphRequest(
                "users",
                "query Q($id: ID){me{id}}",
                {"id": "1"},
                operation_name="Q",
                headers={"authorization": "Bearer t"},
            )
        )
    assert response.data == {"me": {"id": "1"}}
    assert response.errors == ({"message": "x"},)
    (request,) = seen
    assert str(request.url) == URLS["users"]
    assert request.headers["x-request-id"] == "req-123"
    assert request.headers["authorization"] == "Bearer t"
    assert json.loads(request.content) == {
        "query": "query Q($id: ID){me{id}}",
        "variables": {"id": "1"},
        "operationName": "Q",
    }
    await client.aclose()


def raising(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (raising(httpx.ReadTimeout("slow")), "request timed out"),
        (raising(httpx.ConnectError("Connection refused")), "cannot connect"),
        (lambda r: httpx.Response(503, text="down"), "HTTP 503"),
        (lambda r: httpx.Response(200, text="<html>"), "not a GraphQL JSON response"),
        (lambda r: httpx.Response(200, json=[1]), "not a GraphQL JSON response"),
        (lambda r: httpx.Response(404, text="nope"), "HTTP 404"),
    ],
)
async def test_failures_raise_subgraph_unavailable_naming_the_subgraph(
    handler: Callable[[httpx.Request], httpx.Response], reason: str
) -> None:
    client = client_with(handler)
    with pytest.raises(SubgraphUnavailable, match=reason) as info:
        await client.execute(SubgraphRequest("users", "{me{id}}"))
    assert info.value.subgraph == "users"
    assert str(info.value).startswith('Subgraph "users" is unavailable: ')


async def test_a_response_without_errors_has_none() -> None:
    client = client_with(lambda r: httpx.Response(200, json={"data": {"a": 1}}))
    response = await client.execute(SubgraphRequest("users", "{a}"))
    assert response.data == {"a": 1} and response.errors == ()


async def test_malformed_errors_are_reported_not_dropped() -> None:
    client = client_with(lambda r: httpx.Response(200, json={"data": None, "errors": "bad"}))
    response = await client.execute(SubgraphRequest("users", "{a}"))
    assert response.errors == ({"message": "The subgraph returned malformed errors."},)


async def test_a_graphql_error_body_on_400_is_a_response() -> None:
    client = client_with(lambda r: httpx.Response(400, json={"errors": [{"message": "bad"}]}))
    response = await client.execute(SubgraphRequest("users", "{nope}"))
    assert response.data is None and response.errors == ({"message": "bad"},)
    assert client.breaker_states() == {"users": "closed"}


async def test_the_breaker_opens_and_then_no_request_is_sent() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(500)

    client = client_with(handler, max_requests=2)
    for _ in range(2):
        with pytest.raises(SubgraphUnavailable, match="HTTP 500"):
            await client.execute(SubgraphRequest("users", "{me{id}}"))
    with pytest.raises(SubgraphUnavailable, match="circuit breaker is open"):
        await client.execute(SubgraphRequest("users", "{me{id}}"))
    assert calls == 2
    assert client.breaker_states() == {"users": "open"}


async def test_an_unknown_subgraph_is_unavailable() -> None:
    client = client_with(lambda r: httpx.Response(200, json={"data": {}}))
    with pytest.raises(SubgraphUnavailable, match="no such subgraph"):
        await client.execute(SubgraphRequest("nope", "{a}"))
