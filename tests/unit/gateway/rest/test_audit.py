"""The audit endpoint: request validation, the operation it runs, the answer's shape (with
`before` and `after` kept as the event carried them).

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain is exercised in tests/integration/test_rest_audit.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.rest.types import MAX_ID
from tests.unit.gateway.rest.support import REST_APP, answering, client, failing

ROW = {
    "id": "41",
    "actorSubject": "user:7",
    "action": "order.status_changed",
    "entityType": "Order",
    "entityId": "12",
    "before": {"status": "PENDING", "shippingAddress": {"zipCode": "1000"}},
    "after": {"status": "CONFIRMED", "lineItems": [{"unitPrice": 2.5}]},
    "requestId": "req-1",
    "timestamp": "2026-01-01T00:00:00+00:00",
    "source": "orders",
    "actor": {"id": "7"},
}
SHAPED = {
    "id": 41,
    "actor_subject": "user:7",
    "actor_id": 7,
    "action": "order.status_changed",
    "entity_type": "Order",
    "entity_id": "12",
    "before": {"status": "PENDING", "shippingAddress": {"zipCode": "1000"}},
    "after": {"status": "CONFIRMED", "lineItems": [{"unitPrice": 2.5}]},
    "request_id": "req-1",
    "timestamp": "2026-01-01T00:00:00Z",
    "source": "orders",
}
PAGE_INFO = {"page": 1, "pageSize": 10, "totalPages": 1, "totalCount": 2}


async def test_an_answer_shared_by_two_requests_is_read_alike_by_both() -> None:
    """The gateway may hand one answer to several requests (coalescing) and hold one object in
    several places of an answer: reading it leaves it as it was."""
    row = {**ROW, "actor": {"id": "7"}}
    runner = answering("auditLogs", {"items": [row, row], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        first = await http.get("/api/v1/audit-logs")
        second = await http.get("/api/v1/audit-logs")
    assert first.status_code == second.status_code == 200
    assert first.json()["data"] == second.json()["data"] == [SHAPED, SHAPED]
    assert row["actor"] == {"id": "7"}


async def test_rows_in_snake_case_with_their_json_as_it_was() -> None:
    anonymous_actor = {**ROW, "id": "40", "actorSubject": None, "actor": None, "before": None}
    runner = answering("auditLogs", {"items": [ROW, anonymous_actor], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/audit-logs")
    assert response.json() == {
        "success": True,
        "data": [
            SHAPED,
            {**SHAPED, "id": 40, "actor_subject": None, "actor_id": None, "before": None},
        ],
        "meta": {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 2},
    }
    [(query, variables, name)] = runner.calls
    assert name == "AuditLogs" and "auditLogs(" in query
    assert variables == {"page": 1, "pageSize": 10}


@pytest.mark.parametrize("value", [[1, "two", None], "text", 3.5, True])
async def test_any_json_in_before_and_after(value: Any) -> None:
    runner = answering("auditLogs", {"items": [{**ROW, "after": value}], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/audit-logs")
    assert response.json()["data"][0]["after"] == value


async def test_every_filter_reaches_the_graph() -> None:
    runner = answering("auditLogs", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/audit-logs",
            params={
                "page": 3,
                "page_size": 50,
                "actor_id": 7,
                "entity_type": "Order",
                "entity_id": "12",
                "action": "order.created",
                "from": "2025-01-01T00:00:00Z",
                "to": "2025-02-01T12:30:00+02:00",
            },
        )
    assert response.status_code == 200
    assert runner.calls[0][1] == {
        "page": 3,
        "pageSize": 50,
        "actorId": "7",
        "entityType": "Order",
        "entityId": "12",
        "action": "order.created",
        "from": "2025-01-01T00:00:00+00:00",
        "to": "2025-02-01T10:30:00+00:00",
    }


async def test_times_are_sent_in_utc_and_one_without_a_zone_is_utc() -> None:
    runner = answering("auditLogs", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        await http.get(
            "/api/v1/audit-logs",
            params={"from": "0001-01-01T00:00:00", "to": "9999-12-31T23:59:59Z"},
        )
    assert runner.calls[0][1] == {
        "page": 1,
        "pageSize": 10,
        "from": "0001-01-01T00:00:00+00:00",
        "to": "9999-12-31T23:59:59+00:00",
    }


@pytest.mark.parametrize(
    ("params", "field_name"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"actor_id": 0}, "actor_id"),
        ({"actor_id": MAX_ID + 1}, "actor_id"),
        ({"actor_id": "user:7"}, "actor_id"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2025-13-01T00:00:00Z"}, "to"),
        # A number is not a date-time, though pydantic would read it as seconds since 1970.
        ({"to": "0.5"}, "to"),
        ({"from": "1700000000"}, "from"),
        # Valid times whose UTC falls outside the calendar.
        ({"from": "0001-01-01T00:00:00+14:00"}, "from"),
        ({"to": "9999-12-31T23:59:59-12:00"}, "to"),
        ({"entity_type": ""}, "entity_type"),
        ({"entity_type": "x" * 101}, "entity_type"),
        ({"entity_id": "12\x00"}, "entity_id"),
        ({"action": "order\ncreated"}, "action"),
    ],
)
async def test_bad_parameters_are_422_naming_them(params: dict[str, Any], field_name: str) -> None:
    runner = answering("auditLogs", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/audit-logs", params=params)
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert [(p["field"], p["in"]) for p in problems] == [(field_name, "query")]
    assert runner.calls == []


@pytest.mark.parametrize(
    ("code", "field_name", "status"),
    [("FORBIDDEN", None, 403), ("UNAUTHENTICATED", None, 401), ("VALIDATION_FAILED", "from", 422)],
)
async def test_graph_refusals_keep_their_status(
    code: str, field_name: str | None, status: int
) -> None:
    extensions = {"field": field_name} if field_name else {}
    runner = failing("auditLogs", code, "refused", **extensions)
    async with client(runner) as http:
        response = await http.get("/api/v1/audit-logs")
    assert response.status_code == status
    body = response.json()
    assert body["error"]["code"] == code
    if field_name:
        assert body["error"]["details"]["field"] == field_name


def test_the_spec_names_from_and_to() -> None:
    paths = REST_APP.app.openapi()["paths"]
    listed = paths["/api/v1/audit-logs"]["get"]
    assert [path for path in paths if path.startswith("/api/v1/audit")] == ["/api/v1/audit-logs"]
    assert listed["operationId"] == "listAuditLogs"
    names = [p["name"] for p in listed["parameters"]]
    assert names == [
        "page",
        "page_size",
        "actor_id",
        "entity_type",
        "entity_id",
        "action",
        "from",
        "to",
    ]
