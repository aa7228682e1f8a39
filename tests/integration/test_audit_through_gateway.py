"""The audit log through the gateway: every event on the real bus is one row, read back as JSON."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from common.db import create_engine
from common.events import Event
from tests.integration.conftest import RunningStack
from tests.integration.stack_events import eventually, publish
from tests.integration.test_users_through_gateway import create_user, only_error

LOGS = """
query($type: String, $id: String) { auditLogs(entityType: $type, entityId: $id) {
  items { id action entityType entityId before after actorSubject actor { id name } source
          timestamp requestId } pageInfo { totalCount } } }
"""


def rows_for(stack: RunningStack, entity_type: str, entity_id: str, count: int) -> list[dict]:
    """The audit rows of one entity, once `count` of them have arrived."""
    page = eventually(
        lambda: stack.data(LOGS, {"type": entity_type, "id": entity_id})["auditLogs"],
        lambda page: page["pageInfo"]["totalCount"] >= count,
    )
    return page["items"]


def test_every_event_becomes_one_row_with_before_and_after(stack: RunningStack) -> None:
    actor = create_user(stack, name="Audrey Tor")
    entity_id = uuid.uuid4().hex[:12]
    created = Event(
        "widget.created",  # a type nobody else knows: audit records every type
        "Widget",
        entity_id,
        {"name": "w", "tags": ["a", "b"], "size": 2.5},
        source="it",
        actor=actor["id"],
        request_id="it-audit-1",
        time=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    changed = Event(
        "widget.status_changed",
        "Widget",
        entity_id,
        {"from": "DRAFT", "to": "LIVE"},
        source="it",
        actor="service:it",
    )
    publish(stack, created, changed, created, service="audit")

    newest, oldest = rows_for(stack, "Widget", entity_id, 2)

    assert oldest == {
        "id": oldest["id"],
        "action": "widget.created",
        "entityType": "Widget",
        "entityId": entity_id,
        "before": None,
        "after": {"name": "w", "tags": ["a", "b"], "size": 2.5},
        "actorSubject": actor["id"],
        "actor": {"id": actor["id"], "name": "Audrey Tor"},
        "source": "it",
        "timestamp": "2025-01-02T03:04:05+00:00",
        "requestId": "it-audit-1",
    }
    assert (newest["before"], newest["after"]) == ({"status": "DRAFT"}, {"status": "LIVE"})
    assert (newest["actorSubject"], newest["actor"]) == ("service:it", None)

    trail = stack.data(
        "query($id: ID!) { user(id: $id) { name auditTrail { items { id action } } } }",
        {"id": actor["id"]},
    )["user"]
    assert {"id": oldest["id"], "action": "widget.created"} in trail["auditTrail"]["items"]


def test_a_reversed_time_range_is_refused_naming_from(stack: RunningStack) -> None:
    error = only_error(
        stack,
        "query($f: DateTime, $t: DateTime) { auditLogs(from: $f, to: $t) { items { id } } }",
        {"f": "2025-02-01T00:00:00Z", "t": "2025-01-01T00:00:00Z"},
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "from"


def test_the_database_refuses_to_change_the_audit_log(stack: RunningStack) -> None:
    entity_id = uuid.uuid4().hex[:12]
    publish(stack, Event("widget.created", "Widget", entity_id, {}, source="it"))
    rows_for(stack, "Widget", entity_id, 1)
    url = stack.services["audit"].env["AUDIT_SERVICE_DB_URL"]

    async def attempt(statement: str) -> str:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text(statement), {"id": entity_id})
        except DBAPIError as exc:  # PostgreSQL's and SQLite's trigger errors alike
            return str(exc.orig)
        finally:
            await engine.dispose()
        return "allowed"

    for statement in (
        "UPDATE audit_log SET action = 'forged' WHERE entity_id = :id",
        "DELETE FROM audit_log WHERE entity_id = :id",
    ):
        assert "append-only" in asyncio.run(attempt(statement))
    assert rows_for(stack, "Widget", entity_id, 1)[0]["action"] == "widget.created"
