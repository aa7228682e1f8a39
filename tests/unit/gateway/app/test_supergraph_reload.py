"""Supergraph reloads: driven by `reload_if_changed()`, no sleeping and no sockets."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.reload import sdl_hash
from gateway.app.runtime import GatewayRuntime
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

FIXTURES = Path(__file__).parents[1] / "fixtures"


def reloads(result: str) -> float:
    value = REGISTRY.get_sample_value("gateway_supergraph_reloads_total", {"result": result})
    return value or 0.0


def app_for(
    path: Path, client: MockSubgraphClient | None = None, **environ: str
) -> httpx.AsyncClient:
    app = create_app(GatewaySettings(supergraph_path=path), client=client, environ=environ)
    transport = httpx.ASGITransport(app=app)
    client_ = httpx.AsyncClient(transport=transport, base_url="http://gateway")
    client_.runtime = app.state.runtime  # type: ignore[attr-defined]
    return client_


def runtime_of(client: httpx.AsyncClient) -> GatewayRuntime:
    return client.runtime  # type: ignore[attr-defined, no-any-return]


async def test_missing_file_serves_503_until_it_appears(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    client = app_for(path, MockSubgraphClient(lambda r: SubgraphResponse({})))
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.json() == {
        "status": "unavailable",
        "reason": f"cannot read supergraph {path}: No such file or directory",
    }
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SUPERGRAPH_UNAVAILABLE"
    assert await runtime_of(client).reload_if_changed() == "unchanged"  # still missing: no news

    sdl = (FIXTURES / "users_orders.graphql").read_bytes()
    path.write_bytes(sdl)
    before = reloads("success")
    assert await runtime_of(client).reload_if_changed() == "success"
    assert reloads("success") == before + 1
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json()["schemaHash"] == sdl_hash(sdl)
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_broken_file_is_refused_and_the_old_supergraph_keeps_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "supergraph.graphql"
    sdl = (FIXTURES / "users_orders.graphql").read_bytes()
    path.write_bytes(sdl)
    client = app_for(path, MockSubgraphClient(lambda r: SubgraphResponse({})))
    old = runtime_of(client).current
    path.write_text("type Query {")
    before = reloads("failure")
    with caplog.at_level(logging.ERROR, logger="gateway.app.runtime"):
        assert await runtime_of(client).reload_if_changed() == "failure"
    assert reloads("failure") == before + 1
    (record,) = caplog.records
    assert record.reason.startswith(f"{path}: invalid supergraph SDL: Syntax Error")  # type: ignore[attr-defined]
    assert record.serving_hash == sdl_hash(sdl)  # type: ignore[attr-defined]
    assert runtime_of(client).current is old
    health = (await client.get("/health")).json()
    assert health["status"] == "ok" and health["schemaHash"] == sdl_hash(sdl)
    assert "Syntax Error" in health["lastReloadError"]
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
    # The same broken content is not refused (nor logged) again at every poll.
    path.write_text("type Query {")
    assert await runtime_of(client).reload_if_changed() == "unchanged"


async def test_a_valid_change_replaces_the_schema_and_the_caches(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_bytes((FIXTURES / "users_orders.graphql").read_bytes())
    client = app_for(path, MockSubgraphClient(lambda r: SubgraphResponse({})))
    old = runtime_of(client).current
    assert old is not None
    query = {"query": '{ __type(name: "Product") { name } }'}
    assert (await client.post("/graphql", json=query)).json()["data"] == {"__type": None}
    inventory = (FIXTURES / "inventory.graphql").read_bytes()
    path.write_bytes(inventory)
    assert await runtime_of(client).reload_if_changed() == "success"
    new = runtime_of(client).current
    assert new is not None and new is not old and len(new.documents) == 0
    assert new.schema_hash == sdl_hash(inventory)
    data = (await client.post("/graphql", json=query)).json()["data"]
    assert data == {"__type": {"name": "Product"}}
    # Writing the same content again (new mtime) is not a reload.
    path.write_bytes(inventory)
    assert await runtime_of(client).reload_if_changed() == "unchanged"


async def test_in_flight_requests_finish_on_the_state_they_started_with(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_bytes((FIXTURES / "users_orders.graphql").read_bytes())
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow(request: SubgraphRequest) -> SubgraphResponse:
        started.set()
        await release.wait()
        return SubgraphResponse({"users": [{"id": "u1"}]})

    client = app_for(path, MockSubgraphClient(slow))
    runtime = runtime_of(client)
    old = runtime.current
    assert old is not None
    pending = asyncio.create_task(client.post("/graphql", json={"query": "{ users { id } }"}))
    await started.wait()
    assert runtime.in_flight(old) == 1
    path.write_bytes((FIXTURES / "inventory.graphql").read_bytes())
    assert await runtime.reload_if_changed() == "success"
    release.set()
    response = await pending
    assert response.json() == {"data": {"users": [{"id": "u1"}]}}
    assert runtime.in_flight(old) == 0


async def test_http_clients_survive_an_unchanged_url_and_close_after_draining(
    tmp_path: Path,
) -> None:
    path = tmp_path / "supergraph.graphql"
    sdl = (FIXTURES / "users_orders.graphql").read_text()
    path.write_text(sdl)
    client = app_for(path)
    runtime = runtime_of(client)
    assert runtime.pool is not None
    first = runtime.pool.clients_for(runtime.current.supergraph.graphs)  # type: ignore[union-attr]
    async with runtime.use():
        path.write_text(sdl.replace("127.0.0.1:8081", "users.internal:8081"))
        assert await runtime.reload_if_changed() == "success"
        second = runtime.pool.clients_for(runtime.current.supergraph.graphs)  # type: ignore[union-attr]
        assert second["orders"] is first["orders"]  # same name and URL: pool and breaker kept
        assert second["users"] is not first["users"]
        await runtime.drained()
        assert not first["users"].is_closed  # the old request still runs
    await runtime.drained()
    assert first["users"].is_closed
    assert not first["orders"].is_closed
    await runtime.aclose()


async def test_url_overrides_apply_to_reloaded_supergraphs(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    sdl = (FIXTURES / "users_orders.graphql").read_text()
    path.write_text(sdl)
    client = app_for(
        path,
        MockSubgraphClient(lambda r: SubgraphResponse({})),
        GATEWAY_SUBGRAPH_USERS_URL="http://users:9/graphql",
    )
    path.write_text(sdl.replace("127.0.0.1:8082", "orders.internal:8082"))
    assert await runtime_of(client).reload_if_changed() == "success"
    subgraphs = (await client.get("/health")).json()["subgraphs"]
    assert {s["name"]: s["url"] for s in subgraphs} == {
        "orders": "http://orders.internal:8082/graphql",
        "users": "http://users:9/graphql",
    }


def test_a_refused_reload_logs_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from common.logging import JsonFormatter

    path = tmp_path / "supergraph.graphql"
    client = app_for(path, MockSubgraphClient(lambda r: SubgraphResponse({})))
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("gateway"))
    logger = logging.getLogger("gateway.app.runtime")
    logger.addHandler(handler)
    try:
        path.write_text("type Query { a: Int }")
        assert asyncio.run(runtime_of(client).reload_if_changed()) == "failure"
    finally:
        logger.removeHandler(handler)
    (line,) = capsys.readouterr().err.splitlines()
    entry = json.loads(line)
    assert entry["event"] == "supergraph_reload" and entry["result"] == "failure"
    assert "not a supergraph" in entry["reason"]
