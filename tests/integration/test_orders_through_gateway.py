"""Orders through the gateway: who may do what, filters, status transitions, soft delete,
users' orders.

Callers are real client tokens the gateway verifies: a user's (`stack.auth("user", user_id=N)`),
an admin's (`stack.admin`), a service's (`stack.auth("service")`), or none (anonymous).

Every new order is answered by the inventory (the products subgraph, through events): an order
of a product in stock becomes CONFIRMED, any other CANCELLED. Tests that move statuses by hand
wait for that answer first (`settled`).
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.integration.stack_events import eventually
from tests.support.stack import RunningStack

CREATE = """
mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { id userId status quantity totalPrice user { id name } } }
"""
SET_STATUS = (
    "mutation($id: ID!, $s: OrderStatus!) { updateOrder(id: $id, status: $s) { id status } }"
)
ORDER = "query($id: ID!) { order(id: $id) { id userId status } }"
ORDERS = """
query($u: ID, $s: OrderStatus) {
  orders(userId: $u, status: $s, pageSize: 100) { items { id userId } pageInfo { totalCount } } }
"""
CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id status } }'
DELETE = "mutation($id: ID!) { deleteOrder(id: $id) }"


#: No product has this sku: the inventory rejects (cancels) orders of it.
UNKNOWN_SKU = "PROD-42"
SINGLE = {"productId": UNKNOWN_SKU, "quantity": 2}


def new_user(stack: RunningStack, name: str = "Grace Hopper") -> dict[str, Any]:
    """A fresh user (created by an admin) and the headers of their own access token."""
    email = f"orders.{uuid.uuid4().hex[:10]}@example.com"
    user = stack.data(
        "mutation($input: CreateUserInput!) { createUser(input: $input) { id name } }",
        {"input": {"email": email, "name": name}},
        headers=stack.admin,
    )["createUser"]
    return {**user, "headers": stack.auth("user", user_id=int(user["id"]))}


def errors_of(
    stack: RunningStack,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Any, list[dict[str, Any]]]:
    """The data and the errors of a request answered with HTTP 200 and at least one error."""
    response = stack.graphql(query, variables, headers=headers)
    payload = response.json()
    assert response.status_code == 200, payload
    assert payload.get("errors"), payload
    return payload.get("data"), payload["errors"]


def only_error(
    stack: RunningStack,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The one error of a request."""
    _, errors = errors_of(stack, query, variables, headers)
    assert len(errors) == 1, errors
    return errors[0]


