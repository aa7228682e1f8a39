"""The REST API's published contract: `/openapi.json` lists every documented endpoint,
Swagger UI is served by the gateway itself, and schemathesis, generating requests from the
document against the running stack, finds no server error and no answer breaking the spec."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devstack.processes import stop
from devstack.stack import SUBGRAPHS
from tests.support.servers import throwaway_postgres_databases
from tests.support.stack import RunningStack, start_stack

#: Every endpoint of the original docs (issue 7), plus the read side of subscriptions.
ENDPOINTS = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/users/register"),
    ("post", "/api/v1/users/login"),
    ("post", "/api/v1/users/refresh"),
    ("post", "/api/v1/users/logout"),
    ("get", "/api/v1/users/me"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"),
    ("put", "/api/v1/users/{user_id}"),
    ("delete", "/api/v1/users/{user_id}"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/my-orders"),
    ("get", "/api/v1/orders/{order_id}"),
    ("put", "/api/v1/orders/{order_id}"),
    ("delete", "/api/v1/orders/{order_id}"),
    ("patch", "/api/v1/orders/{order_id}/status"),
    ("put", "/api/v1/orders/{order_id}/status"),
    ("post", "/api/v1/orders/{order_id}/cancel"),
    ("post", "/api/v1/repositories"),
    ("get", "/api/v1/repositories"),
    ("get", "/api/v1/repositories/{repository_id}"),
    ("put", "/api/v1/repositories/{repository_id}"),
    ("delete", "/api/v1/repositories/{repository_id}"),
    ("post", "/api/v1/payments"),
    ("get", "/api/v1/payments"),
    ("get", "/api/v1/payments/my-payments"),
    ("get", "/api/v1/payments/{payment_id}"),
    ("get", "/api/v1/payments/order/{order_id}"),
    ("post", "/api/v1/payments/{payment_id}/process"),
    ("post", "/api/v1/payments/{payment_id}/refund"),
    ("get", "/api/v1/products"),
    ("get", "/api/v1/products/search"),
    ("get", "/api/v1/products/{product_id}"),
    ("post", "/api/v1/admin/products"),
    ("put", "/api/v1/admin/products/{product_id}"),
    ("put", "/api/v1/admin/products/{product_id}/inventory"),
    ("get", "/api/v1/notifications"),
    ("put", "/api/v1/notifications/{notification_id}/read"),
    ("post", "/api/v1/notifications/subscribe"),
    ("get", "/api/v1/notifications/preferences"),
    ("get", "/api/v1/audit-logs"),
}
#: What schemathesis checks: every answer is no 5xx, has a documented status, content type,
#: headers and body; invalid requests are refused; methods not served are 405 with `Allow`;
#: endpoints needing a token refuse requests without one. (`positive_data_acceptance` is left
#: out: the subgraphs' own rules - a unique email, an order's life cycle - refuse some
#: schema-valid requests, as they should.)
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance,negative_data_rejection,"
    "unsupported_method,allow_header_conformance,ignored_auth,missing_required_header"
)


def test_the_document_lists_every_endpoint(stack: RunningStack) -> None:
    document = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=30).json()
    assert document["openapi"].startswith("3.")
    served = {(method, path) for path, item in document["paths"].items() for method in item}
    assert served == ENDPOINTS
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["operationId"] and operation["summary"], (method, path)
            assert "422" in operation["responses"], (method, path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                schema = body["schema"]
                # An optional body is `anyOf: [{$ref}, {type: null}]`.
                ref = schema.get("$ref") or next(s["$ref"] for s in schema["anyOf"] if "$ref" in s)
                component = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                assert "examples" in component, (method, path)
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_swagger_ui_is_served_without_a_cdn(stack: RunningStack) -> None:
    page = httpx.get(f"{stack.gateway_url}/swagger", timeout=30)
    assert page.status_code == 200
    start = httpx.get(f"{stack.gateway_url}/swagger/start.js", timeout=30)
    assert "/openapi.json" in start.text
    assert "cdn" not in page.text.lower() and "cdn" not in start.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        served = httpx.get(f"{stack.gateway_url}/swagger/assets/{asset}", timeout=30)
        assert served.status_code == 200 and len(served.content) > 10_000, asset


@pytest.fixture(scope="module")
def fuzzed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """A stack on PostgreSQL of its own: schemathesis creates, changes and deletes whatever the
    document lets it, which other tests' data must not meet."""
    log_dir = tmp_path_factory.mktemp("stack-fuzzed")
    names = [sg.name for sg in SUBGRAPHS]
    with throwaway_postgres_databases(*names, "gateway") as db_urls:
        running = start_stack("postgres", db_urls, log_dir)
        try:
            yield running
        finally:
            stop(list(running.services.values()))


@pytest.mark.parametrize("who", ["admin", "user"])
def test_schemathesis_finds_no_server_error_and_no_answer_breaking_the_spec(
    fuzzed_stack: RunningStack, who: str, tmp_path: Path
) -> None:
    stack = fuzzed_stack
    token = stack.token("admin") if who == "admin" else stack.token(user_id=1)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{stack.gateway_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        # As a user, the answers that differ are the refusals (403, 404 for others' items):
        # the coverage phase reaches every operation with valid requests; invalid ones are
        # refused by the same validation whoever sends them, and fuzzing is the admin's.
        "--phases",
        "examples,coverage,fuzzing" if who == "admin" else "examples,coverage",
        "--mode",
        "all" if who == "admin" else "positive",
        "--max-examples",
        "10" if who == "admin" else "3",
        "--seed",
        "7",
        "--request-timeout",
        "30",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env, check=False
    )
    report = run.stdout[-20_000:] + run.stderr[-5_000:]
    assert run.returncode == 0, report
    assert "Tested: 44" in report, report
