"""Hardening over HTTP (httpx.ASGITransport): security headers on every answer, an unexpected
500 included; production's `/health` minimal and `/metrics` behind GATEWAY_METRICS_TOKEN."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.operations import mask_credentials
from gateway.app.security_headers import HEADERS, SecurityHeaders
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphResponse

TOKEN = "unit-test-metrics-token-of-32-bytes-at-least"


def client_for(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


def gateway(supergraph: Supergraph, **settings: Any) -> httpx.AsyncClient:
    mock = MockSubgraphClient(lambda request: SubgraphResponse({}))
    return client_for(
        create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    )


def assert_secured(response: httpx.Response) -> None:
    for name, value in HEADERS:
        assert response.headers[name.decode()] == value.decode(), name


async def test_an_unexpected_500_carries_the_headers_too(users_orders: Supergraph) -> None:
    app = create_app(
        GatewaySettings(),
        supergraph=users_orders,
        client=MockSubgraphClient(lambda r: SubgraphResponse({})),
        environ={},
    )

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken.json", broken)  # a file name: no SPA page path takes it
    async with client_for(app) as client:
        response = await client.get("/broken.json")
    assert response.status_code == 500
    assert_secured(response)


async def test_a_policy_of_the_routes_own_is_kept() -> None:
    app = FastAPI()

    @app.get("/page")
    async def page() -> Any:
        return HTMLResponse("<p>hi</p>", headers={"Content-Security-Policy": "default-src 'self'"})

    async with client_for(SecurityHeaders(app)) as client:
        response = await client.get("/page")
    assert response.headers["content-security-policy"] == "default-src 'self'"
    assert response.headers["x-frame-options"] == "DENY"


async def test_production_without_a_metrics_token_serves_no_metrics(
    users_orders: Supergraph,
) -> None:
    async with gateway(users_orders, env="production") as client:
        assert (await client.get("/metrics")).status_code == 404
        health = await client.get("/health", headers={"Authorization": "Bearer anything"})
        assert health.json() == {"status": "ok"}


async def test_production_with_a_metrics_token(users_orders: Supergraph) -> None:
    async with gateway(users_orders, env="production", metrics_token=TOKEN) as client:
        refused = await client.get("/metrics")
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert_secured(refused)
        granted = await client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})
        assert granted.status_code == 200
        health = await client.get("/health", headers={"Authorization": f"Bearer {TOKEN}"})
        assert {"subgraphs", "schemaHash", "rate_limit", "idempotency"} <= set(health.json())


async def test_development_keeps_everything_open(users_orders: Supergraph) -> None:
    async with gateway(users_orders) as client:
        assert (await client.get("/metrics")).status_code == 200
        assert "subgraphs" in (await client.get("/health")).json()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+asyncpg://gw:s3cret@db:5432/gw", "postgresql+asyncpg://gw:***@db:5432/gw"),
        ("http://user:pw@users:8081/graphql", "http://user:***@users:8081/graphql"),
        ("http://users:8081/graphql", "http://users:8081/graphql"),
        ("sqlite+aiosqlite:///var/gateway.db", "sqlite+aiosqlite:///var/gateway.db"),
    ],
)
def test_credentials_in_urls_are_masked(url: str, shown: str) -> None:
    assert mask_credentials(url) == shown