def create_order(
    stack: RunningStack, user: dict[str, Any], headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    """An order for `user`, placed by the user themselves unless `headers` say who places it."""
    payload = {**SINGLE, **fields}
    if headers is not None:
        payload.setdefault("userId", user["id"])
    return stack.data(CREATE, {"input": payload}, headers=headers or user["headers"])["createOrder"]


def create_product(stack: RunningStack, stock: int = 100, price: float = 9.99) -> dict[str, Any]:
    """A product of its own (a fresh sku), so tests sharing a stack don't share its stock."""
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    return stack.data(
        "mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku stock } }",
        {"input": {"sku": sku, "name": f"Test product {sku}", "price": price, "stock": stock}},
        headers=stack.admin,
    )["createProduct"]


def order_state(stack: RunningStack, order_id: str) -> dict[str, Any]:
    return stack.data(
        "query($id: ID!) { order(id: $id) { id status cancellationReason } }",
        {"id": order_id},
        headers=stack.admin,
    )["order"]


def settled(stack: RunningStack, order_id: str) -> dict[str, Any]:
    """The order once the inventory has answered (no longer PENDING), within the deadline."""
    return eventually(lambda: order_state(stack, order_id), lambda s: s["status"] != "PENDING")


# --- who may do what ----------------------------------------------------------------------------


def test_a_user_places_and_reads_their_own_orders(stack: RunningStack) -> None:
    ada = new_user(stack, "Ada Byron")
    in_stock = create_product(stack)["sku"]

    order = create_order(stack, ada, productId=in_stock)
    same = create_order(stack, ada, userId=ada["id"])

    assert (order["userId"], order["user"]) == (ada["id"], {"id": ada["id"], "name": "Ada Byron"})
    assert (order["status"], order["totalPrice"]) == ("PENDING", None), "priced by the inventory"
    assert same["userId"] == ada["id"]
    read = stack.data(ORDER, {"id": order["id"]}, headers=ada["headers"])["order"]
    assert (read["id"], read["userId"]) == (order["id"], ada["id"])
    listed = stack.data(ORDERS, {}, headers=ada["headers"])["orders"]
    assert sorted(item["id"] for item in listed["items"]) == sorted([order["id"], same["id"]])
    assert {item["userId"] for item in listed["items"]} == {ada["id"]}
    mine = stack.data("{ myOrders { items { id } } }", headers=ada["headers"])["myOrders"]
    assert sorted(item["id"] for item in mine["items"]) == sorted([order["id"], same["id"]])
    assert stack.data(CANCEL, {"id": order["id"]}, headers=ada["headers"]) == {
        "cancelOrder": {"id": order["id"], "status": "CANCELLED"}
    }


def test_a_user_cannot_see_or_change_another_users_orders(stack: RunningStack) -> None:
    ada, bob = new_user(stack), new_user(stack)
    order = create_order(stack, ada)
    theirs = bob["headers"]

    assert stack.data(ORDER, {"id": order["id"]}, headers=theirs) == {"order": None}
    assert stack.data(ORDERS, {"u": ada["id"]}, headers=theirs)["orders"] == {
        "items": [],
        "pageInfo": {"totalCount": 0},
    }
    # Ada's public repository leads to Ada (User entities resolve for anyone), not her orders.
    repository = stack.data(
        "mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { id } }",
        {
            "input": {
                "name": f"r-{uuid.uuid4().hex[:8]}",
                "ownerId": ada["id"],
                "visibility": "PUBLIC",
            }
        },
        headers=stack.admin,
    )["createRepository"]
    joined = "query($id: ID!) { repository(id: $id) { owner { id orders { id } } } }"
    assert stack.data(joined, {"id": repository["id"]}, headers=theirs) == {
        "repository": {"owner": {"id": ada["id"], "orders": []}}
    }
    assert stack.data(joined, {"id": repository["id"]}, headers=ada["headers"]) == {
        "repository": {"owner": {"id": ada["id"], "orders": [{"id": order["id"]}]}}
    }

    for_ada = only_error(stack, CREATE, {"input": {**SINGLE, "userId": ada["id"]}}, theirs)
    assert for_ada["extensions"] == {
        "code": "FORBIDDEN",
        "field": "userId",
        "serviceName": "orders",
    }
    cancel = only_error(stack, CANCEL, {"id": order["id"]}, theirs)
    assert cancel["extensions"] == {"code": "NOT_FOUND", "field": "id", "serviceName": "orders"}
    for mutation, variables in (
        (SET_STATUS, {"id": order["id"], "s": "CONFIRMED"}),
        (DELETE, {"id": order["id"]}),
    ):
        for who in (theirs, ada["headers"]):
            error = only_error(stack, mutation, variables, who)
            assert error["extensions"]["code"] == "FORBIDDEN", error
            assert "admin" in error["message"]
    assert order_state(stack, order["id"])["id"] == order["id"], "still there"


def test_anonymous_callers_are_asked_to_sign_in(stack: RunningStack) -> None:
    ada = new_user(stack)
    order = create_order(stack, ada)

    for query, variables in (
        (ORDER, {"id": order["id"]}),
        (ORDERS, {}),
        ("{ myOrders { items { id } } }", None),
        (CREATE, {"input": {**SINGLE, "userId": ada["id"]}}),
        (CANCEL, {"id": order["id"]}),
    ):
        error = only_error(stack, query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", (query, error)


def test_admins_see_every_order_and_services_move_statuses(stack: RunningStack) -> None:
    ada, bob = new_user(stack), new_user(stack)
    product = create_product(stack)
    placed = {
        ada["id"]: create_order(stack, ada, productId=product["sku"])["id"],
        bob["id"]: create_order(stack, bob, headers=stack.admin)["id"],
    }

    for user_id, order_id in placed.items():
        listed = stack.data(ORDERS, {"u": user_id}, headers=stack.admin)["orders"]
        assert [item["id"] for item in listed["items"]] == [order_id]
    everyone = stack.data(ORDERS, {}, headers=stack.admin)["orders"]["pageInfo"]["totalCount"]
    assert everyone >= 2
    assert settled(stack, placed[ada["id"]])["status"] == "CONFIRMED"
    shipped = stack.data(
        SET_STATUS, {"id": placed[ada["id"]], "s": "SHIPPED"}, headers=stack.auth("service")
    )
    assert shipped == {"updateOrder": {"id": placed[ada["id"]], "status": "SHIPPED"}}
    service_delete = only_error(stack, DELETE, {"id": placed[bob["id"]]}, stack.auth("service"))
    assert service_delete["extensions"]["code"] == "FORBIDDEN"


# --- the order life cycle (as an admin) -----------------------------------------------------------


def test_filters_by_user_and_status(stack: RunningStack) -> None:
    user = new_user(stack)
    product = create_product(stack)
    ids = [
        create_order(stack, user, productId=product["sku"])["id"],
        create_order(stack, user)["id"],
        create_order(stack, user)["id"],
    ]
    for order_id in ids:
        settled(stack, order_id)
    query = """
    query($u: ID, $s: OrderStatus) {
      orders(userId: $u, status: $s, pageSize: 50) { items { id status } pageInfo { totalCount } } }
    """
    for headers in (stack.admin, user["headers"]):
        mine = stack.data(query, {"u": user["id"]}, headers=headers)["orders"]
        assert sorted(i["id"] for i in mine["items"]) == sorted(ids)
        confirmed = stack.data(query, {"u": user["id"], "s": "CONFIRMED"}, headers=headers)
        assert confirmed["orders"] == {
            "items": [{"id": ids[0], "status": "CONFIRMED"}],
            "pageInfo": {"totalCount": 1},
        }
        cancelled = stack.data(query, {"u": user["id"], "s": "CANCELLED"}, headers=headers)
        assert sorted(i["id"] for i in cancelled["orders"]["items"]) == sorted(ids[1:])


def test_user_orders_field_comes_from_the_orders_subgraph(stack: RunningStack) -> None:
    user = new_user(stack)
    order = create_order(stack, user)
    for headers in (user["headers"], stack.admin):
        data = stack.data(
            "query($id: ID!) { user(id: $id) { name orders { id status } } }",
            {"id": user["id"]},
            headers=headers,
        )
        assert data["user"]["name"] == user["name"]
        assert [o["id"] for o in data["user"]["orders"]] == [order["id"]]


def test_status_moves_only_along_the_allowed_path(stack: RunningStack) -> None:
    user = new_user(stack)
    order = create_order(stack, user, productId=create_product(stack)["sku"])
    assert settled(stack, order["id"])["status"] == "CONFIRMED", "by the inventory"
    for status in ("SHIPPED", "DELIVERED"):
        moved = stack.data(SET_STATUS, {"id": order["id"], "s": status}, headers=stack.admin)
        assert moved["updateOrder"] == {"id": order["id"], "status": status}
    error = only_error(stack, SET_STATUS, {"id": order["id"], "s": "CANCELLED"}, stack.admin)
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "status"
    assert "DELIVERED" in error["message"] and "CANCELLED" in error["message"]

    other = create_order(stack, user)
    assert settled(stack, other["id"])["status"] == "CANCELLED", "unknown sku: rejected"
    error = only_error(stack, SET_STATUS, {"id": other["id"], "s": "CONFIRMED"}, stack.admin)
    assert error["extensions"]["code"] == "CONFLICT"


def test_invalid_order_input_and_missing_order(stack: RunningStack) -> None:
    user = new_user(stack)
    error = only_error(
        stack,
        CREATE,
        {"input": {"productId": "P", "quantity": 0}},
        user["headers"],
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "quantity"
    error = only_error(stack, SET_STATUS, {"id": "999999999", "s": "CONFIRMED"}, stack.admin)
    assert error["extensions"]["code"] == "NOT_FOUND"
    service = only_error(stack, CREATE, {"input": SINGLE}, stack.auth("service"))
    assert service["extensions"]["code"] == "VALIDATION_FAILED"
    assert service["extensions"]["field"] == "userId", "a service token names no user"


def test_soft_deleted_order_disappears(stack: RunningStack) -> None:
    user = new_user(stack)
    order = create_order(stack, user)
    assert stack.data(DELETE, {"id": order["id"]}, headers=stack.admin) == {"deleteOrder": True}
    for headers in (stack.admin, user["headers"]):
        assert stack.data(ORDER, {"id": order["id"]}, headers=headers) == {"order": None}
        listed = stack.data(ORDERS, {"u": user["id"]}, headers=headers)
        assert listed["orders"]["items"] == []
    error = only_error(stack, SET_STATUS, {"id": order["id"], "s": "CONFIRMED"}, stack.admin)
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_order_of_a_deleted_user_answers_with_a_null_user(stack: RunningStack) -> None:
    user = new_user(stack)
    order = create_order(stack, user)
    stack.data(
        "mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]}, headers=stack.admin
    )
    response = stack.graphql(
        "query($id: ID!) { order(id: $id) { id user { id name } } }",
        {"id": order["id"]},
        headers=stack.admin,
    )
    payload = response.json()
    assert payload["data"] == {"order": {"id": order["id"], "user": None}}


PRICED_ORDER = """
query($id: ID!) { order(id: $id) { status totalPrice totalAmount
  items { quantity unitPrice lineTotal product { sku } } } }
"""


def test_order_items_resolve_their_products_in_the_products_subgraph(stack: RunningStack) -> None:
    user = new_user(stack)
    mug, lamp = create_product(stack, price=4.5), create_product(stack, price=20)
    created = stack.data(
        """
        mutation($input: CreateOrderInput!) { createOrder(input: $input) {
          id productId quantity totalPrice totalAmount shippingAddress
          items { quantity unitPrice lineTotal product { id sku name price } } } }
        """,
        {
            "input": {
                "items": [
                    {"productId": mug["sku"], "quantity": 2},
                    {"productId": lamp["sku"], "quantity": 1},
                    {"productId": UNKNOWN_SKU, "quantity": 1},
                ],
                "shippingAddress": "1 Main St",
            }
        },
        headers=user["headers"],
    )["createOrder"]

    assert (created["productId"], created["quantity"]) == (mug["sku"], 2)
    assert created["totalPrice"] is created["totalAmount"] is None, "not priced yet"
    assert created["shippingAddress"] == "1 Main St"
    assert [
        (i["quantity"], i["lineTotal"], i["product"] and i["product"]["sku"])
        for i in created["items"]
    ] == [(2, None, mug["sku"]), (1, None, lamp["sku"]), (1, None, None)]
    assert created["items"][0]["product"] == {
        "id": mug["id"],
        "sku": mug["sku"],
        "name": f"Test product {mug['sku']}",
        "price": 4.5,
    }
    state = settled(stack, created["id"])
    assert state["status"] == "CANCELLED"
    assert f"unknown sku {UNKNOWN_SKU}" in state["cancellationReason"]
    rejected = stack.data(PRICED_ORDER, {"id": created["id"]}, headers=user["headers"])["order"]
    assert rejected["totalPrice"] is None, "an order the inventory rejected is never priced"


def test_the_inventory_prices_an_order_from_the_catalogue(stack: RunningStack) -> None:
    user = new_user(stack)
    mug, lamp = create_product(stack, price=4.5), create_product(stack, price=20)
    items = [
        {"productId": mug["sku"], "quantity": 2, "unitPrice": 0.01},
        {"productId": lamp["sku"], "quantity": 1},
    ]
    created = create_order(stack, user, items=items, productId=None, quantity=None)

    assert settled(stack, created["id"])["status"] == "CONFIRMED"
    order = stack.data(PRICED_ORDER, {"id": created["id"]}, headers=user["headers"])["order"]
    assert (order["totalPrice"], order["totalAmount"]) == (29.0, 29.0)
    assert [(i["unitPrice"], i["lineTotal"]) for i in order["items"]] == [(4.5, 9.0), (20.0, 20.0)]


def test_retries_with_one_idempotency_key_make_one_order(stack: RunningStack) -> None:
    """Concurrent requests with one key (GraphQL has no store in front: the subgraph's unique
    key decides, on SQLite and on PostgreSQL) place one order, and every answer is that order."""
    user = new_user(stack)
    order = {"input": {**SINGLE, "idempotencyKey": f"same-{uuid.uuid4()}"}}

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(lambda _: stack.graphql(CREATE, order, headers=user["headers"]), range(6))
        )

    ids = {answer.json()["data"]["createOrder"]["id"] for answer in answers}
    assert len(ids) == 1, [answer.json() for answer in answers]
    listed = stack.data(ORDERS, {}, headers=user["headers"])["orders"]
    assert [item["id"] for item in listed["items"]] == list(ids)


def test_create_order_takes_exactly_one_form(stack: RunningStack) -> None:
    user = new_user(stack)
    both = only_error(
        stack,
        CREATE,
        {
            "input": {
                "productId": "PROD-1",
                "items": [{"productId": "PROD-1", "quantity": 1, "unitPrice": 1}],
            }
        },
        user["headers"],
    )
    neither = only_error(stack, CREATE, {"input": {}}, user["headers"])

    assert both["extensions"]["code"] == neither["extensions"]["code"] == "VALIDATION_FAILED"
    assert both["extensions"]["field"] == neither["extensions"]["field"] == "items"


def test_my_orders_needs_a_user(stack: RunningStack) -> None:
    anonymous = only_error(stack, "{ myOrders { items { id } } }")
    service = only_error(stack, "{ myOrders { items { id } } }", None, stack.auth("service"))

    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert service["extensions"]["code"] == "FORBIDDEN"


def test_cancel_order_refuses_a_shipped_order(stack: RunningStack) -> None:
    user = new_user(stack)
    order = create_order(stack, user, productId=create_product(stack)["sku"])
    settled(stack, order["id"])
    stack.data(SET_STATUS, {"id": order["id"], "s": "SHIPPED"}, headers=stack.admin)

    error = only_error(stack, CANCEL, {"id": order["id"]}, user["headers"])

    assert error["extensions"] == {"code": "CONFLICT", "field": "id", "serviceName": "orders"}
