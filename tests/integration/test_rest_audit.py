"""The audit log over REST through the running gateway and audit subgraph: rows in snake_case
with `before`/`after` as the events carried them, every filter, pages with meta, the time range
(inclusive; a reversed one is the subgraph's 422), and who may read it.

Rows are made from events the tests publish on the bus the audit subgraph reads.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from common.events import Event
from tests.integration.rest_support import call, error_of
from tests.integration.stack_events import eventually, publish
from tests.integration.test_users_through_gateway import create_user
from tests.support.stack import RunningStack

AUDIT = "/api/v1/audit-logs"


def audit_logs(
    stack: RunningStack, headers: dict[str, str] | None = None, **params: Any
) -> httpx.Response:
    """GET /audit-logs with `params` as whoever `headers` speak for."""
    return call(stack, "GET", AUDIT, headers, params=params)


def rows(stack: RunningStack, count: int, **params: Any) -> dict[str, Any]:
    """The answer to an admin's GET /audit-logs with `params`, once `count` rows match."""
    answer: dict[str, Any] = eventually(
        lambda: audit_logs(stack, stack.admin, **params).json(),
        lambda body: body.get("success") is True and body["meta"]["total_count"] >= count,
    )
    return answer


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


def test_rows_in_snake_case_with_json_as_it_was(stack: RunningStack) -> None:
    actor = create_user(stack.as_admin(), name="Audrey Rest")
    entity_id = uuid.uuid4().hex[:12]
    payload = {"displayName": "w", "sizes": [1, 2.5], "nested": {"innerKey": None}}
    created = Event(
        "widget.created",
        "Widget",
        entity_id,
        payload,
        source="it",
        actor=f"user:{actor['id']}",
        request_id="rest-audit-1",
        time=at(1),
    )
    changed = Event(
        "widget.status_changed",
        "Widget",
        entity_id,
        {"from": "DRAFT", "to": "LIVE"},
        source="it",
        actor="service:it",
        time=at(2),
    )
    publish(stack, created, changed, service="audit")

    answer = rows(stack, 2, entity_type="Widget", entity_id=entity_id)

    assert answer["meta"] == {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 2}
    newest, oldest = answer["data"]
    assert oldest == {
        "id": oldest["id"],
        "actor_subject": f"user:{actor['id']}",
        "actor_id": int(actor["id"]),
        "action": "widget.created",
        "entity_type": "Widget",
        "entity_id": entity_id,
        "before": None,
        "after": payload,
        "request_id": "rest-audit-1",
        "timestamp": "2025-03-01T12:00:00Z",
        "source": "it",
    }
    assert isinstance(oldest["id"], int)
    assert (newest["before"], newest["after"]) == ({"status": "DRAFT"}, {"status": "LIVE"})
    assert (newest["actor_subject"], newest["actor_id"], newest["request_id"]) == (
        "service:it",
        None,
        None,
    )
    by_actor = audit_logs(stack, stack.auth("service"), actor_id=actor["id"]).json()
    assert [row["id"] for row in by_actor["data"]] == [oldest["id"]]


def test_filters_time_range_and_pages(stack: RunningStack) -> None:
    entity_id = uuid.uuid4().hex[:12]
    events = [
        Event(action, "Gadget", entity_id, {"n": day}, source="it", time=at(day))
        for day, action in enumerate(
            ["gadget.touched", "gadget.poked", "gadget.touched", "gadget.poked", "gadget.touched"],
            start=1,
        )
    ]
    publish(stack, *events, service="audit")
    everything = rows(stack, 5, entity_id=entity_id)
    assert [row["after"]["n"] for row in everything["data"]] == [5, 4, 3, 2, 1], "newest first"

    page = audit_logs(stack, stack.admin, entity_id=entity_id, page=2, page_size=2).json()
    assert page["meta"] == {"page": 2, "page_size": 2, "total_pages": 3, "total_count": 5}
    assert [row["after"]["n"] for row in page["data"]] == [3, 2]
    last = audit_logs(stack, stack.admin, entity_id=entity_id, page=3, page_size=2).json()
    assert [row["after"]["n"] for row in last["data"]] == [1]

    poked = audit_logs(stack, stack.admin, entity_id=entity_id, action="gadget.poked").json()
    assert [row["after"]["n"] for row in poked["data"]] == [4, 2]
    other_type = audit_logs(stack, stack.admin, entity_id=entity_id, entity_type="Widget")
    assert other_type.json()["meta"]["total_count"] == 0

    # Inclusive at both ends; a time without a zone is UTC, another zone is converted.
    window = audit_logs(
        stack,
        stack.admin,
        entity_id=entity_id,
        **{"from": "2025-03-02T12:00:00", "to": "2025-03-04T14:00:00+02:00"},
    ).json()
    assert [row["after"]["n"] for row in window["data"]] == [4, 3, 2]
    since = audit_logs(stack, stack.admin, entity_id=entity_id, **{"from": "2025-03-05T12:00:00Z"})
    assert [row["after"]["n"] for row in since.json()["data"]] == [5]
    whole_calendar = audit_logs(
        stack,
        stack.admin,
        entity_id=entity_id,
        **{"from": "0001-01-01T00:00:00", "to": "9999-12-31T23:59:59Z"},
    )
    assert whole_calendar.json()["meta"]["total_count"] == 5

    reversed_range = audit_logs(
        stack, stack.admin, **{"from": "2025-02-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"}
    )
    details = error_of(reversed_range, 422, "VALIDATION_FAILED")["details"]
    assert details["field"] == "from"


def test_who_may_read_the_audit_log(stack: RunningStack) -> None:
    entity_id = uuid.uuid4().hex[:12]
    publish(stack, Event("widget.created", "Widget", entity_id, {}, source="it"), service="audit")
    rows(stack, 1, entity_id=entity_id)

    error_of(audit_logs(stack, entity_id=entity_id), 401, "UNAUTHENTICATED")
    refused = audit_logs(stack, stack.auth("user", user_id=1), entity_id=entity_id)
    assert "admin or service" in error_of(refused, 403, "FORBIDDEN")["message"]
    served = audit_logs(stack, stack.auth("service"), entity_id=entity_id).json()
    assert served["meta"]["total_count"] == 1


def test_what_the_rest_schema_refuses(stack: RunningStack) -> None:
    for params, field in (
        ({"from": "0001-01-01T00:00:00+14:00"}, "from"),
        ({"to": "not a time"}, "to"),
        ({"entity_id": "a\x00b"}, "entity_id"),
        ({"action": "x" * 101}, "action"),
        ({"actor_id": "user:1"}, "actor_id"),
        ({"page_size": 500}, "page_size"),
    ):
        refused = audit_logs(stack, stack.admin, **params)
        problems = error_of(refused, 422, "VALIDATION_FAILED")["details"]["problems"]
        assert [problem["field"] for problem in problems] == [field], params
