"""`JwksKeys`, and a gateway process, against a real JWKS server (Starlette under uvicorn on a
free port)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from common.auth import AuthSettings, JwksKeys, verify_token
from common.errors import Unauthenticated
from devstack.processes import ROOT, free_port, start, stop, wait_healthy
from devstack.stack import gateway_service
from tests.unit.common.auth.keys import ec_key, hs256_with_public_key, jwks, rsa_key


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


def test_the_gateway_verifies_rs256_tokens_with_the_jwks(server: JwksServer, tmp_path) -> None:
    """A real gateway process with RS256: keys come from the JWKS, an HS256 token signed with
    the published public key and a token with an unknown `kid` are 401, and unknown `kid`s do
    not make the gateway fetch the JWKS again within the cooldown."""
    key = rsa_key()
    server.document = jwks((key, "current"))
    gateway = gateway_service(
        free_port(),
        ROOT / "schema" / "supergraph.graphql",
        {},
        log_dir=tmp_path,
        extra_env={
            "AUTH_JWT_ALGORITHM": "RS256",
            "AUTH_JWKS_URL": server.url,
            "AUTH_JWKS_COOLDOWN_SECONDS": "300",
        },
    )
    start(gateway)
    try:
        wait_healthy(gateway, timeout=60)

        def ask(token: str) -> httpx.Response:
            return httpx.post(
                f"{gateway.url}/graphql",
                json={"query": "{ __typename }"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )

        accepted = ask(signed(key, "current", "RS256"))
        confused = ask(
            hs256_with_public_key(
                key,
                jwt.decode(signed(key, "current", "RS256"), options={"verify_signature": False}),
            )
        )
        unknown = [ask(signed(rsa_key(), f"rotated-{n}", "RS256")) for n in range(3)]
    finally:
        stop([gateway])

    assert accepted.json() == {"data": {"__typename": "Query"}}
    for refused in (confused, *unknown):
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "RS256" in confused.json()["errors"][0]["message"]
    assert "unknown key" in unknown[0].json()["errors"][0]["message"]
    assert server.requests == 1, "one fetch; unknown kids wait for the cooldown"
