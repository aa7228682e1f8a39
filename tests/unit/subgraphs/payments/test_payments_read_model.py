"""The read model of orders, filled from order events exactly once per event; the total is the
catalogue's, from the confirmation, never the one an `order.created` names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from common.events import Delivery, Event
from common.events.consumer import EventConsumer
from subgraphs.payments.models import OrderTotalRow, processed_events
from subgraphs.payments.read_model import ORDER_EVENTS, apply_order_event


def order_event(kind: str, **payload: object) -> Event:
    return Event(
        type=kind,
        entity_type="Order",
        entity_id=str(payload.get("order_id")),
        payload=payload,
        source="orders",
    )


def created(order_id: object = 31, user_id: object = 4, total: object = "19.98") -> Event:
    items = [{"sku": "PROD-1", "quantity": 2, "unit_price": "9.99"}]
    return order_event(
        "order.created", order_id=order_id, user_id=user_id, items=items, total_amount=total
    )


def status_changed(order_id: int, to: object, frm: str = "PENDING", total: object = None) -> Event:
    return order_event(
        "order.status_changed",
        order_id=order_id,
        user_id=4,
        to=to,
        reason=None,
        total_amount=total,
        **{"from": frm},
    )


async def apply(sessions, *events: Event) -> None:
    for event in events:
        async with sessions() as session, session.begin():
            await apply_order_event(session, event)


async def order_row(sessions, order_id: int) -> OrderTotalRow | None:
    async with sessions() as session:
        return await session.get(OrderTotalRow, order_id)


@pytest.mark.parametrize("total", ["19.98", "0.01", None, "lots"])
async def test_order_created_records_user_and_pending_but_no_total(sessions, total) -> None:
    await apply(sessions, created(total=total))

    row = await order_row(sessions, 31)
    assert (row.user_id, row.total_amount, row.status) == (4, None, "PENDING")


@pytest.mark.parametrize("total", ["19.98", 19.98, Decimal("19.98"), "19.980"])
async def test_the_confirmation_brings_the_catalogue_total(sessions, total) -> None:
    await apply(sessions, created(total="0.01"), status_changed(31, "CONFIRMED", total=total))

    row = await order_row(sessions, 31)
    assert (row.total_amount, row.status) == (Decimal("19.98"), "CONFIRMED")


async def test_a_later_status_change_without_a_total_keeps_it(sessions) -> None:
    await apply(
        sessions,
        created(),
        status_changed(31, "CONFIRMED", total="5.00"),
        status_changed(31, "SHIPPED", "CONFIRMED"),
    )

    assert (await order_row(sessions, 31)).total_amount == Decimal("5.00")


async def test_ids_may_come_as_strings(sessions) -> None:
    await apply(sessions, created(order_id="32", user_id="5"))

    assert (await order_row(sessions, 32)).user_id == 5


async def test_status_changes_follow_the_order(sessions) -> None:
    await apply(
        sessions,
        created(),
        status_changed(31, "CONFIRMED"),
        status_changed(31, "CANCELLED", "CONFIRMED"),
    )

    assert (await order_row(sessions, 31)).status == "CANCELLED"


async def test_a_status_change_of_an_unknown_order_is_ignored(sessions) -> None:
    await apply(sessions, status_changed(99, "CONFIRMED"))

    assert await order_row(sessions, 99) is None


@pytest.mark.parametrize(
    "event",
    [
        created(order_id=None),
        created(user_id="someone"),
        status_changed(31, None),
        status_changed(31, "CONFIRMED", total="lots"),
    ],
)
async def test_a_malformed_payload_raises_so_the_consumer_retries_then_parks(
    sessions, event
) -> None:
    await apply(sessions, created())

    with pytest.raises(ValueError):
        await apply(sessions, event)


async def test_through_the_consumer_a_redelivered_event_applies_once(sessions) -> None:
    consumer = EventConsumer(
        bus=None,  # apply() does not touch the bus
        sessions=sessions,
        processed=processed_events,
        handler=apply_order_event,
        group="payments",
        consumer="payments-1",
        types=ORDER_EVENTS,
    )
    first = created(total="10.00")
    delivery = Delivery("1", first)

    assert await consumer.apply(delivery) is True
    await apply(sessions, status_changed(31, "CONFIRMED", total="10.00"))
    assert await consumer.apply(delivery) is True  # redelivered: no second effect

    row = await order_row(sessions, 31)
    assert (row.total_amount, row.status) == (Decimal("10.00"), "CONFIRMED")
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(processed_events))
    assert count == 1
    assert await consumer.apply(Delivery("2", order_event("user.created", user_id=1))) is True
