"""The inventory consumer: all-or-nothing reservations at the catalogue's prices, exact and
idempotent releases, events."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from common.events import Event
from common.events.consumer import EventConsumer
from common.events.local_log import LocalEventLog
from subgraphs.products.inventory import INVENTORY_CONSUMER, apply_inventory_event
from subgraphs.products.models import ReservationRow, ReservationStatus, processed_events


def order_created(order_id: int, *items: tuple[str, int], actor: str | None = None) -> Event:
    return Event(
        actor=actor,
        type="order.created",
        entity_type="Order",
        entity_id=str(order_id),
        source="orders",
        payload={
            "order_id": str(order_id),
            "user_id": "1",
            "items": [{"sku": s, "quantity": q} for s, q in items],
        },
    )


def status_changed(
    order_id: int, to: str, reason: str | None = None, actor: str | None = None
) -> Event:
    return Event(
        actor=actor,
        type="order.status_changed",
        entity_type="Order",
        entity_id=str(order_id),
        source="orders",
        payload={
            "order_id": str(order_id),
            "user_id": "1",
            "from": "X",
            "to": to,
            "reason": reason,
        },
    )


def refunded(order_id: int) -> Event:
    return Event(
        type="payment.refunded",
        entity_type="Payment",
        entity_id="5",
        source="payments",
        payload={"payment_id": "5", "order_id": str(order_id), "user_id": "1", "amount": "1.00"},
    )


@pytest.fixture
def apply(sessions):
    """Applies one event in its own transaction, as the consumer does."""

    async def run(event: Event) -> None:
        async with sessions() as session, session.begin():
            await apply_inventory_event(session, event)

    return run


@pytest.fixture
def stock(service):
    async def of(*product_ids: int) -> list[int]:
        return [row.stock for row in await service.get_many(list(product_ids))]

    return of


async def reservations(sessions) -> list[tuple[int, str, int, ReservationStatus]]:
    async with sessions() as session:
        rows = await session.scalars(select(ReservationRow).order_by(ReservationRow.id))
        return [(r.order_id, r.sku, r.quantity, r.status) for r in rows]


async def test_an_order_in_stock_is_reserved_whole_at_the_catalogue_prices(
    apply, add_product, stock, sessions, emitted
) -> None:
    mug = await add_product(sku="MUG", stock=5, price=4.5)
    lamp = await add_product(sku="LAMP", stock=2, price=19.99)

    await apply(order_created(7, ("mug", 2), ("LAMP", 2), ("MUG", 1)))

    assert await stock(mug, lamp) == [2, 0]
    assert await reservations(sessions) == [
        (7, "LAMP", 2, ReservationStatus.RESERVED),
        (7, "MUG", 3, ReservationStatus.RESERVED),
    ]
    (event,) = await emitted()
    assert (event.type, event.source, event.entity_type, event.entity_id) == (
        "inventory.reserved",
        "products",
        "Order",
        "7",
    )
    assert event.payload == {
        "order_id": "7",
        "items": [
            {"sku": "LAMP", "quantity": 2, "unit_price": "19.99"},
            {"sku": "MUG", "quantity": 3, "unit_price": "4.50"},
        ],
        "total_amount": "53.48",
    }
    async with sessions() as session:
        prices = await session.scalars(
            select(ReservationRow.unit_price).order_by(ReservationRow.id)
        )
        assert list(prices) == [Decimal("19.99"), Decimal("4.50")]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quantity=st.integers(min_value=1, max_value=5),
    claimed=st.one_of(st.none(), st.text(max_size=8), st.floats(), st.integers(), st.just("0.01")),
)
async def test_a_price_in_the_order_event_never_prices_the_order(
    sessions, add_product, emitted, quantity, claimed
) -> None:
    """Whatever `unit_price` and `total_amount` an `order.created` names, the answer carries
    the catalogue's."""
    sku = f"P{len(await emitted())}"
    await add_product(sku=sku, price=12.34, stock=100)
    event = order_created(len(await emitted()) + 1, (sku, quantity))
    event.payload["items"][0]["unit_price"] = claimed
    event.payload["total_amount"] = claimed
    async with sessions() as session, session.begin():
        await apply_inventory_event(session, event)

    answer = (await emitted())[-1]
    assert answer.type == "inventory.reserved"
    assert answer.payload["items"][0]["unit_price"] == "12.34"
    assert answer.payload["total_amount"] == str(Decimal("12.34") * quantity)


async def test_an_order_beyond_what_a_total_may_hold_is_rejected(
    apply, add_product, stock, emitted
) -> None:
    dear = await add_product(sku="DEAR", price=9999999999.99, stock=5)

    await apply(order_created(9, ("DEAR", 2)))

    assert await stock(dear) == [5]
    (event,) = await emitted()
    assert event.type == "inventory.rejected"
    assert "more than an order may hold" in event.payload["reason"]


