"""Refusals under /api in the envelope: bodies, unknown paths and methods, and path ids."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from common.auth import AuthSettings
from common.metrics import MetricsMiddleware, RequestMetrics
from gateway.rest import install_rest
from gateway.rest.errors import MAX_BODY_BYTES
from tests.unit.gateway.rest.support import Result, fresh_client


async def _never(*_: Any) -> Any:
    raise AssertionError("a refused request runs no operation")


def client(app: FastAPI | None = None) -> httpx.AsyncClient:
    return fresh_client(_never, app)


def refusal(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code
    assert response.headers["cache-control"] == "no-store"
    return dict(body["error"])


async def test_bodies_refused_before_the_handler() -> None:
    as_json = {"content-type": "application/json"}
    async with client() as http:
        refusal(
            await http.post("/api/v1/orders", content=b"{", headers=as_json), 400, "BAD_REQUEST"
        )
        big = b'{"notes": "' + b"x" * MAX_BODY_BYTES + b'"}'
        refusal(
            await http.post("/api/v1/orders", content=big, headers=as_json),
            413,
            "PAYLOAD_TOO_LARGE",
        )
        form = {"content-type": "text/plain"}
        refusal(
            await http.post("/api/v1/orders", content=b"{}", headers=form),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        )
        error = refusal(
            await http.post("/api/v1/orders", json={"quantity": 0}), 422, "VALIDATION_FAILED"
        )
    fields = {(p["field"], p["in"]) for p in error["details"]["problems"]}
    assert ("quantity", "body") in fields


async def test_unknown_paths_and_methods() -> None:
    async with client() as http:
        missing = refusal(await http.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
        assert "/openapi.json" in missing["message"]
        # Not an id: no route has that path.
        refusal(await http.get("/api/v1/orders/abc"), 404, "NOT_FOUND")
        # `login` is not an id either, so PUT finds only the POST route of /users/login.
        put_login = await http.put("/api/v1/users/login", json={})
        refusal(put_login, 405, "METHOD_NOT_ALLOWED")
        assert put_login.headers["allow"] == "POST"
        # Every method served at the path, not only the first route's.
        options = await http.options("/api/v1/orders")
        refusal(options, 405, "METHOD_NOT_ALLOWED")
        assert options.headers["allow"] == "GET, POST"
        too_big = refusal(await http.get(f"/api/v1/orders/{2**31}"), 422, "VALIDATION_FAILED")
    assert too_big["details"]["problems"][0] == {
        "field": "order_id",
        "in": "path",
        "message": "Input should be less than or equal to 2147483647",
    }


async def test_other_paths_keep_fastapis_answers() -> None:
    app = FastAPI()
    async with client(app) as http:
        response = await http.get("/elsewhere")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


async def test_requests_are_counted_under_the_route_template() -> None:
    app = FastAPI()
    metrics = RequestMetrics("rest_unit_test")
    app.add_middleware(MetricsMiddleware, metrics=metrics, known_paths=frozenset())
    async with client(app) as http:
        await http.get("/api/v1/orders/0")
        await http.get("/api/v1/no/such/path")
    template = metrics.requests.labels("GET", "/api/v1/orders/{order_id}", "422")
    other = metrics.requests.labels("GET", "other", "404")
    assert template._value.get() == 1
    assert other._value.get() == 1


async def test_an_answer_the_shim_cannot_shape_is_500_in_the_envelope() -> None:
    # The graph answering what the REST model cannot hold is our bug: no trace reaches the
    # client, the request id does (the log has the rest).
    async def odd_answer(*_: Any) -> Any:
        return Result(200, {"data": {"order": {"id": "not a number"}}})

    app = FastAPI()
    install_rest(app, AuthSettings(), odd_answer, version="test")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
        response = await http.get("/api/v1/orders/1")
    error = refusal(response, 500, "INTERNAL")
    assert "Traceback" not in response.text and "validation error" not in response.text
    assert "request id" in error["message"]
