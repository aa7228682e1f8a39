"""The saga consumer: the inventory's answer prices and confirms, or cancels, a PENDING order,
once; the prices are the catalogue's the answer carries."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from common.db import create_session_factory
from common.events import Delivery, Event
from common.events.consumer import EventConsumer
from subgraphs.orders.models import OrderStatus, outbox, processed_events
from subgraphs.orders.saga import SAGA_CONSUMER, apply_inventory_outcome

S = OrderStatus


def answer(
    kind: str,
    order_id: object,
    reason: str | None = None,
    actor: str | None = None,
    items: list[dict] | None = None,
) -> Event:
    line = {"sku": "PROD-1", "quantity": 1}
    if kind == "reserved":
        line["unit_price"] = "4.99"
    payload = {"order_id": str(order_id), "items": items or [line]}
    if reason is not None:
        payload["reason"] = reason
    return Event(
        type=f"inventory.{kind}",
        entity_type="Order",
        entity_id=str(order_id),
        payload=payload,
        source="products",
        actor=actor,
    )


@pytest.fixture
def apply(engine):
    sessions = create_session_factory(engine)

    async def run(event: Event) -> None:
        async with sessions() as session, session.begin():
            await apply_inventory_outcome(session, event)

    return run


async def status_events(session) -> list[dict]:
    bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
    events = [Event.from_json(body) for body in bodies]
    return [e.payload for e in events if e.type == "order.status_changed"]


async def test_reserved_prices_and_confirms_a_pending_order(
    apply, add_order, service, session
) -> None:
    order_id = await add_order(user_id="2", quantity=3)

    await apply(answer("reserved", order_id))

    (row,) = await service.get_many([order_id])
    await session.refresh(row)
    assert (row.status, row.cancellation_reason) == (S.CONFIRMED, None)
    assert row.total_price == Decimal("14.97")
    assert await status_events(session) == [
        {
            "order_id": str(order_id),
            "user_id": "2",
            "from": "PENDING",
            "to": "CONFIRMED",
            "reason": None,
            "total_amount": "14.97",
        }
    ]


def item(sku: str, quantity: int) -> SimpleNamespace:
    return SimpleNamespace(product_id=sku, quantity=quantity, unit_price=0.01)


async def test_each_line_takes_its_catalogue_price_whatever_the_case_of_its_sku(
    apply, service, session
) -> None:
    row = await service.create(user_id="1", items=[item("prod-2", 2), item("PROD-7", 1)])
    priced = [
        {"sku": "PROD-7", "quantity": 1, "unit_price": "49.99"},
        {"sku": "PROD-2", "quantity": 2, "unit_price": "12.49"},
    ]

    await apply(answer("reserved", row.id, items=priced))

    await session.refresh(row)
    lines = (await service.items_of([row.id]))[0]
    for line in lines:
        await session.refresh(line)
    assert [(line.sku, line.unit_price) for line in lines] == [
        ("prod-2", Decimal("12.49")),
        ("PROD-7", Decimal("49.99")),
    ]
    assert row.total_price == Decimal("74.97")


@pytest.mark.parametrize(
    "items",
    [
        [{"sku": "PROD-1", "quantity": 1}],
        [{"sku": "PROD-1", "quantity": 1, "unit_price": "-1.00"}],
        [{"sku": "PROD-1", "quantity": 1, "unit_price": "1.001"}],
        [{"sku": "PROD-1", "quantity": 1, "unit_price": "NaN"}],
        [{"sku": "PROD-9", "quantity": 1, "unit_price": "1.00"}],
        [{"quantity": 1, "unit_price": "1.00"}],
    ],
    ids=["no-price", "negative", "fraction-of-a-cent", "nan", "other-sku", "no-sku"],
)
async def test_an_answer_that_does_not_price_every_line_leaves_the_order_unpriced(
    apply, add_order, service, session, items
) -> None:
    order_id = await add_order()

    with pytest.raises(ValueError):
        await apply(answer("reserved", order_id, items=items))

    (row,) = await service.get_many([order_id])
    await session.refresh(row)
    assert (row.status, row.total_price) == (S.PENDING, None)
    assert await status_events(session) == []


async def test_rejected_cancels_with_the_reason(apply, add_order, service, session) -> None:
    order_id = await add_order()

    await apply(
        answer("rejected", order_id, "insufficient stock for PROD-1: 1 requested, 0 available")
    )

    (row,) = await service.get_many([order_id])
    await session.refresh(row)
    assert row.status is S.CANCELLED
    assert row.cancellation_reason == "insufficient stock for PROD-1: 1 requested, 0 available"
    assert (await status_events(session))[0]["reason"] == row.cancellation_reason


@pytest.mark.parametrize("kind", ["reserved", "rejected"])
async def test_answers_about_orders_no_longer_pending_are_ignored(
    apply, add_order, service, session, kind
) -> None:
    cancelled, deleted = await add_order(), await add_order()
    await service.cancel(cancelled, "changed my mind")
    await service.delete(deleted)
    before = await status_events(session)

    for order_id in (cancelled, deleted, 999, "junk"):
        await apply(answer(kind, order_id, "no stock"))

    (row,) = await service.get_many([cancelled])
    await session.refresh(row)
    assert (row.status, row.cancellation_reason) == (S.CANCELLED, "changed my mind")
    assert await status_events(session) == before


async def test_the_status_change_keeps_the_actor_of_the_answer(apply, add_order, session) -> None:
    confirmed, rejected = await add_order(), await add_order()

    await apply(answer("reserved", confirmed, actor="user:2"))
    await apply(answer("rejected", rejected, "no stock"))

    bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
    changes = [e for e in map(Event.from_json, bodies) if e.type == "order.status_changed"]
    assert [(e.entity_id, e.payload["to"], e.actor) for e in changes] == [
        (str(confirmed), "CONFIRMED", "user:2"),
        (str(rejected), "CANCELLED", None),
    ]


class TwiceBus:
    """A bus that delivers the same event twice (a redelivery), then nothing."""

    def __init__(self, event: Event) -> None:
        self.pending = [Delivery("1", event), Delivery("2", event)]
        self.acked: list[str] = []

    async def read(self, group, consumer, *, count=50, block_ms=1000):
        pending, self.pending = self.pending, []
        return pending

    async def ack(self, group, message_ids) -> None:
        self.acked.extend(message_ids)


async def test_a_duplicate_answer_moves_the_order_once(engine, add_order, session) -> None:
    order_id = await add_order()
    bus = TwiceBus(answer("reserved", order_id))
    consumer = EventConsumer(
        bus,
        create_session_factory(engine),
        processed_events,
        SAGA_CONSUMER.handler,
        group=SAGA_CONSUMER.group,
        consumer="o",
        types=SAGA_CONSUMER.types,
    )

    assert await consumer.poll() == 2
    assert bus.acked == ["1", "2"]
    assert len(await status_events(session)) == 1
