"""The audit log through the gateway: every event on the real bus is one row, read back as JSON;
admins and services read it; a write made with a token shows who made it."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from common.db import create_engine
from common.events import Event
from tests.integration.stack_events import eventually, publish
from tests.integration.test_orders_through_gateway import create_product
from tests.integration.test_users_through_gateway import create_user, only_error
from tests.support.stack import RunningStack

LOGS = """
query($type: String, $id: String) { auditLogs(entityType: $type, entityId: $id) {
  items { id action entityType entityId before after actorSubject actor { id name } source
          timestamp requestId } pageInfo { totalCount } } }
"""


def as_caller(stack: RunningStack, headers: dict[str, str]) -> RunningStack:
    """The stack seen by a client sending `headers` ({} for an anonymous one)."""
    return replace(stack, default_headers=headers)


def rows_for(stack: RunningStack, entity_type: str, entity_id: str, count: int) -> list[dict]:
    """The audit rows of one entity (read by an admin), once `count` of them have arrived."""
    admin = stack.as_admin()
    page = eventually(
        lambda: admin.data(LOGS, {"type": entity_type, "id": entity_id})["auditLogs"],
        lambda page: page["pageInfo"]["totalCount"] >= count,
    )
    return page["items"]


def test_every_event_becomes_one_row_with_before_and_after(stack: RunningStack) -> None:
    actor = create_user(stack.as_admin(), name="Audrey Tor")
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

    trail = stack.as_admin().data(
        "query($id: ID!) { user(id: $id) { name auditTrail { items { id action } } } }",
        {"id": actor["id"]},
    )["user"]
    assert {"id": oldest["id"], "action": "widget.created"} in trail["auditTrail"]["items"]


def test_a_reversed_time_range_is_refused_naming_from(stack: RunningStack) -> None:
    error = only_error(
        stack.as_admin(),
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


def test_the_audit_log_is_for_admins_and_services(stack: RunningStack) -> None:
    entity_id = uuid.uuid4().hex[:12]
    publish(stack, Event("widget.created", "Widget", entity_id, {}, source="it"))
    (row,) = rows_for(stack, "Widget", entity_id, 1)
    user = as_caller(stack, stack.auth("user", user_id=1))
    one = "query($id: ID!) { auditLog(id: $id) { id action } }"

    for query, variables in ((LOGS, {"id": entity_id}), (one, {"id": row["id"]})):
        refused = only_error(as_caller(stack, {}), query, variables)
        assert refused["extensions"] == {"code": "UNAUTHENTICATED", "serviceName": "audit"}
        refused = only_error(user, query, variables)
        assert refused["extensions"] == {"code": "FORBIDDEN", "serviceName": "audit"}
        assert "needs the role admin or service" in refused["message"]
    service = as_caller(stack, stack.auth("service"))
    assert service.data(one, {"id": row["id"]}) == {
        "auditLog": {"id": row["id"], "action": "widget.created"}
    }


def placed_by(stack: RunningStack, user_id: int, sku: str) -> dict[str, Any]:
    """An order of one `sku`, placed by user `user_id` with their own token."""
    return as_caller(stack, stack.auth("user", user_id=user_id)).data(
        "mutation($sku: String!) { createOrder(input: {items: "
        "[{productId: $sku, quantity: 1, unitPrice: 9.99}]}) { id } }",
        {"sku": sku},
    )["createOrder"]


def test_writes_with_a_token_name_their_actor_down_the_saga(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin, name="Ada Actor")
    user_id = int(user["id"])
    product = create_product(admin, stock=5)

    order = placed_by(stack, user_id, product["sku"])

    # Placed (orders), stock held (products, answering), confirmed (orders, answering that):
    # each row names the user whose request set it off.
    rows = rows_for(stack, "Order", order["id"], 3)
    assert sorted((row["action"], row["actorSubject"], row["actor"]) for row in rows) == [
        ("inventory.reserved", f"user:{user_id}", {"id": user["id"], "name": "Ada Actor"}),
        ("order.created", f"user:{user_id}", {"id": user["id"], "name": "Ada Actor"}),
        ("order.status_changed", f"user:{user_id}", {"id": user["id"], "name": "Ada Actor"}),
    ]
    adjusted = admin.data(
        'mutation($id: ID!) { adjustInventory(id: $id, delta: 2, reason: "recount") { stock } }',
        {"id": product["id"]},
    )
    assert adjusted == {"adjustInventory": {"stock": 6}}, "5 - 1 held for the order + 2"
    (stock_row,) = rows_for(stack, "Product", product["id"], 1)
    assert stock_row["action"] == "product.stock_adjusted"
    assert (stock_row["actorSubject"], stock_row["actor"]) == ("test-client", None)
    assert stock_row["after"] == {
        "product_id": product["id"],
        "sku": product["sku"],
        "delta": 2,
        "reason": "recount",
        "stock": 6,
    }
    by_actor = admin.data(
        # The order's rows (the notifications it causes are the user's too, and come later).
        'query($a: ID!) { auditLogs(actorId: $a, entityType: "Order") '
        "{ items { action entityId } } }",
        {"a": user["id"]},
    )["auditLogs"]["items"]
    assert sorted(item["action"] for item in by_actor) == [
        "inventory.reserved",
        "order.created",
        "order.status_changed",
    ]
    assert {item["entityId"] for item in by_actor} == {order["id"]}
