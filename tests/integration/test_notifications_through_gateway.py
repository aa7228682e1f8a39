"""Notifications through the gateway: events on the real bus become notifications, once each;
a user reads and marks their own, admins and services read everyone's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from common.events import Event
from tests.integration.stack_events import eventually, publish
from tests.integration.test_users_through_gateway import create_user, only_error
from tests.support.stack import RunningStack

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


def as_caller(stack: RunningStack, headers: dict[str, str]) -> RunningStack:
    """The stack seen by a client sending `headers` ({} for an anonymous one)."""
    return replace(stack, default_headers=headers)


def as_user(stack: RunningStack, user: dict[str, Any]) -> RunningStack:
    return as_caller(stack, stack.auth("user", user_id=int(user["id"])))


def notifications_of(stack: RunningStack, user_id: str, count: int) -> dict[str, Any]:
    """The user's notifications (read by an admin), once `count` of them have arrived."""
    return eventually(
        lambda: stack.as_admin().data(BY_USER, {"u": user_id})["notifications"],
        lambda page: page["pageInfo"]["totalCount"] >= count,
    )


def test_order_and_payment_events_notify_the_user_in_app_and_by_email(
    stack: RunningStack,
) -> None:
    user = create_user(stack.as_admin(), name="Noti Fied")
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

    via_user = as_user(stack, user).data(
        "query($id: ID!) { user(id: $id) { name notifications(unreadOnly: true, pageSize: 2) "
        "{ items { id } pageInfo { totalCount totalPages } } } }",
        {"id": user["id"]},
    )["user"]
    assert via_user["notifications"]["pageInfo"] == {"totalCount": 6, "totalPages": 3}


MARK = "mutation($id: ID!) { markNotificationRead(id: $id) { id read readAt } }"


def test_mark_read_and_the_errors_a_client_sees(stack: RunningStack) -> None:
    user, other = create_user(stack.as_admin()), create_user(stack.as_admin())
    publish(stack, order_events(user["id"], 9102)[0], service="notifications")
    first = notifications_of(stack, user["id"], 2)["items"][0]

    anonymous = only_error(as_caller(stack, {}), MARK, {"id": first["id"]})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    others = only_error(as_user(stack, other), MARK, {"id": first["id"]})
    missing = only_error(as_user(stack, user), MARK, {"id": "987654"})
    assert (
        others["extensions"]
        == missing["extensions"]
        == {
            "code": "NOT_FOUND",
            "field": "id",
            "serviceName": "notifications",
        }
    ), "another user's notification answers as if it did not exist"
    assert notifications_of(stack, user["id"], 2)["items"][0]["read"] is False

    marked = as_user(stack, user).data(MARK, {"id": first["id"]})["markNotificationRead"]
    assert marked["read"] is True and marked["readAt"]
    mine = as_user(stack, user).data("{ myNotifications(unreadOnly: true) { items { id } } }")
    assert first["id"] not in [item["id"] for item in mine["myNotifications"]["items"]]
    unauthenticated = only_error(as_caller(stack, {}), "{ myNotifications { items { id } } }", {})
    assert unauthenticated["extensions"]["code"] == "UNAUTHENTICATED"


def test_everyones_notifications_are_for_admins_and_services(stack: RunningStack) -> None:
    user, other = create_user(stack.as_admin()), create_user(stack.as_admin())
    publish(stack, order_events(user["id"], 9103)[0], service="notifications")
    notifications_of(stack, user["id"], 2)

    refused = only_error(as_user(stack, user), BY_USER, {"u": user["id"]})
    assert refused["extensions"] == {"code": "FORBIDDEN", "serviceName": "notifications"}
    assert "myNotifications" in refused["message"]
    anonymous = only_error(as_caller(stack, {}), BY_USER, {"u": user["id"]})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    by_service = as_caller(stack, stack.auth("service")).data(BY_USER, {"u": user["id"]})
    assert by_service["notifications"]["pageInfo"]["totalCount"] == 2

    theirs = as_user(stack, other).graphql(
        "query($id: ID!) { user(id: $id) { notifications { items { id } } } }",
        {"id": user["id"]},
    )
    payload = theirs.json()
    assert payload["data"] == {"user": None}, "another user's inbox stays closed"
    assert "FORBIDDEN" in {error["extensions"]["code"] for error in payload["errors"]}
    # The entity join the gateway would make, as the notifications subgraph answers it.
    joined = stack.graphql(
        "query($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on User { notifications { items { id } } } } }",
        {"r": [{"__typename": "User", "id": user["id"]}]},
        service="notifications",
        headers=stack.internal_headers("user", user_id=int(other["id"])),
    ).json()
    assert joined["data"] == {"_entities": [None]}
    assert [error["extensions"]["code"] for error in joined["errors"]] == ["FORBIDDEN"]
    mine = as_user(stack, other).data("{ myNotifications { pageInfo { totalCount } } }")
    assert mine["myNotifications"]["pageInfo"]["totalCount"] == 0
