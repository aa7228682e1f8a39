"""Tokens the gateway did not sign, or signed for something else, are refused (a vector that held
when the system was first attacked; kept so it cannot regress)."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.support.stack import AUTH, RunningStack

ME = "{ me { id } }"


def forged(**changes: object) -> str:
    """A user token as the gateway would issue it, with `changes` applied to its claims."""
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "user:1",
        "uid": 1,
        "roles": ["admin"],
        "iss": AUTH.auth_jwt_issuer,
        "aud": AUTH.auth_jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    secret = str(changes.pop("secret", AUTH.auth_jwt_secret))
    algorithm = str(changes.pop("algorithm", "HS256"))
    claims.update(changes)
    return jwt.encode(claims, secret, algorithm=algorithm)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(forged(secret="another-secret-of-the-same-length-0123456789"), id="secret"),
        pytest.param(forged(exp=int(time.time()) - 3600), id="expired"),
        pytest.param(forged(iss="someone-else"), id="issuer"),
        pytest.param(forged(aud="another-audience"), id="audience"),
        pytest.param(
            jwt.encode({"sub": "user:1", "roles": ["admin"]}, key=None, algorithm="none"),
            id="alg-none",
        ),
        pytest.param("not.a.token", id="garbage"),
    ],
)
def test_a_forged_token_is_401_unauthenticated(target: RunningStack, token: str) -> None:
    answer = target.graphql(ME, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401, answer.text
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
