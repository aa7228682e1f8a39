"""Orders through the gateway: filters, status transitions, soft delete, users' orders.

Every new order is answered by the inventory (the products subgraph, through events): an order
of a product in stock becomes CONFIRMED, any other CANCELLED. Tests that move statuses by hand
wait for that answer first (`settled`).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.conftest import RunningStack
from tests.integration.stack_events import eventually
from tests.integration.test_users_through_gateway import create_user, only_error

CREATE = """
mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { id status quantity totalPrice user { id name } } }
"""
SET_STATUS = (
    "mutation($id: ID!, $s: OrderStatus!) { updateOrder(id: $id, status: $s) { id status } }"
)


#: No product has this sku: the inventory rejects (cancels) orders of it.
UNKNOWN_SKU = "PROD-42"


def create_order(stack: RunningStack, user_id: str, **fields: Any) -> dict[str, Any]:
    payload = {"userId": user_id, "productId": UNKNOWN_SKU, "quantity": 2, "totalPrice": 19.98}
    return stack.data(CREATE, {"input": {**payload, **fields}})["createOrder"]


def create_product(stack: RunningStack, stock: int = 100, price: float = 9.99) -> dict[str, Any]:
    """A product of its own (a fresh sku), so tests sharing a stack don't share its stock."""
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    return stack.data(
        "mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku stock } }",
        {"input": {"sku": sku, "name": f"Test product {sku}", "price": price, "stock": stock}},
    )["createProduct"]


def order_state(stack: RunningStack, order_id: str) -> dict[str, Any]:
    return stack.data(
        "query($id: ID!) { order(id: $id) { id status cancellationReason } }", {"id": order_id}
    )["order"]


def settled(stack: RunningStack, order_id: str) -> dict[str, Any]:
    """The order once the inventory has answered (no longer PENDING), within the deadline."""
    return eventually(lambda: order_state(stack, order_id), lambda s: s["status"] != "PENDING")


def test_create_order_resolves_its_user_across_subgraphs(stack: RunningStack) -> None:
    user = create_user(stack, name="Ada Byron")
    order = create_order(stack, user["id"])
    assert order["status"] == "PENDING"
    assert order["totalPrice"] == pytest.approx(19.98)
    assert order["user"] == {"id": user["id"], "name": "Ada Byron"}


def test_filters_by_user_and_status(stack: RunningStack) -> None:
    user = create_user(stack)
    product = create_product(stack)
    ids = [
        create_order(stack, user["id"], productId=product["sku"])["id"],
        create_order(stack, user["id"])["id"],
        create_order(stack, user["id"])["id"],
    ]
    for order_id in ids:
        settled(stack, order_id)
    query = """
    query($u: ID, $s: OrderStatus) {
      orders(userId: $u, status: $s, pageSize: 50) { items { id status } pageInfo { totalCount } } }
    """
    mine = stack.data(query, {"u": user["id"]})["orders"]
    assert sorted(i["id"] for i in mine["items"]) == sorted(ids)
    confirmed = stack.data(query, {"u": user["id"], "s": "CONFIRMED"})["orders"]
    assert confirmed == {
        "items": [{"id": ids[0], "status": "CONFIRMED"}],
        "pageInfo": {"totalCount": 1},
    }
    cancelled = stack.data(query, {"u": user["id"], "s": "CANCELLED"})["orders"]
    assert sorted(i["id"] for i in cancelled["items"]) == sorted(ids[1:])


