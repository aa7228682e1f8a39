"""Cross-site request forgery, a vector that held when the system was attacked (issue 12): an
operation runs only from a request a browser must preflight (Apollo Router's rule), so a page of
another site cannot make a visitor's browser run one."""

from __future__ import annotations

import httpx
import pytest

from tests.support.stack import RunningStack

QUERY = "{ __typename }"


@pytest.mark.parametrize(
    ("content_type", "status", "code"),
    [
        ("text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("multipart/form-data; boundary=x", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ],
)
def test_a_simple_post_a_form_could_send_is_refused(
    target: RunningStack, content_type: str, status: int, code: str
) -> None:
    answer = httpx.post(
        f"{target.gateway_url}/graphql",
        content=b'{"query": "{ __typename }"}',
        headers={"Content-Type": content_type},
        timeout=30,
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["errors"][0]["extensions"]["code"] == code


def test_a_get_without_a_preflight_header_is_refused(target: RunningStack) -> None:
    answer = httpx.get(f"{target.gateway_url}/graphql", params={"query": QUERY}, timeout=30)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"


@pytest.mark.parametrize("header", ["Apollo-Require-Preflight", "X-Apollo-Operation-Name"])
def test_a_get_with_a_preflight_header_runs(target: RunningStack, header: str) -> None:
    answer = httpx.get(
        f"{target.gateway_url}/graphql", params={"query": QUERY}, headers={header: "1"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_a_mutation_over_get_is_405(target: RunningStack) -> None:
    mutation = 'mutation { logout(refreshToken: "x") }'
    answer = httpx.get(
        f"{target.gateway_url}/graphql",
        params={"query": mutation},
        headers={"Apollo-Require-Preflight": "true"},
        timeout=30,
    )
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST"


def test_another_origin_gets_no_cors_grant(target: RunningStack) -> None:
    answer = httpx.post(
        f"{target.gateway_url}/graphql",
        json={"query": QUERY},
        headers={"Origin": "https://attacker.example"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in answer.headers
