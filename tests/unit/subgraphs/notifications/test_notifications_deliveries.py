"""The dispatcher of deliveries: each stored delivery is sent once, after the event's commit;
a delivery whose dispatcher died mid-send is never sent again."""

from __future__ import annotations

from sqlalchemy import select

from common.db import create_session_factory
from subgraphs.kit.clock import as_utc
from subgraphs.notifications.channels import OutgoingMessage
from subgraphs.notifications.deliveries import ABANDONED_AFTER, DeliveryDispatcher
from subgraphs.notifications.models import DeliveryRow, DeliveryStatus, NotificationChannel

D, C = DeliveryStatus, NotificationChannel


class RecordingSender:
    """A provider that records what it was given; `fail` makes it raise."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[OutgoingMessage] = []
        self.fail = fail

    async def send(self, message: OutgoingMessage) -> str:
        if self.fail:
            raise ConnectionError("provider unreachable")
        self.sent.append(message)
        return f"receipt-{message.idempotency_key}"


def recording(clock, sender: RecordingSender) -> DeliveryDispatcher:
    return DeliveryDispatcher({channel: sender for channel in (C.EMAIL, C.SMS, C.PUSH)}, clock)


async def deliveries(engine) -> list[DeliveryRow]:
    async with create_session_factory(engine)() as session:
        return list(await session.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


async def test_each_delivery_is_sent_once_with_the_event_and_channel_as_its_key(
    engine, deliver, order_event, clock
) -> None:
    sender = RecordingSender()
    dispatcher = recording(clock, sender)
    sessions = create_session_factory(engine)
    event = order_event("order.created", order_id=12, user_id=7)
    await deliver(event)

    assert await dispatcher.dispatch(sessions) == 1
    assert await dispatcher.dispatch(sessions) == 0, "nothing left to send"

    (message,) = sender.sent
    assert (message.channel, message.user_id, message.title) == (C.EMAIL, 7, "Order #12 placed")
    assert message.idempotency_key == f"{event.id}:EMAIL"
    (row,) = await deliveries(engine)
    assert (row.status, row.log) == (D.SENT, f"receipt-{event.id}:EMAIL")
    assert row.sent_at is not None and as_utc(row.sent_at) == clock.now


async def test_a_claimed_delivery_is_no_other_dispatchers(engine, deliver, order_event, clock):
    await deliver(order_event("order.created"))
    sessions = create_session_factory(engine)
    (row,) = await deliveries(engine)
    first, second = recording(clock, RecordingSender()), recording(clock, RecordingSender())

    claimed = await first._claim(sessions, row.id)

    assert claimed is not None
    assert await second._claim(sessions, row.id) is None
    assert await second.dispatch(sessions) == 0


async def test_a_failed_send_is_recorded_and_not_tried_again(
    engine, deliver, order_event, clock
) -> None:
    sender = RecordingSender(fail=True)
    dispatcher = recording(clock, sender)
    sessions = create_session_factory(engine)
    await deliver(order_event("payment.succeeded"))

    await dispatcher.dispatch(sessions)
    sender.fail = False
    await dispatcher.dispatch(sessions)

    (row,) = await deliveries(engine)
    assert (row.status, row.sent_at) == (D.FAILED, None)
    assert "provider unreachable" in (row.error or "")
    assert sender.sent == []


async def test_a_delivery_left_sending_by_a_dead_dispatcher_is_never_sent_again(
    engine, deliver, order_event, clock
) -> None:
    sender = RecordingSender()
    sessions = create_session_factory(engine)
    await deliver(order_event("order.created"))
    (row,) = await deliveries(engine)
    await recording(clock, sender)._claim(sessions, row.id)  # ... and the process died

    await recording(clock, sender).dispatch(sessions)
    assert (await deliveries(engine))[0].status is D.SENDING
    clock.advance(seconds=ABANDONED_AFTER.total_seconds() + 1)
    await recording(clock, sender).dispatch(sessions)

    (abandoned,) = await deliveries(engine)
    assert abandoned.status is D.UNKNOWN
    assert "may or may not have been sent" in (abandoned.error or "")
    assert sender.sent == []


async def test_a_redelivered_event_sends_nothing_more(engine, bus, consumer, order_event, clock):
    sender = RecordingSender()
    dispatcher = recording(clock, sender)
    sessions = create_session_factory(engine)
    event = order_event("order.created")
    await bus.publish(event)
    (delivery,) = await bus.read("notifications", "n", block_ms=50)

    assert await consumer.apply(delivery) is True
    await dispatcher.dispatch(sessions)
    assert await consumer.apply(delivery) is True  # redelivered before it was acknowledged
    await dispatcher.dispatch(sessions)

    assert [m.idempotency_key for m in sender.sent] == [f"{event.id}:EMAIL"]
