"""Issue 12, finding 5: a `/graphql` body nested 1,024 levels or more answered 500 with a traceback
in the log (orjson refused it, Python's json recursed). Any JSON nested past
`GATEWAY_MAX_JSON_DEPTH` (64) is now a 400 `MAX_JSON_DEPTH_LIMIT` before anything else reads it,
in the body and in GET's `variables` and `extensions`; no shape of body is ever a 5xx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.stack import RunningStack

QUERY = "{ __typename }"


def nested(depth: int) -> str:
    return '{"a":' * (depth - 1) + "[1]" + "}" * (depth - 1)


def post(target: RunningStack, body: str) -> httpx.Response:
    return httpx.post(
        f"{target.gateway_url}/graphql",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


def assert_too_deep(answer: httpx.Response) -> None:
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["extensions"]["code"] == "MAX_JSON_DEPTH_LIMIT"


@pytest.mark.parametrize("depth", [65, 1024, 1025, 20_000])
@pytest.mark.parametrize("where", ["variables", "extensions", "somethingElse"])
def test_a_deep_body_is_a_coded_400(target: RunningStack, depth: int, where: str) -> None:
    body = f'{{"query": {json.dumps(QUERY)}, "{where}": {nested(depth)}}}'
    assert_too_deep(post(target, body))


def test_a_deep_batch_is_a_coded_400(target: RunningStack) -> None:
    assert_too_deep(post(target, f'[{{"query": "{QUERY}", "variables": {nested(2000)}}}]'))


@pytest.mark.parametrize("name", ["variables", "extensions"])
def test_deep_get_parameters_are_a_coded_400(target: RunningStack, name: str) -> None:
    answer = httpx.get(
        f"{target.gateway_url}/graphql",
        params={"query": QUERY, name: nested(1100)},
        headers={"Apollo-Require-Preflight": "true"},
        timeout=30,
    )
    assert_too_deep(answer)


def test_the_log_holds_no_traceback(target: RunningStack) -> None:
    post(target, f'{{"query": "{QUERY}", "variables": {nested(5000)}}}')
    assert "Traceback" not in target.services["gateway"].log_tail(400)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=20,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    value=json_values,
    depth=st.integers(min_value=0, max_value=1200),
    key=st.sampled_from(["variables", "extensions", "query", "operationName", "x"]),
    batch=st.booleans(),
)
def test_any_shape_of_body_answers_400_or_200_never_5xx(
    target: RunningStack, value: Any, depth: int, key: str, batch: bool
) -> None:
    inner = "[" * depth + json.dumps(value) + "]" * depth
    body = f'{{"query": "{QUERY}", "{key}": {inner}}}'
    answer = post(target, f"[{body}]" if batch else body)
    assert answer.status_code in (200, 400), answer.text
