"""The first federated query, through the gateway, on real processes and a real database."""

from __future__ import annotations

import math

import httpx

from devstack.processes import ROOT
from tests.integration.stack_events import eventually
from tests.support.stack import RunningStack

ORDERS_WITH_USERS = """
{ orders(page: 1, pageSize: 5) {
    items { id status totalPrice user { id name email } }
    pageInfo { page pageSize totalPages totalCount } } }
"""


def test_orders_with_users_answer_from_both_subgraphs(stack: RunningStack) -> None:
    stack = stack.as_admin()  # every user's orders
    data = stack.data(ORDERS_WITH_USERS)
    page = data["orders"]
    info = page["pageInfo"]
    assert info["page"] == 1 and info["pageSize"] == 5
    assert info["totalCount"] >= 30, "the seeded orders are listed"
    assert info["totalPages"] == math.ceil(info["totalCount"] / 5)
    assert len(page["items"]) == 5
    assert [list(item) for item in page["items"]] == [["id", "status", "totalPrice", "user"]] * 5

    for item in page["items"]:
        user = item["user"]
        assert list(user) == ["id", "name", "email"], "exactly the fields asked, in order"
        direct = stack.data(
            "query($id: ID!) { user(id: $id) { id name email } }",
            {"id": user["id"]},
            service="users",
            headers=stack.internal_headers("admin"),
        )
        assert direct["user"] == user, "user fields come from the users subgraph"


def test_one_fetch_to_orders_and_one_batched_entities_fetch_to_users(stack: RunningStack) -> None:
    stack = stack.as_admin()
    before = {name: stack.graphql_requests_served(name) for name in ("users", "orders")}
    stack.data(ORDERS_WITH_USERS)
    # Subgraphs count a request once its answer is sent: wait until both counts moved.
    after = eventually(
        lambda: {name: stack.graphql_requests_served(name) for name in ("users", "orders")},
        lambda counts: all(counts[name] > before[name] for name in counts),
        timeout=10,
    )
    assert after["orders"] - before["orders"] == 1
    assert after["users"] - before["users"] == 1, "five users cost one _entities request"


def test_query_plan_on_request(stack: RunningStack) -> None:
    stack = stack.as_admin()
    response = stack.graphql(ORDERS_WITH_USERS, headers={"X-Query-Plan": "true"})
    plan = response.json()["extensions"]["queryPlan"]
    assert 'Fetch(service: "orders")' in plan
    assert 'Flatten(path: "orders.items.@.user")' in plan
    assert 'Fetch(service: "users")' in plan


def test_request_id_is_echoed_and_passed_to_subgraphs(stack: RunningStack) -> None:
    stack = stack.as_admin()
    request_id = "it-request-0123456789"
    response = stack.graphql(ORDERS_WITH_USERS, headers={"X-Request-ID": request_id})
    assert response.headers["X-Request-ID"] == request_id
    for name in ("orders", "users"):
        # A request's log line is written once its answer is sent: wait for it, briefly.
        eventually(
            lambda name=name: (stack.log_dir / f"{name}.log").read_text(),
            lambda log: f'"request_id": "{request_id}"' in log,
            timeout=10,
        )

    fresh = stack.graphql("{ __typename }")
    assert len(fresh.headers["X-Request-ID"]) == 32, "a request without an id gets one"


def test_health_and_graphiql(stack: RunningStack) -> None:
    for name in ("gateway", "users", "orders"):
        assert httpx.get(f"{stack.url(name)}/health", timeout=10).status_code == 200
    page = httpx.get(f"{stack.gateway_url}/graphql", headers={"Accept": "text/html"}, timeout=10)
    # GraphiQL from frontend/dist (`make test` builds it), else the page saying how to build it
    built = (ROOT / "frontend" / "dist" / "graphiql.html").exists()
    assert page.status_code == (200 if built else 404)
    assert "graphiql" in page.text.lower()


def test_root_typename_calls_no_subgraph(stack: RunningStack) -> None:
    before = {name: stack.graphql_requests_served(name) for name in ("users", "orders")}
    assert stack.data("{ __typename }") == {"__typename": "Query"}
    after = {name: stack.graphql_requests_served(name) for name in ("users", "orders")}
    assert after == before
