"""Issue 12, finding 9: no security headers, `server: uvicorn` everywhere, internal URLs on a public
production `/health`, `/metrics` open to anyone, tracebacks and exit 1 for bad settings, and
error details repeating what was sent, passwords included."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import PRODUCTION_ENV, RunToExit
from tests.support.stack import RunningStack

DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"
SECRET = "Hunter2-Correct-Horse-Battery"
METRICS = {"Authorization": f"Bearer {PRODUCTION_ENV['GATEWAY_METRICS_TOKEN']}"}


def answers_of_every_kind(gateway: str) -> dict[str, httpx.Response]:
    """One answer of each kind the gateway gives: data, refusals at each layer, pages, files."""
    graphql = f"{gateway}/graphql"
    with httpx.Client(timeout=30) as http:
        return {
            "200 graphql": http.post(graphql, json={"query": "{ __typename }"}),
            "400 parse": http.post(graphql, json={"query": "{"}),
            "400 csrf": http.get(graphql, params={"query": "{ __typename }"}),
            "401 token": http.post(
                graphql, json={"query": "{ __typename }"}, headers={"Authorization": "Bearer x"}
            ),
            "404 path": http.get(f"{gateway}/nowhere.txt"),
            "405 method": http.put(graphql, json={}),
            "413 body": http.post(
                graphql,
                content=b"{" + b" " * (2 * 1024 * 1024),
                headers={"Content-Type": "application/json"},
            ),
            "415 media": http.post(
                graphql, content=b"query", headers={"Content-Type": "text/plain"}
            ),
            "422 rest": http.post(f"{gateway}/api/v1/users/login", json={"login": 1}),
            "404 rest": http.get(f"{gateway}/api/v1/nowhere"),
            "200 health": http.get(f"{gateway}/health"),
            "200 metrics": http.get(f"{gateway}/metrics"),
            "200 openapi": http.get(f"{gateway}/openapi.json"),
            "200 swagger asset": http.get(f"{gateway}/swagger/assets/swagger-ui.css"),
            "400 preflight": http.options(
                graphql,
                headers={
                    "Origin": "https://elsewhere.example",
                    "Access-Control-Request-Method": "POST",
                },
            ),
        }


def test_every_answer_carries_the_security_headers(target: RunningStack) -> None:
    for kind, answer in answers_of_every_kind(target.gateway_url).items():
        headers = answer.headers
        assert kind.split()[0] == str(answer.status_code), (kind, answer)
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "no-referrer", kind
        assert headers["X-Frame-Options"] == "DENY", kind
        assert headers["Content-Security-Policy"] == DEFAULT_CSP, kind
        assert "server" not in headers, kind


def test_swagger_keeps_its_own_tight_policy(target: RunningStack) -> None:
    page = httpx.get(f"{target.gateway_url}/swagger", timeout=30)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script>" not in page.text  # no inline script: its starter is a file of ours
    start = httpx.get(f"{target.gateway_url}/swagger/start.js", timeout=30)
    assert start.status_code == 200 and "SwaggerUIBundle(" in start.text


def test_no_process_names_its_server(target: RunningStack) -> None:
    for name, service in target.services.items():
        answer = httpx.get(f"{service.url}/health", timeout=30)
        assert "server" not in answer.headers, name


def test_production_health_is_minimal_for_anyone_and_detailed_with_the_token(
    production_gateway: RunningStack,
) -> None:
    health = f"{production_gateway.gateway_url}/health"
    anyone = httpx.get(health, timeout=30)
    assert (anyone.status_code, anyone.json()) == (200, {"status": "ok"})
    wrong = httpx.get(health, headers={"Authorization": "Bearer wrong"}, timeout=30)
    assert wrong.json() == {"status": "ok"}
    operator = httpx.get(health, headers=METRICS, timeout=30).json()
    assert operator["status"] == "ok" and len(operator["subgraphs"]) == 7
    assert operator["idempotency"]["backend"] == "database"
    text = json.dumps(operator)
    assert PRODUCTION_ENV["AUTH_CLIENT_SECRET"] not in text and "password" not in text.lower()


def test_production_metrics_need_the_token(production_gateway: RunningStack) -> None:
    metrics = f"{production_gateway.gateway_url}/metrics"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        refused = httpx.get(metrics, headers=headers, timeout=30)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "gateway_requests_total" not in refused.text
    granted = httpx.get(metrics, headers=METRICS, timeout=30)
    assert granted.status_code == 200 and "gateway_requests_total" in granted.text


def test_a_subgraph_refused_by_production_says_so_in_one_line_with_exit_2(
    run_to_exit: RunToExit, tmp_path: Any
) -> None:
    env = {
        "ORDER_SERVICE_ENV": "production",
        "ORDER_SERVICE_DB_URL": f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}",
        "ORDER_SERVICE_SEED": "false",
        "AUTH_JWT_SECRET": PRODUCTION_ENV["AUTH_JWT_SECRET"],
        "AUTH_INTERNAL_SECRET": "too-short",
    }
    ended = run_to_exit("subgraphs.orders", env)
    assert ended.returncode == 2, ended.stderr
    assert ended.stderr.count("\n") == 1 and "Traceback" not in ended.stderr
    assert ended.stderr.startswith("orders: invalid configuration: AUTH_INTERNAL_SECRET: ")
    assert "too-short" not in ended.stderr


LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"


def assert_not_echoed(answer: httpx.Response, *values: object) -> None:
    assert 400 <= answer.status_code < 500 or "errors" in answer.json(), answer.text
    for value in values:
        assert str(value) not in answer.text, answer.text


def test_refused_values_are_never_repeated(target: RunningStack) -> None:
    gateway = target.gateway_url
    # GraphQL variable coercion: a password of the wrong type, a secret under an unknown key
    answer = target.graphql(LOGIN, {"i": {"login": "ada", "password": 9173545, "pw": SECRET}})
    assert_not_echoed(answer, 9173545, SECRET)
    assert "i.password" in answer.text  # where the problem is
    # a literal of the wrong type in the document
    literal = 'mutation { login(input: {login: "ada", password: 9173545}) { accessToken } }'
    assert_not_echoed(target.graphql(literal), 9173545)
    # the REST shims' 422
    for body in (
        {"login": "ada", "password": [SECRET]},
        {"login": {"name": SECRET}, "password": "x"},
        {"login": "ada", "password": "x", SECRET: SECRET},
    ):
        rest = httpx.post(f"{gateway}/api/v1/users/login", json=body, timeout=30)
        assert rest.status_code == 422, rest.text
        assert_not_echoed(rest, SECRET)
    # a subgraph's VALIDATION_FAILED problems
    update = (
        "mutation($p: [EventTypeChannelsInput!]!) { updateNotificationPreferences(input: $p) "
        "{ __typename } }"
    )
    twice = [{"eventType": "order.created", "channels": ["EMAIL"]}] * 2
    answer = target.graphql(update, {"p": twice}, headers=target.auth(user_id=1))
    assert answer.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert_not_echoed(answer, "order.created")


# Values of the wrong type for the field they are sent in (strings only where no field is
# expected): none reaches the users subgraph, so no failed login is counted against anyone.
wrongly_typed = st.one_of(
    st.tuples(st.from_regex(r"\A[A-Za-z0-9!@#%^&*]{10,24}\Z"), st.just("unknown")),
    st.tuples(
        st.integers(min_value=10**6, max_value=10**12)
        | st.lists(st.from_regex(r"\A[A-Za-z0-9]{10,16}\Z"), min_size=1, max_size=2),
        st.sampled_from(["login", "password", "unknown"]),
    ),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sent=wrongly_typed, rest=st.booleans())
def test_no_refused_value_of_any_shape_comes_back(
    target: RunningStack, sent: tuple[Any, str], rest: bool
) -> None:
    value, field = sent
    body = {"login": "nobody", "password": "not-a-password", field: value}
    if rest:
        answer = httpx.post(f"{target.gateway_url}/api/v1/users/login", json=body, timeout=30)
    else:
        answer = target.graphql(LOGIN, {"i": body})
    assert answer.status_code in (400, 422), answer.text
    pieces = value if isinstance(value, list) else [value]
    assert not any(str(piece) in answer.text for piece in pieces), answer.text
