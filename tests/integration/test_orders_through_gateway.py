"""Orders through the gateway: filters, status transitions, soft delete, users' orders."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import RunningStack
from tests.integration.test_users_through_gateway import create_user, only_error

CREATE = """
mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { id status quantity totalPrice user { id name } } }
"""
SET_STATUS = (
    "mutation($id: ID!, $s: OrderStatus!) { updateOrder(id: $id, status: $s) { id status } }"
)


def create_order(stack: RunningStack, user_id: str, **fields: Any) -> dict[str, Any]:
    payload = {"userId": user_id, "productId": "PROD-42", "quantity": 2, "totalPrice": 19.98}
    return stack.data(CREATE, {"input": {**payload, **fields}})["createOrder"]


def test_create_order_resolves_its_user_across_subgraphs(stack: RunningStack) -> None:
    user = create_user(stack, name="Ada Byron")
    order = create_order(stack, user["id"])
    assert order["status"] == "PENDING"
    assert order["totalPrice"] == pytest.approx(19.98)
    assert order["user"] == {"id": user["id"], "name": "Ada Byron"}


def test_filters_by_user_and_status(stack: RunningStack) -> None:
    user = create_user(stack)
    ids = [create_order(stack, user["id"])["id"] for _ in range(3)]
    stack.data(SET_STATUS, {"id": ids[0], "s": "CONFIRMED"})
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


def test_user_orders_field_comes_from_the_orders_subgraph(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"])
    data = stack.data(
        "query($id: ID!) { user(id: $id) { name orders { id status } } }", {"id": user["id"]}
    )
    assert data["user"] == {
        "name": user["name"],
        "orders": [{"id": order["id"], "status": "PENDING"}],
    }


def test_status_moves_only_along_the_allowed_path(stack: RunningStack) -> None:
    user = create_user(stack)
    order = create_order(stack, user["id"])
    for status in ("CONFIRMED", "SHIPPED", "DELIVERED"):
        assert stack.data(SET_STATUS, {"id": order["id"], "s": status})["updateOrder"] == {
            "id": order["id"],
            "status": status,
        }
    error = only_error(stack, SET_STATUS, {"id": order["id"], "s": "CANCELLED"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "status"
    assert "DELIVERED" in error["message"] and "CANCELLED" in error["message"]

    other = create_order(stack, user["id"])
    assert stack.data(SET_STATUS, {"id": other["id"], "s": "CANCELLED"})["updateOrder"][
        "status"
    ] == ("CANCELLED")
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
