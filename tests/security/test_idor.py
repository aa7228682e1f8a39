"""Held vector: another user's data by its id (insecure direct object references). For every
owned type (orders, payments, notifications, private repositories, users), a signed-in user
naming someone else's id, by GraphQL and by REST, reads it as missing or is refused, and a
write through such an id changes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.security.shop import new_account
from tests.support.stack import RunningStack


@dataclass(frozen=True)
class Owned:
    """Rows of one user (`owner`), and a signed-in stranger (`stranger`, `headers`)."""

    owner: str
    order: str
    payment: str
    notification: str
    repository: str
    repository_owner: str
    stranger: str
    headers: dict[str, str]


def _admin(target: RunningStack, query: str, variables: dict[str, Any] | None = None) -> Any:
    return target.data(query, variables, headers=target.admin)


def _notification_of(target: RunningStack, owner: str) -> str:
    """A notification of `owner`: an order placed for them makes one (the events are async)."""
    product = _admin(target, "{ products(inStock: true, pageSize: 1) { items { sku price } } }")
    item = product["products"]["items"][0]
    _admin(
        target,
        "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
        {
            "input": {
                "userId": owner,
                "items": [{"productId": item["sku"], "quantity": 1, "unitPrice": item["price"]}],
            }
        },
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = _admin(
            target, "query($u: ID) { notifications(userId: $u) { items { id } } }", {"u": owner}
        )["notifications"]["items"]
        if found:
            return str(found[0]["id"])
        time.sleep(0.25)
    raise AssertionError(f"no notification for user {owner} within 60 s")


@pytest.fixture(scope="module")
def owned(target: RunningStack) -> Owned:
    orders = _admin(target, "{ orders(pageSize: 100) { items { id userId payment { id } } } }")[
        "orders"
    ]["items"]
    order = next(o for o in orders if o["payment"] is not None)
    private = _admin(
        target, "{ repositories(visibility: PRIVATE, pageSize: 1) { items { id ownerId } } }"
    )["repositories"]["items"][0]
    stranger = new_account(target)
    return Owned(
        owner=order["userId"],
        order=order["id"],
        payment=order["payment"]["id"],
        notification=_notification_of(target, order["userId"]),
        repository=private["id"],
        repository_owner=private["ownerId"],
        stranger=stranger.id,
        headers=stranger.headers,
    )


#: (name, operation, variables from the owned rows, what the stranger must get)
#: "null" the field answers null without an error (missing); "empty" an empty page or list;
#: a code: that error.
GRAPHQL: list[tuple[str, str, Callable[[Owned], dict[str, Any]], str]] = [
    ("order", "query($id: ID!) { order(id: $id) { id } }", lambda o: {"id": o.order}, "null"),
    (
        "orders by user",
        "query($u: ID) { orders(userId: $u) { items { id } } }",
        lambda o: {"u": o.owner},
        "empty",
    ),
    (
        "payment by order",
        "query($id: ID!) { paymentByOrder(orderId: $id) { id } }",
        lambda o: {"id": o.order},
        "null",
    ),
    ("payment", "query($id: ID!) { payment(id: $id) { id } }", lambda o: {"id": o.payment}, "null"),
    (
        "payments by user",
        "query($u: ID) { payments(userId: $u) { items { id } } }",
        lambda o: {"u": o.owner},
        "empty",
    ),
    (
        "cancel the order",
        "mutation($id: ID!) { cancelOrder(id: $id) { id } }",
        lambda o: {"id": o.order},
        "NOT_FOUND",
    ),
    (
        "process the payment",
        "mutation($id: ID!) { processPayment(id: $id) { id } }",
        lambda o: {"id": o.payment},
        "NOT_FOUND",
    ),
    (
        "mark the notification read",
        "mutation($id: ID!) { markNotificationRead(id: $id) { id } }",
        lambda o: {"id": o.notification},
        "NOT_FOUND",
    ),
    (
        "notifications by user",
        "query($u: ID) { notifications(userId: $u) { items { id } } }",
        lambda o: {"u": o.owner},
        "FORBIDDEN",
    ),
    (
        "private repository",
        "query($id: ID!) { repository(id: $id) { id } }",
        lambda o: {"id": o.repository},
        "null",
    ),
    (
        "private repositories by owner",
        "query($u: ID) { repositories(ownerId: $u, visibility: PRIVATE) { items { id } } }",
        lambda o: {"u": o.repository_owner},
        "empty",
    ),
    ("user", "query($id: ID!) { user(id: $id) { id } }", lambda o: {"id": o.owner}, "FORBIDDEN"),
]


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        pytest.param(query, variables, expected, id=name)
        for name, query, variables, expected in GRAPHQL
    ],
)
def test_graphql_reads_someone_elses_row_as_missing_or_refused(
    target: RunningStack, owned: Owned, query: str, variables: Any, expected: str
) -> None:
    payload = target.graphql(query, variables(owned), headers=owned.headers).json()

    field = next(iter(payload["data"] or {"?": None}))
    if expected == "null":
        assert payload.get("errors") is None and payload["data"][field] is None, payload
    elif expected == "empty":
        assert payload.get("errors") is None and payload["data"][field]["items"] == [], payload
    else:
        codes = [error["extensions"]["code"] for error in payload["errors"]]
        assert codes == [expected], payload


def _state(target: RunningStack, owned: Owned) -> dict[str, Any]:
    """What the owner's rows look like to an admin."""
    return _admin(
        target,
        "query($o: ID!, $p: ID!, $u: ID) { order(id: $o) { status updatedAt }"
        " payment(id: $p) { status updatedAt }"
        " notifications(userId: $u) { items { id read readAt } } }",
        {"o": owned.order, "p": owned.payment, "u": owned.owner},
    )


