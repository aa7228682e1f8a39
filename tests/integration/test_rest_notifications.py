"""Notifications over REST through the running gateway and subgraphs: the caller's list with
filters and meta, a user's list for admins and services, mark read, subscribe and preferences
(and their effect on the next event), role rules and the subgraph's own 404/422.

Notifications are made from events: the tests publish an order's events on the bus the
notifications subgraph reads and wait for its notifications.
"""

from __future__ import annotations

import random

from common.events import Event
from tests.integration.rest_support import call, error_of, new_user
from tests.integration.stack_events import publish
from tests.integration.test_notifications_through_gateway import notifications_of, order_events
from tests.support.stack import RunningStack

NOTIFICATIONS = "/api/v1/notifications"
FIELDS = {
    "id",
    "user_id",
    "channel",
    "title",
    "body",
    "read",
    "event_type",
    "created_at",
    "read_at",
}
EVENT_TYPES = [
    "order.created",
    "order.status_changed",
    "payment.succeeded",
    "payment.failed",
    "payment.refunded",
]


def order_number() -> int:
    """An order number no other test's events use (titles name it)."""
    return random.randint(10**6, 10**9)


def notified(stack: RunningStack, user_id: int, *events: Event, count: int) -> None:
    """Publish `events` to the notifications subgraph and wait for `count` notifications."""
    publish(stack, *events, service="notifications")
    notifications_of(stack, str(user_id), count)


def test_the_callers_list_with_filters_pages_and_mark_read(stack: RunningStack) -> None:
    user_id, me = new_user(stack)
    number = order_number()
    notified(stack, user_id, *order_events(str(user_id), number), count=6)

    listed = call(stack, "GET", NOTIFICATIONS, me).json()
    assert listed["success"] is True
    assert listed["meta"] == {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 6}
    assert all(set(item) == FIELDS for item in listed["data"])
    assert {item["user_id"] for item in listed["data"]} == {user_id}
    assert {item["channel"] for item in listed["data"]} == {"email", "in_app"}
    assert {item["event_type"] for item in listed["data"]} == {
        "order.created",
        "order.status_changed",
        "payment.succeeded",
    }
    placed = next(
        item
        for item in listed["data"]
        if item["title"] == f"Order #{number} placed" and item["channel"] == "in_app"
    )
    assert (placed["read"], placed["read_at"]) == (False, None)

    page = call(stack, "GET", NOTIFICATIONS, me, params={"page": 2, "page_size": 4}).json()
    assert page["meta"] == {"page": 2, "page_size": 4, "total_pages": 2, "total_count": 6}
    assert len(page["data"]) == 2
    first = call(stack, "GET", NOTIFICATIONS, me, params={"page_size": 4}).json()["data"]
    assert {item["id"] for item in first + page["data"]} == {item["id"] for item in listed["data"]}
    in_app = call(stack, "GET", NOTIFICATIONS, me, params={"channel": "in_app"}).json()
    assert in_app["meta"]["total_count"] == 3
    assert {item["channel"] for item in in_app["data"]} == {"in_app"}

    marked = call(stack, "PUT", f"{NOTIFICATIONS}/{placed['id']}/read", me)
    assert marked.status_code == 200, marked.json()
    read = marked.json()["data"]
    assert {**read, "read": False, "read_at": None} == placed
    assert read["read"] is True and read["read_at"]
    again = call(stack, "PUT", f"{NOTIFICATIONS}/{placed['id']}/read", me).json()["data"]
    assert again["read_at"] == read["read_at"], "a second call keeps the first time"
    unread = call(stack, "GET", NOTIFICATIONS, me, params={"unread_only": "true"}).json()
    assert unread["meta"]["total_count"] == 5
    assert placed["id"] not in [item["id"] for item in unread["data"]]


def test_a_users_list_is_for_admins_and_services(stack: RunningStack) -> None:
    user_id, me = new_user(stack)
    other_id, other = new_user(stack)
    notified(stack, user_id, order_events(str(user_id), order_number())[0], count=2)
    mine = call(stack, "GET", NOTIFICATIONS, me).json()["data"]

    for headers in (stack.admin, stack.auth("service")):
        theirs = call(stack, "GET", NOTIFICATIONS, headers, params={"user_id": user_id}).json()
        assert theirs["meta"]["total_count"] == 2
        assert sorted(theirs["data"], key=lambda n: n["id"]) == sorted(mine, key=lambda n: n["id"])
    by_channel = call(
        stack, "GET", NOTIFICATIONS, stack.admin, params={"user_id": user_id, "channel": "email"}
    ).json()
    assert [item["channel"] for item in by_channel["data"]] == ["email"]

    # A user may not name a user, not even themselves; no token is 401; an admin token without
    # a user has no notifications of its own.
    error_of(call(stack, "GET", NOTIFICATIONS, me, params={"user_id": user_id}), 403, "FORBIDDEN")
    error_of(
        call(stack, "GET", NOTIFICATIONS, other, params={"user_id": user_id}), 403, "FORBIDDEN"
    )
    error_of(call(stack, "GET", NOTIFICATIONS), 401, "UNAUTHENTICATED")
    error_of(call(stack, "GET", NOTIFICATIONS, stack.admin), 403, "FORBIDDEN")
    nobody = call(stack, "GET", NOTIFICATIONS, stack.admin, params={"user_id": other_id}).json()
    assert nobody["meta"] == {"page": 1, "page_size": 10, "total_pages": 0, "total_count": 0}

    # Someone else's notification, or none, is 404; no token is 401.
    path = f"{NOTIFICATIONS}/{mine[0]['id']}/read"
    error_of(call(stack, "PUT", path, other), 404, "NOT_FOUND")
    error_of(call(stack, "PUT", f"{NOTIFICATIONS}/99999999/read", me), 404, "NOT_FOUND")
    error_of(call(stack, "PUT", path), 401, "UNAUTHENTICATED")
    assert (
        call(stack, "GET", NOTIFICATIONS, me, params={"unread_only": "true"}).json()["meta"][
            "total_count"
        ]
        == 2
    )


