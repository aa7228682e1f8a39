"""`POST /api/v1/auth/token` over httpx.ASGITransport: credentials, roles and the envelope."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI

from common.auth import AuthSettings, verify_token
from common.errors import ConfigurationError
from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.rest import install_rest
from gateway.rest.errors import MAX_BODY_BYTES
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphResponse

PATH = "/api/v1/auth/token"
SECRET = "route-test-secret-of-at-least-32-bytes"


def auth(**overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {
        "auth_jwt_secret": SECRET,
        "auth_client_secret": "admin123",
        "auth_client_roles": "admin,user",
        **overrides,
    }
    return AuthSettings(_env_file=None, **values)  # type: ignore[call-arg]


async def _no_operations(*_: Any) -> Any:
    raise AssertionError("the token endpoint runs no GraphQL operation")


def client_for(settings: AuthSettings) -> httpx.AsyncClient:
    app = FastAPI()
    install_rest(app, settings, _no_operations, version="test")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def post(body: Any, settings: AuthSettings | None = None, **kwargs: Any) -> httpx.Response:
    async with client_for(settings or auth()) as client:
        if isinstance(body, bytes):
            return await client.post(PATH, content=body, **kwargs)
        return await client.post(PATH, json=body, **kwargs)


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert response.headers["cache-control"] == "no-store"
    return dict(body["error"])


async def test_issues_a_token_with_every_role_of_the_client() -> None:
    response = await post({"client_id": "admin", "client_secret": "admin123"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert set(data) == {"access_token", "token_type", "expires_in", "roles"}
    assert (data["token_type"], data["expires_in"], data["roles"]) == (
        "Bearer",
        3600,
        ["admin", "user"],
    )
    claims = await verify_token(data["access_token"], auth())
    assert (claims.subject, claims.roles) == ("admin", ("admin", "user"))


@pytest.mark.parametrize("roles", [["user"], ["user", "user"]])
async def test_issues_a_token_with_the_roles_asked_for(roles: list[str]) -> None:
    response = await post({"client_id": "admin", "client_secret": "admin123", "roles": roles})
    assert response.json()["data"]["roles"] == ["user"]
    token = response.json()["data"]["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["roles"] == ["user"]


async def test_empty_roles_mean_every_role_of_the_client() -> None:
    response = await post({"client_id": "admin", "client_secret": "admin123", "roles": []})
    assert response.json()["data"]["roles"] == ["admin", "user"]


async def test_ttl_comes_from_the_settings() -> None:
    body = {"client_id": "admin", "client_secret": "admin123"}
    response = await post(body, auth(auth_token_ttl_minutes=5))
    assert response.json()["data"]["expires_in"] == 300


@pytest.mark.parametrize(
    "credentials",
    [("admin", "wrong"), ("root", "admin123"), ("", ""), ("admin", "admin1234")],
)
async def test_wrong_credentials_are_401(credentials: tuple[str, str]) -> None:
    client_id, client_secret = credentials
    response = await post({"client_id": client_id, "client_secret": client_secret})
    error = error_of(response, 401, "UNAUTHENTICATED")
    assert "client_id or client_secret" in error["message"]


async def test_roles_beyond_the_client_are_403() -> None:
    body = {"client_id": "admin", "client_secret": "admin123", "roles": ["user", "root"]}
    error = error_of(await post(body), 403, "FORBIDDEN")
    assert "root" in error["message"]


async def test_wrong_credentials_win_over_roles() -> None:
    body = {"client_id": "admin", "client_secret": "nope", "roles": ["root"]}
    error_of(await post(body), 401, "UNAUTHENTICATED")


async def test_not_json_is_400() -> None:
    as_json = {"headers": {"content-type": "application/json"}}
    error = error_of(await post(b"{client_id: admin", **as_json), 400, "BAD_REQUEST")
    assert "JSON" in error["message"]
    error_of(await post(b"\xff\xfe", **as_json), 400, "BAD_REQUEST")


async def test_a_body_that_is_not_declared_json_is_415() -> None:
    form = {"headers": {"content-type": "application/x-www-form-urlencoded"}}
    error_of(await post(b"client_id=admin", **form), 415, "UNSUPPORTED_MEDIA_TYPE")
    error_of(await post(b'{"client_id": "admin"}'), 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_secret": "admin123"}, "client_id"),
        ({"client_id": "admin"}, "client_secret"),
        ({"client_id": 1, "client_secret": "admin123"}, "client_id"),
        ({"client_id": "admin", "client_secret": "admin123", "roles": "admin"}, "roles"),
        ({"client_id": "admin", "client_secret": "admin123", "scope": "x"}, "scope"),
        (["admin", "admin123"], "body"),
    ],
)
async def test_a_malformed_body_is_422_naming_the_field(body: Any, field: str) -> None:
    error = error_of(await post(body), 422, "VALIDATION_FAILED")
    assert field in [problem["field"] for problem in error["details"]["problems"]]
    assert field in error["message"]


async def test_an_oversized_body_is_413() -> None:
    error_of(await post(b" " * (MAX_BODY_BYTES + 1)), 413, "PAYLOAD_TOO_LARGE")


async def test_no_tokens_when_keys_come_from_an_identity_provider() -> None:
    settings = auth(auth_jwt_algorithm="RS256", auth_jwks_url="http://keys.invalid/jwks")
    body = {"client_id": "admin", "client_secret": "admin123"}
    error_of(await post(body, settings), 501, "TOKEN_ISSUING_DISABLED")


async def test_the_gateway_app_serves_the_route(
    users_orders: Supergraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_CLIENT_SECRET", "from-the-environment")
    mock = MockSubgraphClient(lambda request: SubgraphResponse({}))
    app = create_app(GatewaySettings(), supergraph=users_orders, client=mock, environ={})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        good = {"client_id": "admin", "client_secret": "from-the-environment"}
        response = await client.post(PATH, json=good)
        assert response.status_code == 200
        assert response.json()["data"]["roles"] == ["admin"]
        bad = await client.post(PATH, json={"client_id": "admin", "client_secret": "admin123"})
        error_of(bad, 401, "UNAUTHENTICATED")


def test_a_production_gateway_refuses_the_default_secret(
    users_orders: Supergraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTH_JWT_SECRET")
    mock = MockSubgraphClient(lambda request: SubgraphResponse({}))
    with pytest.raises(ConfigurationError, match="AUTH_JWT_SECRET"):
        create_app(
            GatewaySettings(env="production"), supergraph=users_orders, client=mock, environ={}
        )
