"""Orders with items: both input forms, their validation, cancellation and the events; no price
a client sends reaches an order (the catalogue prices it, see test_orders_saga.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from common.errors import Conflict, NotFound, ValidationFailed
from common.events import Event
from subgraphs.orders.models import OrderStatus, outbox

S = OrderStatus


def item(sku: str = "PROD-1", quantity: int = 1, unit_price: float = 2.5) -> SimpleNamespace:
    return SimpleNamespace(product_id=sku, quantity=quantity, unit_price=unit_price)


@pytest.fixture
def emitted(session):
    async def read() -> list[Event]:
        bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
        return [Event.from_json(body) for body in bodies]

    return read


async def test_an_order_of_items_is_unpriced_until_the_inventory_prices_it(
    service, emitted
) -> None:
    row = await service.create(
        user_id="3",
        items=[item(" PROD-2 ", 2, 4.99), item("PROD-5", 1, 10)],
        shipping_address=" 1 Main St ",
        notes="",
    )

    assert (row.product_id, row.quantity, row.total_price) == ("PROD-2", 2, None)
    assert (row.shipping_address, row.notes, row.status) == ("1 Main St", None, S.PENDING)
    items = (await service.items_of([row.id]))[0]
    assert [(i.position, i.sku, i.quantity, i.unit_price) for i in items] == [
        (0, "PROD-2", 2, None),
        (1, "PROD-5", 1, None),
    ]
    (event,) = await emitted()
    assert (event.type, event.source, event.entity_type, event.entity_id) == (
        "order.created",
        "orders",
        "Order",
        str(row.id),
    )
    assert event.payload == {
        "order_id": str(row.id),
        "user_id": "3",
        "items": [{"sku": "PROD-2", "quantity": 2}, {"sku": "PROD-5", "quantity": 1}],
    }


async def test_the_single_product_form_becomes_one_unpriced_item(service, emitted) -> None:
    row = await service.create(user_id=1, product_id="PROD-3", quantity=3)

    (line,) = (await service.items_of([row.id]))[0]
    assert (line.sku, line.quantity, line.unit_price, row.total_price) == ("PROD-3", 3, None, None)
    assert (await emitted())[0].payload["items"] == [{"sku": "PROD-3", "quantity": 3}]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prices=st.lists(
        st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**15), 10**15)),
        min_size=1,
        max_size=4,
    ),
    quantities=st.lists(st.integers(min_value=1, max_value=10_000), min_size=4, max_size=4),
)
async def test_no_price_a_client_sends_reaches_the_order_or_its_event(
    service, emitted, prices, quantities
) -> None:
    """Any unit price (negative, huge, NaN, infinite) is ignored: the order and `order.created`
    carry skus and quantities only."""
    lines = [item(f"PROD-{n}", quantities[n], price) for n, price in enumerate(prices)]

    row = await service.create(user_id="2", items=lines)

    assert row.total_price is None
    assert all(i.unit_price is None for i in (await service.items_of([row.id]))[0])
    event = (await emitted())[-1]
    assert event.payload["items"] == [
        {"sku": f"PROD-{n}", "quantity": quantities[n]} for n in range(len(prices))
    ]
    assert "total_amount" not in event.payload


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({}, ["items"]),
        ({"items": [item()], "product_id": "PROD-1"}, ["items"]),
        ({"items": [item()], "quantity": 1}, ["items"]),
        ({"items": []}, ["items"]),
        ({"product_id": "PROD-1"}, ["quantity"]),
        ({"quantity": 2}, ["productId"]),
        (
            {"items": [item(), item("", 0, 1.001), item("PROD-1")]},
            ["items[1].productId", "items[1].quantity", "items[2].productId"],
        ),
        (
            {"items": [item()], "shipping_address": "x" * 501, "notes": "n" * 2001},
            ["shippingAddress", "notes"],
        ),
        ({"items": [item()], "idempotency_key": "two words"}, ["idempotencyKey"]),
    ],
)
async def test_exactly_one_form_and_every_bad_field_is_named(service, fields, problems) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.create(user_id="1", **fields)

    assert [p.field for p in caught.value.problems] == problems


async def test_every_status_change_emits_order_status_changed(service, add_order, emitted) -> None:
    order_id = await add_order(user_id="4")

    await service.change_status(order_id, S.CONFIRMED)
    row = await service.cancel(str(order_id), "  out of budget ")

    assert (row.status, row.cancellation_reason) == (S.CANCELLED, "out of budget")
    changes = [e.payload for e in await emitted() if e.type == "order.status_changed"]
    assert changes == [
        {
            "order_id": str(order_id),
            "user_id": "4",
            "from": "PENDING",
            "to": "CONFIRMED",
            "reason": None,
            "total_amount": None,
        },
        {
            "order_id": str(order_id),
            "user_id": "4",
            "from": "CONFIRMED",
            "to": "CANCELLED",
            "reason": "out of budget",
            "total_amount": None,
        },
    ]


@pytest.mark.parametrize("path", [[S.CONFIRMED, S.SHIPPED], [S.CANCELLED]])
async def test_only_pending_or_confirmed_orders_can_be_cancelled(
    service, add_order, emitted, path
) -> None:
    order_id = await add_order()
    for status in path:
        await service.change_status(order_id, status)
    before = len(await emitted())

    with pytest.raises(Conflict) as caught:
        await service.cancel(order_id)

    assert caught.value.field == "id"
    assert "only PENDING or CONFIRMED" in caught.value.message
    assert len(await emitted()) == before, "no event for a refused change"


async def test_cancel_checks_its_input(service, add_order) -> None:
    order_id = await add_order()

    with pytest.raises(NotFound):
        await service.cancel("999")
    with pytest.raises(ValidationFailed) as caught:
        await service.cancel(order_id, "r" * 501)
    assert caught.value.field == "reason"
    assert (await service.cancel(order_id, "   ")).cancellation_reason is None
