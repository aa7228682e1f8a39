"""The account endpoints: request validation, the operation each runs, the answer's shape.

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain (gateway, users subgraph, database) is exercised in
tests/integration/test_user_sessions.py.
"""

from __future__ import annotations

import pytest

from tests.unit.gateway.rest.support import Result, Runner, answering, client, failing

USER = {
    "id": "7",
    "email": "ada@example.com",
    "username": "ada",
    "name": "Ada",
    "role": "USER",
    "active": True,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-01T00:00:00Z",
}
SESSION = {
    "accessToken": "a",
    "refreshToken": "r",
    "tokenType": "Bearer",
    "expiresIn": 3600,
    "user": USER,
}


async def test_register_is_201_with_location_and_snake_case() -> None:
    runner = answering("register", SESSION)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/users/register",
            json={"email": "ada@example.com", "username": "ada", "password": "pw-12345678"},
        )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/v1/users/7"
    assert response.headers["cache-control"] == "no-store"
    data = response.json()["data"]
    assert data["access_token"] == "a" and data["token_type"] == "Bearer"
    assert data["user"]["created_at"] == USER["createdAt"]
    [(_, variables, name)] = runner.calls
    assert name == "Register"
    assert variables == {
        "input": {"email": "ada@example.com", "username": "ada", "password": "pw-12345678"}
    }


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "BAD_REQUEST"),
        (b'{"email": "a@b.c"}', 422, "VALIDATION_FAILED"),
        (b'{"email": "a@b.c", "password": "x", "admin": true}', 422, "VALIDATION_FAILED"),
        (b'{"email": "a@b.c", "username": "a", "password": "x"}', 422, "VALIDATION_FAILED"),
        (b'{"password": "x"}', 422, "VALIDATION_FAILED"),
        (b'{"email": 5, "password": "x"}', 422, "VALIDATION_FAILED"),
    ],
)
async def test_malformed_logins_never_reach_the_graph(body: bytes, status: int, code: str) -> None:
    runner = answering("login", SESSION)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/users/login", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert runner.calls == []


async def test_login_accepts_email_username_or_login() -> None:
    runner = answering("login", SESSION)
    async with client(runner) as http:
        for name in ("email", "username", "login"):
            ok = await http.post("/api/v1/users/login", json={name: "ada", "password": "pw"})
            assert ok.status_code == 200
    assert [call[1] for call in runner.calls] == [{"input": {"login": "ada", "password": "pw"}}] * 3


async def test_a_throttled_login_is_429_with_retry_after() -> None:
    throttled = failing(
        "login",
        "TOO_MANY_ATTEMPTS",
        "Too many failed logins; try again in 60 seconds.",
        retryAfter=60,
    )
    async with client(throttled) as http:
        response = await http.post("/api/v1/users/login", json={"email": "a", "password": "b"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "60"
    assert response.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"


async def test_me_without_a_token_is_401_and_with_one_the_user() -> None:
    anonymous = {
        "data": {"me": None},
        "errors": [
            {"message": "Sign in first", "path": ["me"], "extensions": {"code": "UNAUTHENTICATED"}}
        ],
    }
    async with client(Runner(Result(200, anonymous))) as http:
        refused = await http.get("/api/v1/users/me")
    async with client(answering("me", USER)) as http:
        served = await http.get("/api/v1/users/me")
    assert refused.status_code == 401 and refused.json()["success"] is False
    assert served.json() == {
        "success": True,
        "data": {
            **{k: v for k, v in USER.items() if k not in ("createdAt", "updatedAt")},
            "id": 7,
            "age": None,
            "role": "user",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        },
    }


async def test_refresh_and_logout() -> None:
    refresh = answering("refreshToken", SESSION)
    logout = answering("logout", True)
    async with client(refresh) as http:
        renewed = await http.post("/api/v1/users/refresh", json={"refresh_token": "r0"})
    async with client(logout) as http:
        out = await http.post(
            "/api/v1/users/logout", json={"refresh_token": "r1", "everywhere": True}
        )
    assert renewed.json()["data"]["refresh_token"] == "r"
    assert refresh.calls[0][1] == {"token": "r0"}
    assert out.json() == {"success": True, "data": {"logged_out": True}}
    assert logout.calls[0][1] == {"token": "r1", "everywhere": True}
