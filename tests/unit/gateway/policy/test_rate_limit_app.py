"""Rate limits through the HTTP app (local backend): headers, the 429 and its body."""

from __future__ import annotations

import httpx

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse


def make_client(supergraph: Supergraph, **settings: object) -> tuple[httpx.AsyncClient, list[int]]:
    calls: list[int] = []

    def answer(request: SubgraphRequest) -> SubgraphResponse:
        calls.append(1)
        return SubgraphResponse({"orders": {"items": [{"id": "o1"}]}})

    app = create_app(
        GatewaySettings(**settings),  # type: ignore[arg-type]
        supergraph=supergraph,
        client=MockSubgraphClient(answer),
        environ={},
    )
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), calls


async def test_a_burst_is_admitted_then_429_before_any_subgraph_call(
    users_orders: Supergraph,
) -> None:
    # one request per 100 s: the refill cannot matter however slow the test runs
    client, calls = make_client(users_orders, rate_limit=0.01, rate_burst=2)
    query = {"query": "query Orders { orders { items { id } } }", "operationName": "Orders"}
    first = await client.post("/graphql", json=query)
    second = await client.post("/graphql", json=query)
    assert [first.status_code, second.status_code] == [200, 200]
    assert first.headers["RateLimit-Limit"] == "2"
    assert [first.headers["RateLimit-Remaining"], second.headers["RateLimit-Remaining"]] == [
        "1",
        "0",
    ]
    assert "retry-after" not in second.headers
    served = len(calls)

    refused = await client.post("/graphql", json=query)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "100"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Limit"] == "2"
    assert int(refused.headers["RateLimit-Reset"]) >= 199
    error = refused.json()["errors"][0]
    assert error["extensions"] == {"code": "RATE_LIMITED"}
    assert "retry after 100 second" in error["message"]
    assert len(calls) == served  # refused before planning and execution

    other = await client.post("/graphql", json={"query": "{ __typename }"})
    assert other.status_code == 200  # another operation, another bucket
    health = (await client.get("/health")).json()
    assert health["rate_limit"] == {
        "backend": "local",
        "rate": 0.01,
        "burst": 2,
        "clientRate": 0.03,
        "clientBurst": 6,
        "tokenRate": 0.2,
        "tokenBurst": 10,
    }
    metrics = (await client.get("/metrics")).text
    assert 'gateway_rate_limit_backend{backend="local"} 1.0' in metrics
    assert "gateway_rate_limited_total" in metrics


async def test_a_client_refusal_comes_before_parsing(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders, rate_limit=0.01, rate_burst=1, client_rate_burst=1)
    assert (await client.post("/graphql", json={"query": "{ broken"})).status_code == 400
    assert (await client.post("/graphql", json={"query": "{ broken"})).status_code == 429


async def test_forwarded_for_is_used_only_when_trusted(users_orders: Supergraph) -> None:
    for trust, second_status in ((True, 200), (False, 429)):
        client, _ = make_client(
            users_orders, rate_limit=0.01, rate_burst=1, trust_forwarded_for=trust
        )
        query = {"query": "{ __typename }"}
        first = await client.post("/graphql", json=query, headers={"X-Forwarded-For": "1.2.3.4"})
        second = await client.post(
            "/graphql", json=query, headers={"X-Forwarded-For": "5.6.7.8, 1.2.3.4"}
        )
        assert (first.status_code, second.status_code) == (200, second_status)


async def test_rate_limit_zero_turns_it_off(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders, rate_limit=0, token_rate_limit=0)
    for _ in range(5):
        response = await client.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 200
        assert "ratelimit-limit" not in response.headers
    assert (await client.get("/health")).json()["rate_limit"] == {"backend": "off"}
