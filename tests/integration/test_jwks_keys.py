"""`JwksKeys` against a real JWKS server (Starlette under uvicorn on a free port)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from common.auth import AuthSettings, JwksKeys, verify_token
from common.errors import Unauthenticated
from devstack.processes import free_port
from tests.unit.common.auth.keys import ec_key, jwks, rsa_key


class JwksServer:
    """Serves `document` at `/jwks.json` and counts the requests."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.requests = 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/jwks.json"

    async def serve(self, request: Request) -> JSONResponse:
        self.requests += 1
        return JSONResponse(self.document)


@pytest.fixture
def server() -> Iterator[JwksServer]:
    jwks_server = JwksServer()
    app = Starlette(routes=[Route("/jwks.json", jwks_server.serve)])
    config = uvicorn.Config(app, host="127.0.0.1", port=jwks_server.port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "the JWKS server did not start"
        time.sleep(0.01)
    yield jwks_server
    uv.should_exit = True
    thread.join(timeout=10)


def signed(key: Any, kid: str, algorithm: str) -> str:
    now = int(time.time())
    claims = {
        "sub": "order-service",
        "roles": ["service"],
        "iss": "enterprise-microservice-system",
        "aud": "enterprise-microservice-system",
        "iat": now,
        "exp": now + 60,
    }
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


@pytest.mark.parametrize(("algorithm", "make_key"), [("RS256", rsa_key), ("ES256", ec_key)])
async def test_keys_rotate_through_a_real_jwks_server(
    server: JwksServer, algorithm: str, make_key: Any
) -> None:
    first, second = make_key(), make_key()
    server.document = jwks((first, "first"))
    settings = AuthSettings(  # type: ignore[call-arg]
        _env_file=None, auth_jwt_algorithm=algorithm, auth_jwks_url=server.url
    )
    clock = [0.0]
    keys = JwksKeys.from_settings(settings, clock=lambda: clock[0])
    try:
        claims = await verify_token(signed(first, "first", algorithm), settings, keys)
        assert claims.subject == "order-service"
        server.document = jwks((first, "first"), (second, "second"))
        rotated = signed(second, "second", algorithm)
        with pytest.raises(Unauthenticated, match="unknown key"):
            await verify_token(rotated, settings, keys)  # within the cooldown
        assert server.requests == 1
        clock[0] += settings.auth_jwks_cooldown_seconds
        assert (await verify_token(rotated, settings, keys)).roles == ("service",)
        assert server.requests == 2
    finally:
        await keys.aclose()
