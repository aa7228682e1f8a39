"""The notification endpoints: request validation, the operation each runs, the answer's shape.

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain is exercised in tests/integration/test_rest_notifications.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.rest.types import MAX_ID
from tests.unit.gateway.rest.support import (
    REST_APP,
    answering,
    client,
    failing,
    refused_fields,
)

NOTIFICATION = {
    "id": "3",
    "channel": "IN_APP",
    "title": "Order #12 placed",
    "body": "We received your order #12.",
    "read": False,
    "eventType": "order.created",
    "createdAt": "2026-01-01T00:00:00Z",
    "readAt": None,
    "user": {"id": "7"},
}
SHAPED = {
    "id": 3,
    "user_id": 7,
    "channel": "in_app",
    "title": "Order #12 placed",
    "body": "We received your order #12.",
    "read": False,
    "event_type": "order.created",
    "created_at": "2026-01-01T00:00:00Z",
    "read_at": None,
}
PAGE_INFO = {"page": 1, "pageSize": 10, "totalPages": 1, "totalCount": 1}
PREFERENCES = {
    "user": {"id": "7"},
    "eventTypes": [
        {"eventType": "order.created", "channels": ["EMAIL", "IN_APP"], "isDefault": False},
        {"eventType": "payment.failed", "channels": [], "isDefault": False},
        {"eventType": "payment.succeeded", "channels": ["IN_APP", "EMAIL"], "isDefault": True},
    ],
}
SHAPED_PREFERENCES = {
    "user_id": 7,
    "event_types": [
        {"event_type": "order.created", "channels": ["email", "in_app"], "is_default": False},
        {"event_type": "payment.failed", "channels": [], "is_default": False},
        {"event_type": "payment.succeeded", "channels": ["in_app", "email"], "is_default": True},
    ],
}


async def test_list_is_the_callers_own_by_default() -> None:
    runner = answering("myNotifications", {"items": [NOTIFICATION], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/notifications")
    assert response.json() == {
        "success": True,
        "data": [SHAPED],
        "meta": {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 1},
    }
    [(query, variables, name)] = runner.calls
    assert name == "MyNotifications" and "myNotifications(" in query
    assert variables == {"page": 1, "pageSize": 10, "unreadOnly": False}


async def test_list_filters_and_a_deleted_user() -> None:
    orphan = {**NOTIFICATION, "user": None, "readAt": "2026-01-02T00:00:00Z", "read": True}
    runner = answering("myNotifications", {"items": [orphan], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/notifications",
            params={"page": 2, "page_size": 5, "unread_only": "true", "channel": "in_app"},
        )
    item = response.json()["data"][0]
    assert (item["user_id"], item["read"], item["read_at"]) == (None, True, "2026-01-02T00:00:00Z")
    assert runner.calls[0][1] == {
        "page": 2,
        "pageSize": 5,
        "unreadOnly": True,
        "channel": "IN_APP",
    }


async def test_list_with_user_id_reads_that_users() -> None:
    runner = answering("notifications", {"items": [NOTIFICATION], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/notifications", params={"user_id": 7, "channel": "email"}
        )
    assert response.status_code == 200
    [(query, variables, name)] = runner.calls
    assert name == "Notifications" and "notifications(" in query
    assert variables == {
        "page": 1,
        "pageSize": 10,
        "unreadOnly": False,
        "channel": "EMAIL",
        "userId": "7",
    }


async def test_a_user_asking_for_anyones_is_403() -> None:
    runner = failing(
        "notifications",
        "FORBIDDEN",
        "Listing every user's notifications needs the role admin or service",
    )
    async with client(runner) as http:
        response = await http.get("/api/v1/notifications", params={"user_id": 7})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("params", "field_name"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"channel": "IN_APP"}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"unread_only": "maybe"}, "unread_only"),
        ({"user_id": 0}, "user_id"),
        ({"user_id": MAX_ID + 1}, "user_id"),
    ],
)
async def test_bad_list_parameters_are_422_naming_them(
    params: dict[str, Any], field_name: str
) -> None:
    runner = answering("myNotifications", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/notifications", params=params)
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert [p["field"] for p in problems] == [field_name]
    assert runner.calls == []


async def test_mark_read() -> None:
    read = {**NOTIFICATION, "read": True, "readAt": "2026-01-02T00:00:00Z"}
    runner = answering("markNotificationRead", read)
    async with client(runner) as http:
        response = await http.put("/api/v1/notifications/3/read")
    assert response.status_code == 200
    assert response.json()["data"] == {**SHAPED, "read": True, "read_at": "2026-01-02T00:00:00Z"}
    assert runner.calls[0][1:] == ({"id": "3"}, "MarkNotificationRead")


async def test_mark_read_of_someone_elses_is_404() -> None:
    runner = failing("markNotificationRead", "NOT_FOUND", "No notification 3", field="id")
    async with client(runner) as http:
        response = await http.put("/api/v1/notifications/3/read")
        not_an_id = await http.put("/api/v1/notifications/x/read")
        zero = await http.put("/api/v1/notifications/0/read")
    assert response.status_code == 404
    assert response.json()["error"]["details"] == {"field": "id"}
    assert (not_an_id.status_code, not_an_id.json()["error"]["code"]) == (404, "NOT_FOUND")
    assert zero.status_code == 422
    assert len(runner.calls) == 1


async def test_subscribe_sends_the_graph_input_and_answers_preferences() -> None:
    runner = answering("updateNotificationPreferences", PREFERENCES)
    body = {
        "preferences": [
            {"event_type": "order.created", "channels": ["email", "in_app"]},
            {"event_type": "payment.failed", "channels": []},
        ]
    }
    async with client(runner) as http:
        response = await http.post("/api/v1/notifications/subscribe", json=body)
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": SHAPED_PREFERENCES}
    [(query, variables, name)] = runner.calls
    assert name == "UpdateNotificationPreferences" and "updateNotificationPreferences(" in query
    assert variables == {
        "input": [
            {"eventType": "order.created", "channels": ["EMAIL", "IN_APP"]},
            {"eventType": "payment.failed", "channels": []},
        ]
    }


@pytest.mark.parametrize(
    ("body", "field_name"),
    [
        ({}, "preferences"),
        ({"preferences": []}, "preferences"),
        ({"preferences": [{"event_type": "order.created"}]}, "preferences.0.channels"),
        ({"preferences": [{"channels": ["email"]}]}, "preferences.0.event_type"),
        (
            {"preferences": [{"event_type": "order.created", "channels": ["EMAIL"]}]},
            "preferences.0.channels.0",
        ),
        (
            {"preferences": [{"event_type": "order.created", "channels": ["fax"]}]},
            "preferences.0.channels.0",
        ),
        (
            {"preferences": [{"event_type": "x" * 101, "channels": []}]},
            "preferences.0.event_type",
        ),
        (
            {"preferences": [{"event_type": "order.created", "channels": ["email"] * 5}]},
            "preferences.0.channels",
        ),
        (
            {"preferences": [{"event_type": "order.created", "channels": [], "mute": True}]},
            "preferences.0.mute",
        ),
        ({"preferences": [{"event_type": "a", "channels": []}] * 51}, "preferences"),
        ({"event_type": "order.created", "channels": ["email"]}, "preferences"),
    ],
)
async def test_invalid_subscriptions_never_reach_the_graph(
    body: dict[str, Any], field_name: str
) -> None:
    runner = answering("updateNotificationPreferences", PREFERENCES)
    async with client(runner) as http:
        response = await http.post("/api/v1/notifications/subscribe", json=body)
    assert field_name in refused_fields(response)
    assert runner.calls == []


async def test_preferences() -> None:
    runner = answering("myNotificationPreferences", PREFERENCES)
    async with client(runner) as http:
        response = await http.get("/api/v1/notifications/preferences")
    assert response.json() == {"success": True, "data": SHAPED_PREFERENCES}
    assert runner.calls[0][1:] == (None, "MyNotificationPreferences")


def test_the_spec_documents_every_route() -> None:
    paths = REST_APP.app.openapi()["paths"]
    operations = {
        (method, path): op["operationId"]
        for path, methods in paths.items()
        if path.startswith("/api/v1/notifications")
        for method, op in methods.items()
    }
    assert operations == {
        ("get", "/api/v1/notifications"): "listNotifications",
        ("put", "/api/v1/notifications/{notification_id}/read"): "markNotificationRead",
        ("post", "/api/v1/notifications/subscribe"): "subscribeNotifications",
        ("get", "/api/v1/notifications/preferences"): "myNotificationPreferences",
    }
    listed = paths["/api/v1/notifications"]["get"]
    user_id = next(p for p in listed["parameters"] if p["name"] == "user_id")
    assert "admins and services" in user_id["description"]
    channel = next(p for p in listed["parameters"] if p["name"] == "channel")
    assert channel["schema"]["anyOf"][0]["enum"] == ["email", "sms", "push", "in_app"]
