"""The request policy on the real gateway process: refusals with their codes, before any
subgraph is called (the subgraphs' own request counters do not move)."""

from __future__ import annotations

import httpx

from devstack.stack import SUBGRAPHS
from tests.support.stack import RunningStack


def served(stack: RunningStack) -> dict[str, float]:
    return {s.name: stack.graphql_requests_served(s.name) for s in SUBGRAPHS}


def test_offending_requests_are_refused_before_any_subgraph_call(stack: RunningStack) -> None:
    before = served(stack)
    url = f"{stack.gateway_url}/graphql"
    nested = "{" + "a{" * 10_000 + "b" + "}" * 10_001
    expensive = "query($n: Int!) { orders(page: 1, pageSize: $n) { items { id } } }"
    refusals = [
        (stack.graphql(nested), 400, "MAX_DEPTH_LIMIT"),
        (stack.graphql(expensive, {"n": 10_000_000}), 400, "COST_ESTIMATED_TOO_EXPENSIVE"),
        (stack.graphql("{ " + "__typename " * 25 + "}"), 400, "MAX_ROOT_FIELDS_LIMIT"),
        (
            httpx.get(url, params={"query": "{ orders { totalCount } }"}, timeout=30),
            400,
            "CSRF_ERROR",
        ),
        (
            httpx.post(url, json=[{"query": "{ __typename }"}], timeout=30),
            400,
            "BATCHING_NOT_ENABLED",
        ),
        (
            httpx.post(url, json={"query": "{ __typename }", "pad": "x" * (2 << 20)}, timeout=30),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
    ]
    for response, status, code in refusals:
        assert response.status_code == status, response.text[:500]
        assert response.json()["errors"][0]["extensions"]["code"] == code
    assert served(stack) == before, "no refused request reached a subgraph"

    preflighted = httpx.get(
        url,
        params={"query": "{ products(page: 1, pageSize: 2) { pageInfo { totalCount } } }"},
        headers={"Apollo-Require-Preflight": "true"},
        timeout=30,
    )
    assert preflighted.status_code == 200, preflighted.text
    assert preflighted.json()["data"]["products"]["pageInfo"]["totalCount"] >= 1
