"""Internal tokens: what the gateway signs for subgraphs, and what subgraphs accept."""

from __future__ import annotations

import jwt
import pytest

from common.auth import AuthSettings, Identity, InternalTokens, issue_token
from common.errors import Unauthenticated

SECRET = "internal-test-secret-that-is-32-bytes-long"
USER = Identity("user:7", user_id=7, roles=frozenset({"user"}), scopes=frozenset({"user", "x"}))


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_identity_and_anonymity_survive_the_round_trip() -> None:
    tokens = InternalTokens(SECRET)
    service = Identity("order-service", roles=frozenset({"service"}))
    assert tokens.verify(tokens.issue(USER)) == USER
    assert tokens.verify(tokens.issue(service)) == service
    assert tokens.verify(tokens.issue(None)) is None


def test_a_token_is_reused_for_half_its_life() -> None:
    clock = Clock()
    tokens = InternalTokens(SECRET, ttl_seconds=60, clock=clock)
    first = tokens.issue(USER)
    clock.now += 29
    assert tokens.issue(USER) == first
    clock.now += 2
    renewed = tokens.issue(USER)
    assert renewed != first
    assert tokens.issue(None) != renewed


def test_expired_tokens_are_refused_even_after_being_cached() -> None:
    clock = Clock()
    gateway = InternalTokens(SECRET, ttl_seconds=60, clock=clock)
    subgraph = InternalTokens(SECRET, ttl_seconds=60, clock_skew_seconds=5, clock=clock)
    token = gateway.issue(USER)
    assert subgraph.verify(token) == USER  # cached from here on
    clock.now += 64
    assert subgraph.verify(token) == USER  # within the skew
    clock.now += 2
    with pytest.raises(Unauthenticated, match="expired"):
        subgraph.verify(token)


@pytest.mark.parametrize(
    "token",
    [
        InternalTokens("another-secret-that-is-also-32-bytes!").issue(USER),
        issue_token("admin", ["admin"], AuthSettings(auth_jwt_secret=SECRET)),  # a client token
        jwt.encode({"sub": "x", "aud": "subgraphs", "iss": "federation-gateway"}, SECRET),
        jwt.encode(
            {"sub": "x", "aud": "subgraphs", "iss": "federation-gateway", "iat": 1, "exp": 2**40},
            key=None,
            algorithm="none",
        ),
        "not-a-token",
    ],
    ids=["other secret", "client token", "no times", "alg none", "garbage"],
)
def test_anything_else_is_refused(token: str) -> None:
    with pytest.raises(Unauthenticated):
        InternalTokens(SECRET).verify(token)