async def test_a_missing_item_rejects_the_whole_order_naming_each_problem(
    apply, add_product, stock, sessions, emitted
) -> None:
    mug = await add_product(sku="MUG", stock=5)
    lamp = await add_product(sku="LAMP", stock=1)
    await add_product(sku="OLD", stock=9, active=False)

    await apply(order_created(8, ("MUG", 2), ("LAMP", 3), ("OLD", 1), ("NOPE", 1)))

    assert await stock(mug, lamp) == [5, 1], "nothing held"
    assert await reservations(sessions) == []
    (event,) = await emitted()
    assert event.type == "inventory.rejected"
    reason = event.payload["reason"]
    assert "insufficient stock for LAMP: 3 requested, 1 available" in reason
    assert "OLD is not available (inactive)" in reason
    assert "unknown sku NOPE" in reason
    assert "MUG" not in reason
    assert event.payload["items"] == [
        {"sku": "LAMP", "quantity": 3},
        {"sku": "MUG", "quantity": 2},
        {"sku": "NOPE", "quantity": 1},
        {"sku": "OLD", "quantity": 1},
    ]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], "the order has no items"),
        ([{"sku": "MUG", "quantity": 0}], "MUG: quantity 0 is not a positive whole number"),
        ([{"quantity": 1}], "item 1 names no sku"),
    ],
)
async def test_malformed_items_are_rejected(apply, add_product, emitted, items, expected) -> None:
    await add_product(sku="MUG")
    event = order_created(9)
    event.payload["items"] = items

    await apply(event)

    (answer,) = await emitted()
    assert (answer.type, answer.payload["reason"]) == ("inventory.rejected", expected)


async def test_an_event_without_an_order_id_fails(apply) -> None:
    event = order_created(1, ("MUG", 1))
    del event.payload["order_id"]

    with pytest.raises(ValueError, match="order_id"):
        await apply(event)


async def test_a_second_order_created_for_the_same_order_changes_nothing(
    apply, add_product, stock, emitted
) -> None:
    mug = await add_product(sku="MUG", stock=5)

    await apply(order_created(3, ("MUG", 2)))
    await apply(order_created(3, ("MUG", 2)))

    assert await stock(mug) == [3]
    assert [e.type for e in await emitted()] == ["inventory.reserved"]


async def test_cancelling_gives_the_stock_back_once(
    apply, add_product, stock, sessions, emitted, service
) -> None:
    mug, lamp = await add_product(sku="MUG", stock=5), await add_product(sku="LAMP", stock=2)
    await apply(order_created(4, ("MUG", 2), ("LAMP", 1)))
    # A renamed product still gets its own stock back: reservations hold the product id.
    await service.update(lamp, sku="LAMP-2")

    await apply(status_changed(4, "CANCELLED", "changed my mind"))
    await apply(status_changed(4, "CANCELLED"))
    await apply(refunded(4))

    assert await stock(mug, lamp) == [5, 2]
    assert [r[3] for r in await reservations(sessions)] == [ReservationStatus.RELEASED] * 2
    events = await emitted()
    assert [e.type for e in events] == ["inventory.reserved", "inventory.released"]
    assert events[1].payload == {
        "order_id": "4",
        "items": [{"sku": "LAMP", "quantity": 1}, {"sku": "MUG", "quantity": 2}],
        "reason": "order cancelled: changed my mind",
    }


async def test_a_refund_releases_and_other_status_changes_do_not(
    apply, add_product, stock, emitted
) -> None:
    mug = await add_product(sku="MUG", stock=5)
    await apply(order_created(5, ("MUG", 5)))

    await apply(status_changed(5, "CONFIRMED"))
    await apply(status_changed(5, "SHIPPED"))
    assert await stock(mug) == [0]

    await apply(refunded(5))
    assert await stock(mug) == [5]
    assert emitted and (await emitted())[-1].payload["reason"] == "payment refunded"


async def test_releasing_a_rejected_or_unknown_order_does_nothing(
    apply, add_product, stock, emitted
) -> None:
    mug = await add_product(sku="MUG", stock=1)
    await apply(order_created(6, ("MUG", 2)))

    await apply(status_changed(6, "CANCELLED", "no stock"))
    await apply(refunded(77))

    assert await stock(mug) == [1]
    assert [e.type for e in await emitted()] == ["inventory.rejected"]


async def test_the_consumer_applies_a_redelivered_event_once(
    sessions, add_product, stock, emitted, tmp_path: Path
) -> None:
    mug = await add_product(sku="MUG", stock=5)
    bus = LocalEventLog.open(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    event = order_created(10, ("MUG", 2))
    await bus.publish(event)
    await bus.publish(
        Event(type="user.created", entity_type="User", entity_id="1", payload={}, source="users")
    )

    def consumer() -> EventConsumer:
        spec = INVENTORY_CONSUMER
        return EventConsumer(
            bus,
            sessions,
            processed_events,
            spec.handler,
            group=spec.group,
            consumer="p",
            types=spec.types,
        )

    (delivery, _other) = await bus.read("products", "p", block_ms=100)
    assert await consumer().apply(delivery) is True  # stored, then "died" before acknowledging
    assert await consumer().poll(block_ms=100) == 2, "redelivered, and settled with the other"

    assert await stock(mug) == [3]
    assert [e.type for e in await emitted()] == ["inventory.reserved"]
    await bus.close()


async def test_every_answer_carries_the_actor_of_the_event_it_answers(
    apply, add_product, emitted
) -> None:
    await add_product(sku="MUG", stock=5)
    placed = order_created(11, ("MUG", 2), actor="user:7")
    too_many = order_created(12, ("MUG", 9), actor="user:8")
    cancelled = status_changed(11, "CANCELLED", actor="admin")

    for event in (placed, too_many, cancelled, order_created(13, ("MUG", 1))):
        await apply(event)

    assert [(e.type, e.actor) for e in await emitted()] == [
        ("inventory.reserved", "user:7"),
        ("inventory.rejected", "user:8"),
        ("inventory.released", "admin"),
        ("inventory.reserved", None),
    ]
