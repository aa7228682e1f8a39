"""Notifications through the gateway: events on the real bus become notifications, once each."""

from __future__ import annotations

from typing import Any

from common.events import Event
from tests.integration.conftest import RunningStack
from tests.integration.stack_events import eventually, publish
from tests.integration.test_users_through_gateway import create_user, only_error

BY_USER = """
query($u: ID!) { notifications(userId: $u, pageSize: 50) {
  items { id channel title body read eventType user { id name } } pageInfo { totalCount } } }
"""


def order_events(user_id: str, order_id: int) -> list[Event]:
    """An order's life as the catalogue shapes it: placed, confirmed, paid."""
    return [
        Event(
            "order.created",
            "Order",
            str(order_id),
            {
                "order_id": order_id,
                "user_id": int(user_id),
                "items": [{"sku": "SKU-1", "quantity": 3, "unit_price": 2.5}],
                "total_amount": 7.5,
            },
            source="orders",
        ),
        Event(
            "order.status_changed",
            "Order",
            str(order_id),
            {
                "order_id": order_id,
                "user_id": int(user_id),
                "from": "PENDING",
                "to": "CONFIRMED",
                "reason": None,
            },
            source="orders",
        ),
        Event(
            "payment.succeeded",
            "Payment",
            "900",
            {
                "payment_id": 900,
                "order_id": order_id,
                "user_id": int(user_id),
                "amount": 7.5,
                "currency": "USD",
            },
            source="payments",
        ),
    ]


def notifications_of(stack: RunningStack, user_id: str, count: int) -> dict[str, Any]:
    """The user's notifications, once `count` of them have arrived."""
    return eventually(
        lambda: stack.data(BY_USER, {"u": user_id})["notifications"],
        lambda page: page["pageInfo"]["totalCount"] >= count,
    )


def test_order_and_payment_events_notify_the_user_in_app_and_by_email(
    stack: RunningStack,
) -> None:
    user = create_user(stack, name="Noti Fied")
    events = order_events(user["id"], 9101)
    publish(stack, *events, service="notifications")
    publish(stack, events[0], service="notifications")  # republished: no second effect

    page = notifications_of(stack, user["id"], 6)

    assert page["pageInfo"]["totalCount"] == 6
    titles = [(item["title"], item["channel"]) for item in page["items"]]
    assert sorted(titles) == sorted(
        (title, channel)
        for title in (
            "Order #9101 placed",
            "Order #9101 confirmed",
            "Payment received for order #9101",
        )
        for channel in ("EMAIL", "IN_APP")
    )
    assert {item["user"]["name"] for item in page["items"]} == {"Noti Fied"}
    placed = next(item for item in page["items"] if item["title"] == "Order #9101 placed")
    assert placed["body"] == "We received your order #9101 for 3 items, total 7.50."

    via_user = stack.data(
        "query($id: ID!) { user(id: $id) { name notifications(unreadOnly: true, pageSize: 2) "
        "{ items { id } pageInfo { totalCount totalPages } } } }",
        {"id": user["id"]},
    )["user"]
    assert via_user["notifications"]["pageInfo"] == {"totalCount": 6, "totalPages": 3}


def test_mark_read_and_the_errors_a_client_sees(stack: RunningStack) -> None:
    user = create_user(stack)
    publish(stack, order_events(user["id"], 9102)[0], service="notifications")
    first = notifications_of(stack, user["id"], 2)["items"][0]

    marked = stack.data(
        "mutation($id: ID!) { markNotificationRead(id: $id) { id read readAt } }",
        {"id": first["id"]},
    )["markNotificationRead"]
    assert marked["read"] is True and marked["readAt"]

    missing = only_error(
        stack, "mutation($id: ID!) { markNotificationRead(id: $id) { id } }", {"id": "987654"}
    )
    assert missing["extensions"]["code"] == "NOT_FOUND"
    unauthenticated = only_error(stack, "{ myNotifications { items { id } } }", {})
    assert unauthenticated["extensions"]["code"] == "UNAUTHENTICATED"
