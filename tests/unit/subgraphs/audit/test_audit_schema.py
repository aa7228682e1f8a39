"""The audit schema run in-process: one row, filtered pages, users' trails, entities, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.events import Event
from subgraphs.audit.schema import schema
from subgraphs.kit.schema import print_sdl

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
FIELDS = "id action entityType entityId before after actorSubject actor { id } requestId source"
LOGS = """
query($actor: ID, $type: String, $id: String, $action: String, $from: DateTime, $to: DateTime) {
  auditLogs(actorId: $actor, entityType: $type, entityId: $id, action: $action,
            from: $from, to: $to) { items { id } pageInfo { totalCount } } }
"""
TRAILS = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on User { id auditTrail(pageSize: 2) { items { id action } pageInfo { totalCount } } } } }
"""


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


def event(n: int, kind: str = "order.created", **fields) -> Event:
    """The n-th event, n minutes after T0."""
    values = {
        "type": kind,
        "entity_type": "Order",
        "entity_id": str(n),
        "payload": {"order_id": n},
        "source": "orders",
        "time": T0 + timedelta(minutes=n),
    }
    return Event(**(values | fields))


async def test_one_row_with_json_before_and_after(execute, record) -> None:
    await record(
        event(
            1,
            "order.status_changed",
            payload={"order_id": 1, "user_id": 4, "from": "PENDING", "to": "CONFIRMED"},
            actor="user:4",
            request_id="r-9",
        ),
        event(2, actor="service:orders"),
    )

    first = await execute("{ auditLog(id: 1) { " + FIELDS + " timestamp } }")
    second = await execute("{ auditLog(id: 2) { " + FIELDS + " } }")
    missing = await execute('{ a: auditLog(id: 99) { id } b: auditLog(id: "no") { id } }')

    assert first.errors is None
    assert first.data["auditLog"] == {
        "id": "1",
        "action": "order.status_changed",
        "entityType": "Order",
        "entityId": "1",
        "before": {"status": "PENDING"},
        "after": {"status": "CONFIRMED"},
        "actorSubject": "user:4",
        "actor": {"id": "4"},
        "requestId": "r-9",
        "source": "orders",
        "timestamp": "2025-01-01T12:01:00+00:00",
    }
    assert second.data["auditLog"]["before"] is None
    assert second.data["auditLog"]["after"] == {"order_id": 2}
    assert second.data["auditLog"]["actor"] is None, "a service is no user"
    assert missing.data == {"a": None, "b": None}


async def test_filters_combine_and_times_are_inclusive(execute, record) -> None:
    await record(
        event(1, actor="3"),
        event(2, "order.status_changed", actor="3"),
        event(3, entity_type="Payment", entity_id="1", actor="5"),
        event(4, "user.created", entity_type="User", entity_id="3"),
    )

    async def ids(**variables) -> list[str]:
        result = await execute(LOGS, variables)
        assert result.errors is None, result.errors
        page = result.data["auditLogs"]
        assert page["pageInfo"]["totalCount"] == len(page["items"])
        return [item["id"] for item in page["items"]]

    assert await ids() == ["4", "3", "2", "1"], "newest first"
    assert await ids(actor="3") == ["2", "1"]
    assert await ids(actor="3", action="order.created") == ["1"]
    assert await ids(type="Payment") == ["3"]
    assert await ids(type="Order", id="2") == ["2"]
    assert await ids(actor="x") == []
    minute = lambda n: (T0 + timedelta(minutes=n)).isoformat()  # noqa: E731
    assert await ids(**{"from": minute(2), "to": minute(3)}) == ["3", "2"]
    assert await ids(**{"from": minute(3), "to": minute(3)}) == ["3"]
    assert await ids(**{"from": "2025-01-01T13:03:00+01:00"}) == ["4", "3"], "zones honoured"
    assert await ids(to=minute(1)) == ["1"]


async def test_from_after_to_is_refused_naming_from(execute) -> None:
    error = error_of(
        await execute(LOGS, {"from": "2025-01-02T00:00:00Z", "to": "2025-01-01T00:00:00Z"})
    )

    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "from"
    bad_page = error_of(await execute("{ auditLogs(pageSize: 101) { items { id } } }"))
    assert bad_page["extensions"]["field"] == "pageSize"


async def test_user_trails_hold_actor_and_subject_rows_in_two_queries(
    execute, record, engine, sql_statements
) -> None:
    await record(
        event(1, actor="7", payload={"order_id": 1, "user_id": 7}),  # actor and subject: once
        event(2, payload={"order_id": 2, "user_id": 7}),  # about user 7
        event(3, actor="7", payload={"order_id": 3, "user_id": 8}),  # by 7, about 8
        event(4, "user.created", entity_type="User", entity_id="8", payload={"user_id": 8}),
        event(5, "payment.succeeded", actor="service:payments", payload={"user_id": 7}),
    )
    statements = sql_statements(engine)

    result = await execute(
        TRAILS, {"r": [{"__typename": "User", "id": n} for n in ("7", "8", "9", "x")]}
    )

    assert result.errors is None
    trails = {entity["id"]: entity["auditTrail"] for entity in result.data["_entities"]}
    assert trails["7"] == {
        "items": [
            {"id": "5", "action": "payment.succeeded"},
            {"id": "3", "action": "order.created"},
        ],
        "pageInfo": {"totalCount": 4},
    }
    assert [item["id"] for item in trails["8"]["items"]] == ["4", "3"]
    assert trails["8"]["pageInfo"]["totalCount"] == 2
    assert trails["9"] == trails["x"] == {"items": [], "pageInfo": {"totalCount": 0}}
    assert statements.count == 2, statements.statements

    second_page = await execute(
        '{ _entities(representations: [{__typename: "User", id: "7"}]) { ... on User { '
        "auditTrail(page: 2, pageSize: 2) { items { id } } } } }"
    )
    assert second_page.data["_entities"][0]["auditTrail"]["items"] == [{"id": "2"}, {"id": "1"}]


async def test_audit_log_entities_resolve_with_one_query(
    execute, record, engine, sql_statements
) -> None:
    await record(event(1), event(2), event(3))
    statements = sql_statements(engine)

    result = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on AuditLog { id action } } }",
        {"r": [{"__typename": "AuditLog", "id": n} for n in ("3", "1", "7")]},
    )

    assert result.data["_entities"] == [
        {"id": "3", "action": "order.created"},
        {"id": "1", "action": "order.created"},
        None,
    ]
    assert statements.count == 1


def test_sdl_has_the_entity_json_and_the_user_stub() -> None:
    sdl = print_sdl(schema)

    assert 'type AuditLog @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "scalar JSON" in sdl
    assert "from: DateTime = null, to: DateTime = null" in sdl
    assert "auditTrail(page: Int! = 1, pageSize: Int! = 20): AuditLogPage!" in sdl
