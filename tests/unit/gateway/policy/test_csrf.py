"""CSRF prevention: only requests a browser must preflight may run an operation."""

from __future__ import annotations

import pytest

from gateway.policy.csrf import check_csrf
from gateway.policy.errors import PolicyError


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", {"content-type": "application/json"}),
        ("POST", {"content-type": "application/json; charset=utf-8"}),
        ("POST", {"content-type": "application/graphql-response+json"}),
        ("GET", {"apollo-require-preflight": "true"}),
        ("GET", {"x-apollo-operation-name": "Users"}),
        ("POST", {"content-type": "text/plain", "apollo-require-preflight": "1"}),
    ],
)
def test_preflighted_requests_pass(method: str, headers: dict[str, str]) -> None:
    check_csrf(method, headers)


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("GET", {}),
        ("GET", {"apollo-require-preflight": " "}),
        ("GET", {"content-type": "application/json"}),
        ("POST", {"content-type": "text/plain"}),
        ("POST", {"content-type": "application/x-www-form-urlencoded"}),
        ("POST", {"content-type": "multipart/form-data; boundary=x"}),
        ("POST", {}),
    ],
)
def test_simple_requests_are_refused(method: str, headers: dict[str, str]) -> None:
    with pytest.raises(PolicyError) as refused:
        check_csrf(method, headers)
    assert (refused.value.status, refused.value.code) == (400, "CSRF_ERROR")
