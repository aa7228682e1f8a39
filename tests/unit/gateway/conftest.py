"""Shared fixtures of the gateway unit tests: fixture supergraphs and a plan printer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from graphql import parse

from gateway.planning import plan_operation
from gateway.supergraph import Supergraph, load_supergraph

FIXTURES = Path(__file__).parent / "fixtures"

PlanText = Callable[..., str]


@pytest.fixture(scope="session")
def users_orders() -> Supergraph:
    return load_supergraph(FIXTURES / "users_orders.graphql")


@pytest.fixture(scope="session")
def inventory() -> Supergraph:
    return load_supergraph(FIXTURES / "inventory.graphql")


@pytest.fixture(scope="session")
def media() -> Supergraph:
    return load_supergraph(FIXTURES / "media.graphql")


@pytest.fixture(scope="session")
def fixture_sdl() -> Callable[[str], str]:
    return lambda name: (FIXTURES / name).read_text()


def _plan_text(supergraph: Supergraph, query: str, operation_name: str | None = None) -> str:
    return str(plan_operation(supergraph, parse(query), operation_name))


@pytest.fixture(scope="session")
def plan_text() -> PlanText:
    return _plan_text


@pytest.fixture(autouse=True)
def auth_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """Strong `AUTH_JWT_SECRET`, `AUTH_INTERNAL_SECRET` and `AUTH_CLIENT_SECRET`, so apps built
    with `GATEWAY_ENV=production` start; returns the first."""
    secret = "unit-test-secret-that-is-at-least-32-bytes"
    monkeypatch.setenv("AUTH_JWT_SECRET", secret)
    monkeypatch.setenv("AUTH_INTERNAL_SECRET", "unit-test-internal-secret-at-least-32-bytes")
    monkeypatch.setenv("AUTH_CLIENT_SECRET", "unit-test-client-secret-at-least-32-bytes")
    return secret
