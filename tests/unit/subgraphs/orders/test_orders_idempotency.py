"""Idempotency keys on createOrder: the same caller, key and request answer the first order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from common.errors import Forbidden, IdempotencyKeyReused, NotFound
from subgraphs.orders.models import OrderRow, idempotency_keys, outbox

ITEMS = [SimpleNamespace(product_id="PROD-1", quantity=2, unit_price=None)]


async def count(session, table) -> int:
    return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_a_retry_with_the_key_answers_the_first_order(service_as, user, session) -> None:
    first = await service_as(user(4)).create(items=ITEMS, idempotency_key="order-1")
    again = await service_as(user(4)).create(items=ITEMS, idempotency_key="order-1")

    assert again.id == first.id
    assert await count(session, OrderRow) == 1
    assert await count(session, outbox) == 1, "one order.created"
    row = (await session.execute(select(idempotency_keys))).one()
    assert (row.caller, row.key, row.operation, row.entity_id) == (
        "user:4",
        "order-1",
        "createOrder",
        first.id,
    )


async def test_prices_sent_do_not_make_a_retry_another_request(service_as, user) -> None:
    priced = [SimpleNamespace(product_id="PROD-1", quantity=2, unit_price=0.01)]

    first = await service_as(user(4)).create(items=ITEMS, idempotency_key="k")
    again = await service_as(user(4)).create(items=priced, idempotency_key="k")

    assert again.id == first.id


@pytest.mark.parametrize(
    "other",
    [
        {"items": [SimpleNamespace(product_id="PROD-1", quantity=3, unit_price=None)]},
        {"items": ITEMS, "notes": "a note"},
        {"items": ITEMS, "shipping_address": "elsewhere"},
        {"product_id": "PROD-2", "quantity": 2},
    ],
)
async def test_the_key_of_another_request_is_refused(service_as, user, session, other) -> None:
    await service_as(user(4)).create(items=ITEMS, idempotency_key="k")

    with pytest.raises(IdempotencyKeyReused) as caught:
        await service_as(user(4)).create(**other, idempotency_key="k")

    assert (caught.value.code, caught.value.field) == ("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")
    assert await count(session, OrderRow) == 1


async def test_keys_belong_to_their_caller(service_as, user, admin, session) -> None:
    mine = await service_as(user(4)).create(items=ITEMS, idempotency_key="k")
    theirs = await service_as(user(5)).create(items=ITEMS, idempotency_key="k")
    for_them = await service_as(admin).create(user_id="5", items=ITEMS, idempotency_key="k")

    assert len({mine.id, theirs.id, for_them.id}) == 3
    assert (mine.user_id, theirs.user_id, for_them.user_id) == (4, 5, 5)


async def test_an_order_for_another_user_is_another_request(service_as, admin) -> None:
    await service_as(admin).create(user_id="5", items=ITEMS, idempotency_key="k")

    with pytest.raises(IdempotencyKeyReused):
        await service_as(admin).create(user_id="6", items=ITEMS, idempotency_key="k")


async def test_a_refused_order_keeps_no_key(service_as, user, session) -> None:
    with pytest.raises(Forbidden):
        await service_as(user(4)).create(user_id="5", items=ITEMS, idempotency_key="k")

    assert await count(session, idempotency_keys) == 0
    assert (await service_as(user(4)).create(items=ITEMS, idempotency_key="k")).user_id == 4


async def test_the_retry_of_a_deleted_order_is_not_found(service_as, user, admin) -> None:
    first = await service_as(user(4)).create(items=ITEMS, idempotency_key="k")
    await service_as(admin).delete(first.id)

    with pytest.raises(NotFound):
        await service_as(user(4)).create(items=ITEMS, idempotency_key="k")
