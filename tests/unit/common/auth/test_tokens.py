"""Issuing and verifying tokens: every way a token can be wrong says what is wrong."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from common.auth import AuthSettings, issue_service_token, issue_token, verify_token
from common.errors import Unauthenticated
from tests.unit.common.auth.keys import hs256_with_public_key, rsa_key

SECRET = "a-test-secret-of-at-least-32-bytes!"
NOW = 1_700_000_000.0


def settings(**overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {"auth_jwt_secret": SECRET, **overrides}
    return AuthSettings(_env_file=None, **values)  # type: ignore[call-arg]


def signed(claims: dict[str, Any], key: Any = SECRET, algorithm: str = "HS256") -> str:
    base = {
        "sub": "admin",
        "roles": ["admin"],
        "iss": "enterprise-microservice-system",
        "aud": "enterprise-microservice-system",
        "iat": int(NOW),
        "exp": int(NOW) + 60,
    }
    return jwt.encode({**base, **claims}, key, algorithm=algorithm)


async def refused(token: str, config: AuthSettings | None = None, now: float = NOW) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await verify_token(token, config or settings(), now=now)
    assert caught.value.code == "UNAUTHENTICATED"
    return caught.value.message


async def test_an_issued_token_verifies() -> None:
    config = settings()
    token = issue_token("admin", ["admin", "user"], config, now=NOW)
    claims = await verify_token(token, config, now=NOW + 10)
    assert claims.subject == "admin"
    assert claims.roles == ("admin", "user")
    assert claims.expires_at.timestamp() == NOW + 3600
    assert claims.issued_at.timestamp() == NOW
    assert claims.token_id and claims.has_role("user")
    payload = jwt.decode(token, options={"verify_signature": False})
    assert set(payload) == {"sub", "roles", "scope", "iss", "aud", "iat", "exp", "jti"}
    assert payload["scope"] == "admin user"


async def test_extra_claims_are_added_but_cannot_replace_registered_ones() -> None:
    config = settings()
    token = issue_token("user:7", ["user"], config, now=NOW, extra_claims={"uid": 7, "sub": "x"})
    claims = await verify_token(token, config, now=NOW)
    assert claims.subject == "user:7"
    assert claims.raw["uid"] == 7
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


async def test_each_token_has_its_own_id() -> None:
    first, second = (issue_token("a", [], settings(), now=NOW) for _ in range(2))
    assert (
        jwt.decode(first, options={"verify_signature": False})["jti"]
        != jwt.decode(second, options={"verify_signature": False})["jti"]
    )


async def test_a_service_token_has_the_service_subject_and_roles() -> None:
    config = settings(auth_service_subject="billing", auth_service_roles="service, internal")
    claims = await verify_token(issue_service_token(config, now=NOW), config, now=NOW)
    assert (claims.subject, claims.roles) == ("billing", ("service", "internal"))


async def test_expired() -> None:
    token = issue_token("admin", ["admin"], settings(), now=NOW)
    assert "expired" in await refused(token, now=NOW + 3600 + 30)


async def test_expiry_allows_the_clock_skew() -> None:
    token = issue_token("admin", ["admin"], settings(), now=NOW)
    assert (await verify_token(token, settings(), now=NOW + 3600 + 29)).subject == "admin"
    no_skew = settings(auth_clock_skew_seconds=0)
    assert "expired" in await refused(token, no_skew, now=NOW + 3600)


async def test_issued_in_the_future_beyond_the_skew() -> None:
    token = issue_token("admin", ["admin"], settings(), now=NOW + 29)
    assert (await verify_token(token, settings(), now=NOW)).subject == "admin"
    later = issue_token("admin", ["admin"], settings(), now=NOW + 31)
    assert "not valid yet" in await refused(later)


async def test_wrong_audience() -> None:
    assert "wrong audience" in await refused(signed({"aud": "another-system"}))


async def test_wrong_issuer() -> None:
    assert "wrong issuer" in await refused(signed({"iss": "someone-else"}))


async def test_bad_signature() -> None:
    assert "bad signature" in await refused(signed({}, key="another-secret-of-32-bytes-or-more"))


@pytest.mark.parametrize("claim", ["exp", "iat", "iss", "aud", "sub"])
async def test_required_claims(claim: str) -> None:
    token = signed({})
    payload = jwt.decode(token, options={"verify_signature": False})
    del payload[claim]
    message = await refused(jwt.encode(payload, SECRET, algorithm="HS256"))
    assert f"'{claim}'" in message


async def test_alg_none_is_refused() -> None:
    token = jwt.encode(
        jwt.decode(signed({}), options={"verify_signature": False}), None, algorithm="none"
    )
    assert "'none' is not allowed" in await refused(token)


async def test_hs256_signed_with_the_rsa_public_key_is_refused() -> None:
    # The classic confusion: the verifier's public key used as an HMAC secret.
    claims = {
        "sub": "x",
        "iss": "enterprise-microservice-system",
        "aud": "enterprise-microservice-system",
        "iat": int(NOW),
        "exp": int(NOW) + 60,
    }
    token = hs256_with_public_key(rsa_key(), claims)
    rs256 = settings(auth_jwt_algorithm="RS256", auth_jwks_url="http://keys.invalid/jwks")
    assert "'HS256' is not allowed" in await refused(token, rs256)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30"])
async def test_malformed(token: str) -> None:
    assert "Malformed token" in await refused(token)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"roles": "admin user"}, None),
        ({"roles": [1]}, "'roles'"),
        ({"sub": ""}, "'sub'"),
        ({"exp": "soon"}, "must be numbers"),
    ],
)
async def test_claim_shapes(claims: dict[str, Any], reason: str | None) -> None:
    token = signed(claims)
    if reason is None:
        assert (await verify_token(token, settings(), now=NOW)).roles == ("admin", "user")
    else:
        assert reason in await refused(token)


async def test_asymmetric_tokens_need_keys() -> None:
    key = rsa_key()
    token = signed({}, key=key, algorithm="RS256")
    rs256 = settings(auth_jwt_algorithm="RS256", auth_jwks_url="http://keys.invalid/jwks")
    assert "AUTH_JWKS_URL" in await refused(token, rs256)