def test_someone_elses_rows_are_unchanged_after_the_writes(
    target: RunningStack, owned: Owned
) -> None:
    before = _state(target, owned)
    for _name, query, variables, _expected in GRAPHQL:
        if query.startswith("mutation"):
            target.graphql(query, variables(owned), headers=owned.headers)
    assert _state(target, owned) == before


def test_a_strangers_view_of_an_owner_shows_no_orders_private_repositories_or_notifications(
    target: RunningStack, owned: Owned
) -> None:
    payload = target.graphql(
        "{ repositories(pageSize: 100) { items { owner { id orders { id } "
        "repositories { visibility } } } } }",
        headers=owned.headers,
    ).json()
    for item in payload["data"]["repositories"]["items"]:
        if item["owner"]["id"] != owned.stranger:
            assert item["owner"]["orders"] == []
            assert {r["visibility"] for r in item["owner"]["repositories"]} <= {"PUBLIC"}
    notifications = target.graphql(
        "{ repositories(pageSize: 1) { items { owner { notifications { items { id } } } } } }",
        headers=owned.headers,
    ).json()
    assert [e["extensions"]["code"] for e in notifications["errors"]] == ["FORBIDDEN"]


#: (method, path from the owned rows, status the stranger must get)
REST: list[tuple[str, Callable[[Owned], str], int]] = [
    ("GET", lambda o: f"/api/v1/orders/{o.order}", 404),
    ("POST", lambda o: f"/api/v1/orders/{o.order}/cancel", 404),
    ("GET", lambda o: f"/api/v1/payments/{o.payment}", 404),
    ("GET", lambda o: f"/api/v1/payments/order/{o.order}", 404),
    ("POST", lambda o: f"/api/v1/payments/{o.payment}/process", 404),
    ("PUT", lambda o: f"/api/v1/notifications/{o.notification}/read", 404),
    ("GET", lambda o: f"/api/v1/notifications?user_id={o.owner}", 403),
    ("GET", lambda o: f"/api/v1/repositories/{o.repository}", 404),
    ("GET", lambda o: f"/api/v1/users/{o.owner}", 403),
]


@pytest.mark.parametrize(("method", "path", "status"), REST)
def test_rest_reads_someone_elses_row_as_missing_or_refused(
    target: RunningStack, owned: Owned, method: str, path: Callable[[Owned], str], status: int
) -> None:
    answer = httpx.request(
        method, f"{target.gateway_url}{path(owned)}", headers=owned.headers, timeout=30
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["success"] is False


def test_rest_lists_filtered_by_another_user_are_empty(target: RunningStack, owned: Owned) -> None:
    for path in ("/api/v1/orders", "/api/v1/payments"):
        answer = httpx.get(
            f"{target.gateway_url}{path}",
            params={"user_id": owned.owner},
            headers=owned.headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"] == [], (path, answer.json())
