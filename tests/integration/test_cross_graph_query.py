"""The issue's acceptance query: one request through the gateway crossing every subgraph.

A user with their orders, each order's items with their products and its payment, their
repositories, notifications and audit trail. Each subgraph counts the SQL statements it runs for
requests (`<prefix>_sql_statements_total{origin="request"}` on /metrics); the query must cost
each subgraph a few statements, the same for a user with 2 orders as for one with 6.

The setup goes through the real flow: products, orders placed and confirmed by the inventory
saga, payments made and processed, repositories created; notifications and the audit trail
follow from the events.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from devstack.stack import SUBGRAPHS
from tests.integration.stack_events import eventually
from tests.integration.test_users_through_gateway import create_user
from tests.support.stack import RunningStack

USER_ACROSS_THE_GRAPH = """
query($id: ID!) {
  user(id: $id) {
    id name
    orders {
      id status totalAmount
      items { quantity unitPrice product { sku name price } }
      payment { id status amount }
    }
    repositories { id name }
    notifications(pageSize: 50) { items { title channel } pageInfo { totalCount } }
    auditTrail(pageSize: 50) { items { action entityType } pageInfo { totalCount } }
  }
}
"""
#: Fields of other subgraphs the query needs, to say which are missing while domains land.
NEEDED = {
    "User": ("orders", "repositories", "notifications", "auditTrail"),
    "Order": ("items", "payment", "totalAmount"),
    "OrderItem": ("product",),
}
#: Statements one subgraph may run for the query, whatever the number of orders.
MAX_STATEMENTS_PER_SUBGRAPH = 6


def missing_fields(stack: RunningStack) -> list[str]:
    """`Type.field`s of the query the gateway's schema does not have (yet)."""
    missing = []
    for type_name, fields in NEEDED.items():
        found = stack.data(
            "query($n: String!) { __type(name: $n) { fields { name } } }", {"n": type_name}
        )["__type"]
        names = {field["name"] for field in (found or {}).get("fields") or []}
        missing += [f"{type_name}.{field}" for field in fields if field not in names]
    return missing


def statements_by_subgraph(stack: RunningStack) -> dict[str, float]:
    """Request SQL statements each subgraph has run so far, from its /metrics."""
    counts = {}
    for subgraph in SUBGRAPHS:
        text = httpx.get(f"{stack.url(subgraph.name)}/metrics", timeout=10).text
        counts[subgraph.name] = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if "_sql_statements_total{" in line and 'origin="request"' in line
        )
    return counts


def create_product(stack: RunningStack) -> dict[str, Any]:
    sku = f"IT-{uuid.uuid4().hex[:10].upper()}"
    return stack.data(
        "mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku } }",
        {"input": {"sku": sku, "name": f"Widget {sku}", "price": 4.5, "stock": 1000}},
    )["createProduct"]


def place_order(stack: RunningStack, user_id: str, sku: str) -> str:
    """A new order of one product; returns its id."""
    return stack.data(
        "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
        {
            "input": {
                "userId": user_id,
                "items": [{"productId": sku, "quantity": 2, "unitPrice": 4.5}],
            }
        },
    )["createOrder"]["id"]


def pay(stack: RunningStack, order_id: str) -> None:
    """Pay a confirmed order and process the payment."""
    status = "query($id: ID!) { order(id: $id) { status } }"
    eventually(
        lambda: stack.data(status, {"id": order_id})["order"]["status"],
        lambda current: current == "CONFIRMED",
    )
    create = "mutation($o: ID!) { createPayment(input: {orderId: $o, method: CARD}) { id } }"
    # The payments subgraph learns of the order from its events: retry until it has.
    payment = eventually(
        lambda: stack.graphql(create, {"o": order_id}).json(),
        lambda answer: "errors" not in answer,
    )["data"]["createPayment"]
    processed = stack.data(
        "mutation($id: ID!) { processPayment(id: $id) { status } }", {"id": payment["id"]}
    )
    assert processed["processPayment"]["status"] == "SUCCEEDED"


def users_with_orders(stack: RunningStack, *order_counts: int) -> list[tuple[str, list[str]]]:
    """New users with that many paid orders each and a repository; returns their ids.

    Every order is placed before any is paid, so the saga's steps overlap instead of adding up.
    """
    product = create_product(stack)
    users = []
    for count in order_counts:
        user_id = create_user(stack)["id"]
        stack.data(
            "mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { id } }",
            {"input": {"name": f"repo-{uuid.uuid4().hex[:8]}", "ownerId": user_id}},
        )
        users.append((user_id, [place_order(stack, user_id, product["sku"]) for _ in range(count)]))
    for _, orders in users:
        for order_id in orders:
            pay(stack, order_id)
    return users


def across_the_graph(stack: RunningStack, user_id: str) -> tuple[dict[str, Any], dict[str, float]]:
    """The query's answer and the SQL statements it cost each subgraph."""
    before = statements_by_subgraph(stack)
    user = stack.data(USER_ACROSS_THE_GRAPH, {"id": user_id})["user"]
    after = statements_by_subgraph(stack)
    return user, {name: after[name] - before[name] for name in after}


def test_one_query_crosses_every_subgraph_at_a_cost_independent_of_the_orders(
    stack: RunningStack,
) -> None:
    stack = stack.as_admin()  # writes for several users, and every user's notifications
    missing = missing_fields(stack)
    assert not missing, f"the supergraph lacks fields the query needs: {missing}"
    few_orders, many_orders = users_with_orders(stack, 2, 6)
    for user_id, orders in (few_orders, many_orders):
        # Notifications: placed, confirmed and paid, by e-mail and in the app, per order.
        eventually(
            lambda user_id=user_id: stack.data(USER_ACROSS_THE_GRAPH, {"id": user_id})["user"],
            lambda user, n=len(orders): (
                user["notifications"]["pageInfo"]["totalCount"] >= 6 * n
                and user["auditTrail"]["pageInfo"]["totalCount"] >= 3 * n
            ),
        )

    answers, costs = {}, {}
    for user_id, orders in (few_orders, many_orders):
        answers[len(orders)], costs[len(orders)] = across_the_graph(stack, user_id)

    for count, user in answers.items():
        assert len(user["orders"]) == count
        for order in user["orders"]:
            assert order["status"] == "CONFIRMED"
            (item,) = order["items"]
            assert item["product"]["name"].startswith("Widget IT-")
            assert order["payment"]["status"] == "SUCCEEDED"
            assert order["payment"]["amount"] == order["totalAmount"]
        assert len(user["repositories"]) == 1
        titles = {item["title"] for item in user["notifications"]["items"]}
        assert {f"Order #{order['id']} confirmed" for order in user["orders"]} <= titles
        actions = {item["action"] for item in user["auditTrail"]["items"]}
        assert {"order.created", "payment.succeeded"} <= actions

    names = {subgraph.name for subgraph in SUBGRAPHS}
    assert all(costs[2][name] > 0 for name in names), f"every subgraph answered: {costs[2]}"
    assert costs[2] == costs[6], f"SQL per subgraph grows with the orders: {costs}"
    assert max(costs[6].values()) <= MAX_STATEMENTS_PER_SUBGRAPH, costs[6]
