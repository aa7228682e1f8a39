"""One stack with every signal on, shared by the Prometheus and tracing tests: the subgraphs and
the gateway export spans to an in-test OTLP receiver, and `serve_traffic` makes every subgraph
answer, refuse and publish events, so every metric an operator relies on has series."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.support.otlp import OtlpReceiver
from tests.support.stack import RunningStack

#: Batches of spans leave every 200 ms instead of every 5 s.
TRACING_ENV = {"OTEL_BSP_SCHEDULE_DELAY": "200"}

ACROSS_THE_GRAPH = """
query AcrossTheGraph($id: ID!) {
  user(id: $id) {
    id name
    orders { id status items { quantity product { sku name } } payment { id status } }
    repositories { id name }
    notifications(pageSize: 5) { items { title } }
    auditTrail(pageSize: 5) { items { action } }
  }
  products(pageSize: 3) { items { sku price } }
  payments(pageSize: 3) { items { id status } }
}
"""


@dataclass
class ObservedStack:
    """The stack and the receiver its spans go to."""

    stack: RunningStack
    receiver: OtlpReceiver


def serve_traffic(stack: RunningStack) -> None:
    """Queries crossing every subgraph (twice: plan-cache hits), a refused one, an order placed
    (its events: published, consumed by products, orders, notifications, audit)."""
    admin = stack.as_admin()
    user_id = admin.data(
        "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
        {
            "input": {
                "name": "Observed User",
                "email": f"observed-{uuid.uuid4().hex[:8]}@example.com",
            }
        },
    )["createUser"]["id"]
    product = admin.data("{ products(pageSize: 1) { items { sku price } } }")["products"]
    item = {"productId": product["items"][0]["sku"], "quantity": 1}
    admin.data(
        "mutation Order($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
        {"input": {"userId": user_id, "items": [{**item, "unitPrice": item_price(product)}]}},
    )
    for _ in range(2):
        admin.data(ACROSS_THE_GRAPH, {"id": user_id})
    refused = admin.graphql("query Broken { nope }")
    assert refused.status_code == 400, refused.text


def item_price(products: dict[str, list[dict[str, float]]]) -> float:
    return products["items"][0]["price"]
