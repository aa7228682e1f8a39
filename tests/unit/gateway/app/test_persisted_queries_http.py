"""Persisted queries over HTTP (httpx.ASGITransport, a mock subgraph client): Apollo's APQ round
trip by POST and GET, the protocol's errors, and the safelist, which never lets another document
reach a subgraph."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

PREFLIGHT = {"Apollo-Require-Preflight": "true"}
QUERY = "query Users { users { id name } }"
OTHER = "{ users { id } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(text)}}


def answer(request: SubgraphRequest) -> SubgraphResponse:
    return SubgraphResponse({"users": [{"id": "u1", "name": "Ada"}]})


def make_client(supergraph: Supergraph, **settings: Any) -> tuple[httpx.AsyncClient, Any]:
    mock = MockSubgraphClient(answer)
    app = create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), mock


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_the_apq_round_trip_by_post(users_orders: Supergraph, tmp_path: Path) -> None:
    client, mock = make_client(users_orders, persisted_queries_manifest=tmp_path / "none.json")
    body = {"extensions": persisted(QUERY), "operationName": "Users"}
    miss = await client.post("/graphql", json=body)
    assert (miss.status_code, code_of(miss)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert miss.headers["cache-control"] == "private, no-cache, must-revalidate"
    assert mock.requests == []

    registered = await client.post("/graphql", json={**body, "query": QUERY})
    assert registered.status_code == 200
    assert registered.json() == {"data": {"users": [{"id": "u1", "name": "Ada"}]}}
    hit = await client.post("/graphql", json=body)
    assert hit.json() == registered.json()


async def test_the_apq_round_trip_by_get(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders)
    extensions = json.dumps(persisted(QUERY))
    miss = await client.get("/graphql", params={"extensions": extensions}, headers=PREFLIGHT)
    assert code_of(miss) == "PERSISTED_QUERY_NOT_FOUND"
    params = {"extensions": extensions, "query": QUERY}
    assert (await client.get("/graphql", params=params, headers=PREFLIGHT)).status_code == 200
    hit = await client.get("/graphql", params={"extensions": extensions}, headers=PREFLIGHT)
    assert hit.json()["data"]["users"][0]["name"] == "Ada"


async def test_a_mismatched_hash_is_a_400_and_runs_nothing(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    response = await client.post("/graphql", json={"query": OTHER, "extensions": persisted(QUERY)})
    assert (response.status_code, code_of(response)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")
    assert mock.requests == []


async def test_off_says_persisted_queries_are_not_supported(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders, persisted_queries="off")
    response = await client.post("/graphql", json={"extensions": persisted(QUERY)})
    assert (response.status_code, code_of(response)) == (400, "PERSISTED_QUERY_NOT_SUPPORTED")
    assert (await client.post("/graphql", json={"query": QUERY})).status_code == 200


async def test_no_query_and_no_persisted_query_is_still_a_400(users_orders: Supergraph) -> None:
    client, _ = make_client(users_orders)
    response = await client.post("/graphql", json={"extensions": {}})
    assert (response.status_code, code_of(response)) == (400, "BAD_REQUEST")


async def test_the_safelist_runs_trusted_operations_only(
    users_orders: Supergraph, tmp_path: Path
) -> None:
    manifest = tmp_path / "manifest.json"
    operations = [{"id": sha(QUERY), "body": QUERY, "name": "Users", "type": "query"}]
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    client, mock = make_client(
        users_orders, persisted_queries="safelist", persisted_queries_manifest=manifest
    )
    by_id = await client.post("/graphql", json={"extensions": persisted(QUERY)})
    assert by_id.json()["data"]["users"][0]["id"] == "u1"
    by_text = await client.post("/graphql", json={"query": QUERY})
    assert by_text.status_code == 200
    sent = len(mock.requests)

    other = await client.post("/graphql", json={"query": OTHER})
    assert (other.status_code, code_of(other)) == (403, "QUERY_NOT_IN_SAFELIST")
    registering = await client.post(
        "/graphql", json={"query": OTHER, "extensions": persisted(OTHER)}
    )
    assert (registering.status_code, code_of(registering)) == (404, "PERSISTED_QUERY_NOT_IN_LIST")
    unknown = await client.get(
        "/graphql", params={"extensions": json.dumps(persisted(OTHER))}, headers=PREFLIGHT
    )
    assert (unknown.status_code, code_of(unknown)) == (404, "PERSISTED_QUERY_NOT_IN_LIST")
    assert len(mock.requests) == sent  # nothing refused reached a subgraph
