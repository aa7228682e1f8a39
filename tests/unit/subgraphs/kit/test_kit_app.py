"""The HTTP app, driven in-process through ASGI: /graphql, /health, /metrics, request ids."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from common.auth import Identity
from subgraphs.kit.app import create_service_app
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UsersBase
from subgraphs.users.settings import UserServiceSettings
from tests.support.identity import ADMIN_IDENTITY, internal_headers


def client_for(app, identity: Identity | None = ADMIN_IDENTITY) -> httpx.AsyncClient:
    """A client sending what the gateway would: an internal token for `identity`."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://users",
        headers=internal_headers(identity),
    )


@pytest.fixture
async def app(make_engine):
    engine = await make_engine(UsersBase.metadata)
    return create_service_app(SUBGRAPH, UserServiceSettings(env="development"), engine=engine)


async def test_health_checks_the_database(app) -> None:
    async with client_for(app) as client:
        response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "users", "database": "ok"}


async def test_health_is_503_when_the_database_fails(tmp_path) -> None:
    # A directory is not a database file: every connection attempt fails.
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}")
    app = create_service_app(SUBGRAPH, UserServiceSettings(), engine=engine)
    try:
        async with client_for(app) as client:
            response = await client.get("/health")
    finally:
        await engine.dispose()

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unreachable"


async def test_graphql_answers_and_echoes_the_request_id(app) -> None:
    async with client_for(app) as client:
        created = await client.post(
            "/graphql",
            json={"query": 'mutation { createUser(input: {email: "a@b.io", name: "A"}) { id } }'},
        )
        listed = await client.post(
            "/graphql",
            json={"query": "{ users { items { email } } }"},
            headers={"X-Request-ID": "req-123"},
        )

    assert created.json() == {"data": {"createUser": {"id": "1"}}}
    assert listed.json() == {"data": {"users": {"items": [{"email": "a@b.io"}]}}}
    assert listed.headers["x-request-id"] == "req-123"


async def test_internal_errors_quote_the_request_id(app, monkeypatch) -> None:
    async def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("subgraphs.users.service.UserService.list_page", broken)
    async with client_for(app) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ users { items { id } } }"},
            headers={"X-Request-ID": "trace-42"},
        )

    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL"}
    assert "trace-42" in error["message"]
    assert "boom" not in error["message"]


async def test_metrics_count_requests_under_the_service_prefix(app) -> None:
    async with client_for(app) as client:
        await client.get("/health")
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert 'user_service_requests_total{method="GET",path="/health",status="200"}' in response.text


async def test_graphiql_only_in_development(make_engine, monkeypatch) -> None:
    # Production refuses default secrets at start-up.
    monkeypatch.setenv("AUTH_JWT_SECRET", "j" * 32)
    monkeypatch.setenv("AUTH_INTERNAL_SECRET", "i" * 32)
    engine = await make_engine(UsersBase.metadata)
    html = {"Accept": "text/html"}
    dev = create_service_app(SUBGRAPH, UserServiceSettings(env="development"), engine=engine)
    prod = create_service_app(SUBGRAPH, UserServiceSettings(env="production"), engine=engine)

    async with client_for(dev) as client:
        ide = await client.get("/graphql", headers=html)
    async with client_for(prod, None) as client:
        no_ide = await client.get("/graphql", headers=html)

    assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    assert no_ide.status_code != 200
