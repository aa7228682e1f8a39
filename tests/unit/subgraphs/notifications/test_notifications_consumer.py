"""Events through a real consumer: who is notified, on which channels, once, in which words; the
deliveries it stores are sent by the dispatcher afterwards (test_notifications_deliveries.py)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from common.db import create_session_factory
from common.events import Event
from subgraphs.notifications import repository
from subgraphs.notifications.models import (
    DeliveryRow,
    NotificationChannel,
    NotificationRow,
    PreferenceRow,
    outbox,
)

C = NotificationChannel


async def notifications(engine) -> list[NotificationRow]:
    async with create_session_factory(engine)() as session:
        rows = await session.scalars(select(NotificationRow).order_by(NotificationRow.id))
        return list(rows)


async def deliveries(engine) -> list[DeliveryRow]:
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


async def test_order_created_notifies_the_user_in_app_and_by_email_by_default(
    engine, deliver, order_event, dispatch
) -> None:
    event = order_event("order.created", order_id=12, user_id=7)

    assert await deliver(event) == 1

    rows = await notifications(engine)
    assert [(row.user_id, row.channel) for row in rows] == [(7, C.EMAIL), (7, C.IN_APP)]
    assert {row.title for row in rows} == {"Order #12 placed"}
    assert rows[0].body == "We received your order #12 for 2 items, total 10.00."
    assert all(row.event_id == event.id and row.event_type == "order.created" for row in rows)
    assert all(row.read_at is None for row in rows)
    (stored,) = await deliveries(engine)
    assert (stored.notification_id, stored.channel, stored.status) == (
        rows[0].id,
        C.EMAIL,
        "PENDING",
    )
    assert (stored.sent_at, stored.log) == (None, None), "nothing sent in the event's transaction"

    assert await dispatch() == 1
    (sent,) = await deliveries(engine)
    assert sent.status == "SENT"
    assert json.loads(sent.log) | {"sent_at": None} == {
        "channel": "EMAIL",
        "notification_id": rows[0].id,
        "event_id": event.id,
        "idempotency_key": f"{event.id}:EMAIL",
        "user_id": 7,
        "title": "Order #12 placed",
        "body": rows[0].body,
        "sent_at": None,
    }


async def test_a_redelivered_event_makes_no_second_notification(
    engine, bus, consumer, order_event
) -> None:
    event = order_event("payment.succeeded")
    await bus.publish(event)
    (delivery,) = await bus.read("notifications", "n", block_ms=50)

    assert await consumer.apply(delivery) is True  # applied ... and not acknowledged
    assert await consumer.apply(delivery) is True
    assert await consumer.poll(block_ms=50) == 1, "redelivered, settled without effect"
    await bus.publish(event)  # published twice (a relay crash): same event id
    assert await consumer.poll(block_ms=50) in (0, 1)

    assert [row.channel for row in await notifications(engine)] == [C.EMAIL, C.IN_APP]
    assert len(await deliveries(engine)) == 1


async def test_the_handler_itself_skips_channels_already_notified(
    engine, consumer, order_event
) -> None:
    event = order_event("payment.failed", reason="card declined")
    sessions = create_session_factory(engine)
    for _ in range(2):  # as if the processed-events row were lost
        async with sessions() as session, session.begin():
            await consumer.handler(session, event)

    rows = await notifications(engine)
    assert [row.channel for row in rows] == [C.EMAIL, C.IN_APP]
    assert rows[0].title == "Payment failed for order #12"
    assert rows[0].body == (
        "Your payment of 10.00 EUR for order #12 did not go through. Reason: card declined."
    )


async def test_preferences_choose_the_channels_and_an_empty_list_mutes(
    engine, deliver, order_event, clock
) -> None:
    async with create_session_factory(engine)() as session, session.begin():
        for event_type, channels in (("order.status_changed", "PUSH,SMS"), ("order.created", "")):
            repository.add_preference(
                session,
                PreferenceRow(
                    user_id=7, event_type=event_type, channels=channels, updated_at=clock()
                ),
            )

    await deliver(
        order_event("order.created"),
        order_event("order.status_changed", to="SHIPPED"),
        order_event("order.created", user_id=8),
    )

    rows = await notifications(engine)
    assert [(row.user_id, row.channel, row.title) for row in rows] == [
        (7, C.SMS, "Order #12 shipped"),
        (7, C.PUSH, "Order #12 shipped"),
        (8, C.EMAIL, "Order #12 placed"),
        (8, C.IN_APP, "Order #12 placed"),
    ]
    assert [row.channel for row in await deliveries(engine)] == [C.SMS, C.PUSH, C.EMAIL]


async def test_every_catalogue_event_reads_well(engine, deliver, order_event) -> None:
    await deliver(
        order_event("order.status_changed", to="CONFIRMED"),
        order_event("order.status_changed", to="CANCELLED", reason="out of stock"),
        order_event("payment.succeeded"),
        order_event("payment.refunded", amount="4.5"),
    )

    in_app = [row for row in await notifications(engine) if row.channel == C.IN_APP]
    assert [(row.title, row.body) for row in in_app] == [
        ("Order #12 confirmed", "Your order #12 is now confirmed."),
        ("Order #12 cancelled", "Your order #12 is now cancelled. Reason: out of stock."),
        ("Payment received for order #12", "We received your payment of 10.00 EUR for order #12."),
        ("Refund issued for order #12", "We refunded 4.50 EUR for order #12."),
    ]


async def test_other_events_and_events_without_a_user_notify_nobody(
    engine, deliver, order_event
) -> None:
    from common.events import Event

    others = Event("inventory.reserved", "Order", "12", {"order_id": 12}, source="products")
    nobody = order_event("order.created", user_id=None)

    assert await deliver(others, nobody) == 2, "both settled"
    assert await notifications(engine) == []
    async with create_session_factory(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(DeliveryRow))
    assert count == 0


async def test_an_in_app_notification_announces_itself_for_subscriptions(
    engine, deliver, order_event
) -> None:
    event = order_event("order.created", order_id=12, user_id=7)

    assert await deliver(event) == 1

    async with create_session_factory(engine)() as session:
        bodies = list(await session.scalars(select(outbox.c.body).order_by(outbox.c.id)))
    (announced,) = [Event.from_json(body) for body in bodies]  # IN_APP only, not EMAIL
    in_app = next(row for row in await notifications(engine) if row.channel == C.IN_APP)
    assert (announced.type, announced.entity_type) == ("notification.created", "Notification")
    assert announced.payload == {
        "notification_id": str(in_app.id),
        "user_id": "7",
        "channel": "IN_APP",
        "event_type": "order.created",
    }
    assert announced.actor == event.actor
