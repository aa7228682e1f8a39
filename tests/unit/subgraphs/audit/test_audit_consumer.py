"""Every event through a real consumer becomes one audit row: actor, subject, before and after."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from common.db import create_session_factory
from common.events import Event
from subgraphs.audit.entries import actor_user_id
from subgraphs.audit.models import AuditLogRow

WHEN = datetime(2025, 2, 1, 8, 30, tzinfo=UTC)


async def rows(engine) -> list[AuditLogRow]:
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(AuditLogRow).order_by(AuditLogRow.id)))


async def test_each_kind_of_event_keeps_its_before_and_after(engine, record, clock) -> None:
    created = Event(
        "order.created",
        "Order",
        "12",
        {"order_id": 12, "user_id": 7, "items": [{"sku": "A", "quantity": 1, "unit_price": 2.5}]},
        source="orders",
        actor="7",
        request_id="req-1",
        time=WHEN,
    )
    changed = Event(
        "order.status_changed",
        "Order",
        "12",
        {"order_id": 12, "user_id": 7, "from": "PENDING", "to": "CANCELLED", "reason": "late"},
        source="orders",
        actor="service:products",
    )
    deleted = Event("repository.deleted", "Repository", "3", {"name": "x"}, source="repositories")
    user = Event("user.created", "User", "9", {"user_id": 9, "email": "a@b.io"}, source="users")

    assert await record(created, changed, deleted, user) == 4

    found = await rows(engine)
    assert [(r.action, r.before, r.after) for r in found] == [
        ("order.created", None, created.payload),
        ("order.status_changed", {"status": "PENDING"}, {"status": "CANCELLED", "reason": "late"}),
        ("repository.deleted", {"name": "x"}, None),
        ("user.created", None, {"user_id": 9, "email": "a@b.io"}),
    ]
    first = found[0]
    assert (first.event_id, first.entity_type, first.entity_id) == (created.id, "Order", "12")
    assert (first.actor_subject, first.actor_user_id, first.subject_user_id) == ("7", 7, 7)
    assert (first.request_id, first.source) == ("req-1", "orders")
    assert first.timestamp.replace(tzinfo=UTC) == WHEN, "the event's time, not the clock's"
    assert first.recorded_at.replace(tzinfo=UTC) == clock()
    assert (found[1].actor_subject, found[1].actor_user_id) == ("service:products", None)
    assert (found[2].actor_subject, found[2].subject_user_id) == (None, None)
    assert found[3].subject_user_id == 9, "a User entity is its own subject"


async def test_a_redelivered_or_republished_event_is_recorded_once(engine, bus, consumer) -> None:
    event = Event("payment.succeeded", "Payment", "3", {"user_id": 7}, source="payments")
    await bus.publish(event)
    (delivery,) = await bus.read("audit", "a", block_ms=50)

    assert await consumer.apply(delivery) is True
    assert await consumer.apply(delivery) is True
    async with create_session_factory(engine)() as session, session.begin():
        await consumer.handler(session, event)  # even past the processed-events check

    assert [row.event_id for row in await rows(engine)] == [event.id]


def test_actor_user_ids() -> None:
    assert [actor_user_id(a) for a in ("42", "user:5", " 8 ", "service:orders", "0", None)] == [
        42,
        5,
        8,
        None,
        None,
        None,
    ]
