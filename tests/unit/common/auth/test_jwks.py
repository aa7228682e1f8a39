"""`JwksKeys` over a mock transport and a fake clock: keys by `kid`, refetched once per cooldown."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import jwt
import pytest

from common.auth import AuthSettings, JwksKeys, verify_token
from common.errors import Unauthenticated
from tests.unit.common.auth.keys import ec_key, jwks, rsa_key

URL = "http://keys.test/.well-known/jwks.json"
NOW = 1_700_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Published:
    """A JWKS endpoint whose document the test changes, counting requests."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.requests = 0
        self.status = 200

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(self.status, json=self.document)


def keys_over(published: Published, clock: Clock, algorithm: str = "RS256") -> JwksKeys:
    client = httpx.AsyncClient(transport=httpx.MockTransport(published.handler))
    return JwksKeys(URL, algorithm=algorithm, cooldown=300, clock=clock, client=client)


def settings(algorithm: str = "RS256") -> AuthSettings:
    return AuthSettings(  # type: ignore[call-arg]
        _env_file=None, auth_jwt_algorithm=algorithm, auth_jwks_url=URL
    )


def token(key: Any, kid: str | None, algorithm: str = "RS256", **claims: Any) -> str:
    payload = {
        "sub": "svc",
        "roles": ["service"],
        "iss": "enterprise-microservice-system",
        "aud": "enterprise-microservice-system",
        "iat": int(NOW),
        "exp": int(NOW) + 60,
        **claims,
    }
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


async def test_rs256_token_verifies_with_the_published_key() -> None:
    key = rsa_key()
    published, clock = Published(jwks((key, "k1"))), Clock()
    keys = keys_over(published, clock)
    claims = await verify_token(token(key, "k1"), settings(), keys, now=NOW)
    assert (claims.subject, claims.roles) == ("svc", ("service",))
    await verify_token(token(key, "k1"), settings(), keys, now=NOW)
    assert published.requests == 1  # cached


async def test_es256_token_verifies() -> None:
    key = ec_key()
    keys = keys_over(Published(jwks((key, "e1"))), Clock(), algorithm="ES256")
    claims = await verify_token(token(key, "e1", "ES256"), settings("ES256"), keys, now=NOW)
    assert claims.subject == "svc"


async def test_unknown_kid_refetches_at_most_once_per_cooldown() -> None:
    old, new = rsa_key(), rsa_key()
    published, clock = Published(jwks((old, "old"))), Clock()
    keys = keys_over(published, clock)
    await keys.key_for("old")
    assert published.requests == 1

    for _ in range(5):  # made-up kids within the cooldown: no fetch at all
        with pytest.raises(Unauthenticated, match="unknown key"):
            await verify_token(token(new, "nope"), settings(), keys, now=NOW)
    assert published.requests == 1

    published.document = jwks((old, "old"), (new, "new"))
    clock.now += 299
    with pytest.raises(Unauthenticated, match="unknown key"):
        await keys.key_for("new")
    assert published.requests == 1

    clock.now += 1  # cooldown over: one fetch finds the rotated key
    claims = await verify_token(token(new, "new"), settings(), keys, now=NOW)
    assert claims.subject == "svc"
    assert published.requests == 2
    with pytest.raises(Unauthenticated, match="unknown key"):
        await keys.key_for("still-unknown")
    assert published.requests == 2


async def test_a_failed_fetch_keeps_the_old_keys_and_counts_for_the_cooldown() -> None:
    key = rsa_key()
    published, clock = Published(jwks((key, "k1"))), Clock()
    keys = keys_over(published, clock)
    await keys.key_for("k1")
    published.status = 500
    clock.now += 300
    with pytest.raises(Unauthenticated, match="unknown key"):
        await keys.key_for("k2")
    assert (await keys.key_for("k1")).key_id == "k1"
    with pytest.raises(Unauthenticated):
        await keys.key_for("k2")
    assert published.requests == 2


async def test_token_without_kid_uses_the_only_key() -> None:
    key = rsa_key()
    keys = keys_over(Published(jwks((key, "only"))), Clock())
    assert (await verify_token(token(key, None), settings(), keys, now=NOW)).subject == "svc"


async def test_keys_for_another_algorithm_are_ignored() -> None:
    rsa, ec = rsa_key(), ec_key()
    keys = keys_over(Published(jwks((rsa, "r"), (ec, "e"))), Clock(), algorithm="ES256")
    assert (await keys.key_for("e")).key_id == "e"
    with pytest.raises(Unauthenticated, match="unknown key"):
        await keys.key_for("r")


async def test_a_token_signed_by_another_key_with_a_known_kid_has_a_bad_signature() -> None:
    published = Published(jwks((rsa_key(), "k1")))
    keys = keys_over(published, Clock())
    with pytest.raises(Unauthenticated, match="bad signature"):
        await verify_token(token(rsa_key(), "k1"), settings(), keys, now=NOW)


async def test_expiry_and_audience_hold_for_asymmetric_tokens() -> None:
    key = rsa_key()
    keys = keys_over(Published(jwks((key, "k1"))), Clock())
    with pytest.raises(Unauthenticated, match="expired"):
        await verify_token(token(key, "k1"), settings(), keys, now=NOW + 60 + 30)
    with pytest.raises(Unauthenticated, match="wrong audience"):
        await verify_token(token(key, "k1", aud="x"), settings(), keys, now=NOW)


def test_from_settings_reads_url_algorithm_and_cooldown() -> None:
    config = AuthSettings(  # type: ignore[call-arg]
        _env_file=None,
        auth_jwt_algorithm="ES256",
        auth_jwks_url=URL,
        auth_jwks_cooldown_seconds=12,
    )
    keys = JwksKeys.from_settings(config, client=httpx.AsyncClient())
    assert (keys.url, keys.algorithm, keys.cooldown) == (URL, "ES256", 12)


async def test_concurrent_unknown_kids_share_one_fetch() -> None:
    key = rsa_key()
    published = Published(jwks((key, "k1")))
    keys = keys_over(published, Clock())
    results = await asyncio.gather(
        *(keys.key_for("k1") for _ in range(5)),
        *(keys.key_for("zz") for _ in range(5)),
        return_exceptions=True,
    )
    assert published.requests == 1
    assert sum(isinstance(r, Unauthenticated) for r in results) == 5