def test_user_orders_field_comes_from_the_orders_subgraph(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"])
    data = stack.data(
        "query($id: ID!) { user(id: $id) { name orders { id status } } }", {"id": user["id"]}
    )
    assert data["user"]["name"] == user["name"]
    assert [o["id"] for o in data["user"]["orders"]] == [order["id"]]


def test_status_moves_only_along_the_allowed_path(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"], productId=create_product(stack)["sku"])
    assert settled(stack, order["id"])["status"] == "CONFIRMED", "by the inventory"
    for status in ("SHIPPED", "DELIVERED"):
        assert stack.data(SET_STATUS, {"id": order["id"], "s": status})["updateOrder"] == {
            "id": order["id"],
            "status": status,
        }
    error = only_error(stack, SET_STATUS, {"id": order["id"], "s": "CANCELLED"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "status"
    assert "DELIVERED" in error["message"] and "CANCELLED" in error["message"]

    other = create_order(stack, user["id"])
    assert settled(stack, other["id"])["status"] == "CANCELLED", "unknown sku: rejected"
    error = only_error(stack, SET_STATUS, {"id": other["id"], "s": "CONFIRMED"})
    assert error["extensions"]["code"] == "CONFLICT"


def test_invalid_order_input_and_missing_order(stack: RunningStack) -> None:
    user = create_user(stack)
    error = only_error(
        stack,
        CREATE,
        {"input": {"userId": user["id"], "productId": "P", "quantity": 0, "totalPrice": 1}},
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "quantity"
    error = only_error(stack, SET_STATUS, {"id": "999999999", "s": "CONFIRMED"})
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_soft_deleted_order_disappears(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"])
    assert stack.data("mutation($id: ID!) { deleteOrder(id: $id) }", {"id": order["id"]}) == {
        "deleteOrder": True
    }
    assert stack.data("query($id: ID!) { order(id: $id) { id } }", {"id": order["id"]}) == {
        "order": None
    }
    listed = stack.data("query($u: ID) { orders(userId: $u) { items { id } } }", {"u": user["id"]})
    assert listed["orders"]["items"] == []
    error = only_error(stack, SET_STATUS, {"id": order["id"], "s": "CONFIRMED"})
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_order_of_a_deleted_user_answers_with_a_null_user(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"])
    stack.data("mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]})
    response = stack.graphql(
        "query($id: ID!) { order(id: $id) { id user { id name } } }", {"id": order["id"]}
    )
    payload = response.json()
    assert payload["data"] == {"order": {"id": order["id"], "user": None}}


def test_order_items_resolve_their_products_in_the_products_subgraph(stack: RunningStack) -> None:
    user = create_user(stack)
    mug, lamp = create_product(stack, price=4.5), create_product(stack, price=20)
    created = stack.data(
        """
        mutation($input: CreateOrderInput!) { createOrder(input: $input) {
          id productId quantity totalPrice totalAmount shippingAddress
          items { quantity unitPrice lineTotal product { id sku name price } } } }
        """,
        {
            "input": {
                "userId": user["id"],
                "items": [
                    {"productId": mug["sku"], "quantity": 2, "unitPrice": 4.5},
                    {"productId": lamp["sku"], "quantity": 1, "unitPrice": 20},
                    {"productId": UNKNOWN_SKU, "quantity": 1, "unitPrice": 1},
                ],
                "shippingAddress": "1 Main St",
            }
        },
    )["createOrder"]

    assert (created["productId"], created["quantity"]) == (mug["sku"], 2)
    assert created["totalPrice"] == created["totalAmount"] == pytest.approx(30.0)
    assert created["shippingAddress"] == "1 Main St"
    assert [
        (i["quantity"], i["lineTotal"], i["product"] and i["product"]["sku"])
        for i in created["items"]
    ] == [(2, 9.0, mug["sku"]), (1, 20.0, lamp["sku"]), (1, 1.0, None)]
    assert created["items"][0]["product"] == {
        "id": mug["id"],
        "sku": mug["sku"],
        "name": f"Test product {mug['sku']}",
        "price": 4.5,
    }
    state = settled(stack, created["id"])
    assert state["status"] == "CANCELLED"
    assert f"unknown sku {UNKNOWN_SKU}" in state["cancellationReason"]


def test_create_order_takes_exactly_one_form(stack: RunningStack) -> None:
    user = create_user(stack)
    both = only_error(
        stack,
        CREATE,
        {
            "input": {
                "userId": user["id"],
                "productId": "PROD-1",
                "items": [{"productId": "PROD-1", "quantity": 1, "unitPrice": 1}],
            }
        },
    )
    neither = only_error(stack, CREATE, {"input": {"userId": user["id"]}})

    assert both["extensions"]["code"] == neither["extensions"]["code"] == "VALIDATION_FAILED"
    assert both["extensions"]["field"] == neither["extensions"]["field"] == "items"


def test_my_orders_needs_a_signed_in_user(stack: RunningStack) -> None:
    error = only_error(stack, "{ myOrders { items { id } } }", None)

    assert error["extensions"]["code"] == "UNAUTHENTICATED"


def test_cancel_order_refuses_a_shipped_order(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"], productId=create_product(stack)["sku"])
    settled(stack, order["id"])
    stack.data(SET_STATUS, {"id": order["id"], "s": "SHIPPED"})

    error = only_error(
        stack,
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "late") { id } }',
        {"id": order["id"]},
    )

    assert error["extensions"] == {"code": "CONFLICT", "field": "id", "serviceName": "orders"}
