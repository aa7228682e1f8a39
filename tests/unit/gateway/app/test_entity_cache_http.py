"""The entity cache in the app (a mock subgraph client that says `Cache-Control`): the second
read is answered from the cache and says so in `extensions.cache`; a mutation retires it."""

from __future__ import annotations

import httpx

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

QUERY = "{ users { id name } }"


def answer(request: SubgraphRequest) -> SubgraphResponse:
    if request.is_mutation:
        return SubgraphResponse({"createUser": {"id": "u2"}})
    return SubgraphResponse(
        {"users": [{"id": "u1", "name": "Ada"}]}, owned=True, cache_control="max-age=60, public"
    )


async def test_a_second_read_comes_from_the_cache_until_a_mutation(
    users_orders: Supergraph,
) -> None:
    mock = MockSubgraphClient(answer)
    settings = GatewaySettings(cache_enabled=True, rate_limit=0)
    app = create_app(settings, supergraph=users_orders, client=mock, environ={})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        first = (await client.post("/graphql", json={"query": QUERY})).json()
        second = (await client.post("/graphql", json={"query": QUERY})).json()
        assert first["data"] == second["data"] == {"users": [{"id": "u1", "name": "Ada"}]}
        assert first["extensions"]["cache"]["misses"] == 1
        assert second["extensions"]["cache"] == {
            "hits": 1,
            "misses": 0,
            "types": {"root": {"hits": 1, "misses": 0}},
        }
        assert len(mock.requests) == 1
        mutation = 'mutation { createUser(name: "B", email: "b@x.io") { id } }'
        assert (await client.post("/graphql", json={"query": mutation})).status_code == 200
        third = (await client.post("/graphql", json={"query": QUERY})).json()
        assert third["extensions"]["cache"]["misses"] == 1  # the mutation retired it
        assert len(mock.requests) == 3
        cache_off = create_app(
            GatewaySettings(rate_limit=0), supergraph=users_orders, client=mock, environ={}
        )
        plain = httpx.ASGITransport(app=cache_off)
        async with httpx.AsyncClient(transport=plain, base_url="http://gateway") as other:
            assert "extensions" not in (await other.post("/graphql", json={"query": QUERY})).json()
