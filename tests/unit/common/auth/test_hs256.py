"""The HS256 fast path accepts only what pyjwt accepts, and signs what pyjwt verifies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.auth import hs256

SECRET = "a-test-secret-of-at-least-32-bytes!"
ISSUER, AUDIENCE = "issuer", "audience"
REQUIRE = ("sub", "exp", "iat", "iss", "aud")
CLAIMS = {"sub": "user:1", "iss": ISSUER, "aud": AUDIENCE, "iat": 1, "exp": 2, "jti": "j"}


def fast(token: str, secret: str = SECRET) -> dict[str, Any] | None:
    return hs256.verify(token, secret, audience=AUDIENCE, issuer=ISSUER, require=REQUIRE)


def pyjwt(token: str, secret: str = SECRET) -> dict[str, Any] | None:
    try:
        return jwt.decode(  # type: ignore[no-any-return]
            token,
            secret,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": list(REQUIRE), "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError:
        return None


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    """Any header and claims, HS256-signed by hand (pyjwt refuses to write some of them)."""
    head = b64(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    signing_input = f"{head}.{b64(json.dumps(claims).encode())}"
    mac = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def test_a_valid_token_is_verified_without_pyjwt() -> None:
    token = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
    assert fast(token) == pyjwt(token) == CLAIMS


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": [AUDIENCE, "other"]},
        {"aud": ["other"]},
        {"aud": "other"},
        {"aud": [AUDIENCE, 1]},
        {"aud": []},
        {"iss": "other"},
        {"iss": None},
        {"sub": 7},
        {"jti": 7},
        {"exp": None},
    ],
)
def test_claims_are_judged_as_pyjwt_judges_them(claims: dict[str, Any]) -> None:
    token = signed({**CLAIMS, **claims})
    assert fast(token) == pyjwt(token)


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "typ": "JWT"},
        {"alg": "HS512", "typ": "JWT"},
        {"alg": "HS256", "crit": ["exp"], "exp": 1},
        {"alg": "HS256", "b64": False, "crit": ["b64"]},
        {"alg": "HS256", "kid": 5},
        {"alg": "HS256", "jku": "https://attacker.example/keys"},
    ],
)
def test_headers_beyond_a_plain_one_go_to_pyjwt(header: dict[str, Any]) -> None:
    assert fast(signed(CLAIMS, header)) is None
    unsigned = signed(CLAIMS, header).rsplit(".", 1)[0]
    assert fast(f"{unsigned}.") is None


def test_a_secret_pyjwt_refuses_as_an_hmac_key_sends_every_token_to_pyjwt() -> None:
    pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----"
    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    token = hs256.sign(CLAIMS, SECRET)
    assert fast(token, pem) is None
    assert fast(f"{header}.{token.split('.')[1]}.x", pem) is None


@settings(max_examples=300)
@given(st.integers(min_value=0), st.sampled_from("AQgw_-=.!a~ \n"), st.booleans())
def test_a_changed_token_is_never_accepted_where_pyjwt_refuses_it(
    where: int, character: str, insert: bool
) -> None:
    token = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
    at = where % (len(token) + 1)
    changed = token[:at] + character + token[at + (0 if insert else 1) :]
    verified = fast(changed)
    assert verified is None or verified == pyjwt(changed)


def test_signed_tokens_verify_with_pyjwt() -> None:
    claims = {**CLAIMS, "roles": ["user", "ädmin"], "uid": 12, "anon": False}
    token = hs256.sign(claims, SECRET)
    assert pyjwt(token) == claims
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    assert fast(token) == claims


def test_what_orjson_cannot_write_is_signed_by_pyjwt() -> None:
    claims = {**CLAIMS, "big": 2**70}
    assert pyjwt(hs256.sign(claims, SECRET)) == claims