def test_subscribe_changes_the_channels_of_the_next_event(stack: RunningStack) -> None:
    user_id, me = new_user(stack)
    defaults = call(stack, "GET", f"{NOTIFICATIONS}/preferences", me).json()
    assert defaults == {
        "success": True,
        "data": {
            "user_id": user_id,
            "event_types": [
                {"event_type": name, "channels": ["email", "in_app"], "is_default": True}
                for name in EVENT_TYPES
            ],
        },
    }

    body = {
        "preferences": [
            {"event_type": "order.created", "channels": ["in_app", "sms", "sms"]},
            {"event_type": "order.status_changed", "channels": []},
        ]
    }
    subscribed = call(stack, "POST", f"{NOTIFICATIONS}/subscribe", me, json=body)
    assert subscribed.status_code == 200, subscribed.json()
    chosen = subscribed.json()["data"]
    assert chosen["user_id"] == user_id
    assert chosen["event_types"][:3] == [
        {"event_type": "order.created", "channels": ["sms", "in_app"], "is_default": False},
        {"event_type": "order.status_changed", "channels": [], "is_default": False},
        {"event_type": "payment.succeeded", "channels": ["email", "in_app"], "is_default": True},
    ]
    read_back = call(stack, "GET", f"{NOTIFICATIONS}/preferences", me).json()["data"]
    assert read_back == chosen

    # Placed: SMS and in-app; confirmed: muted; paid: the default two.
    notified(stack, user_id, *order_events(str(user_id), order_number()), count=4)
    listed = call(stack, "GET", NOTIFICATIONS, me).json()["data"]
    assert sorted((item["event_type"], item["channel"]) for item in listed) == [
        ("order.created", "in_app"),
        ("order.created", "sms"),
        ("payment.succeeded", "email"),
        ("payment.succeeded", "in_app"),
    ]


def test_subscribe_refusals(stack: RunningStack) -> None:
    _, me = new_user(stack)
    subscribe = f"{NOTIFICATIONS}/subscribe"

    # The REST schema takes any event type; the notifications subgraph knows which exist.
    unknown = call(
        stack,
        "POST",
        subscribe,
        me,
        json={
            "preferences": [
                {"event_type": "order.created", "channels": ["email"]},
                {"event_type": "order.exploded", "channels": ["email"]},
                {"event_type": "order.created", "channels": []},
            ]
        },
    )
    details = error_of(unknown, 422, "VALIDATION_FAILED")["details"]
    problems = {problem["field"]: problem["message"] for problem in details["problems"]}
    assert set(problems) == {"input[1].event_type", "input[2].event_type"}
    assert "order.created" in problems["input[1].event_type"]
    assert "given before" in problems["input[2].event_type"]
    unchanged = call(stack, "GET", f"{NOTIFICATIONS}/preferences", me).json()["data"]
    assert all(entry["is_default"] for entry in unchanged["event_types"])

    bad_channel = {"preferences": [{"event_type": "order.created", "channels": ["fax"]}]}
    refused = call(stack, "POST", subscribe, me, json=bad_channel)
    problem = error_of(refused, 422, "VALIDATION_FAILED")["details"]["problems"][0]
    assert problem["field"] == "preferences.0.channels.0"

    fine = {"preferences": [{"event_type": "order.created", "channels": ["email"]}]}
    error_of(call(stack, "POST", subscribe, json=fine), 401, "UNAUTHENTICATED")
    error_of(call(stack, "POST", subscribe, stack.auth("service"), json=fine), 403, "FORBIDDEN")
    error_of(call(stack, "GET", f"{NOTIFICATIONS}/preferences"), 401, "UNAUTHENTICATED")
    error_of(call(stack, "GET", f"{NOTIFICATIONS}/preferences", stack.admin), 403, "FORBIDDEN")
