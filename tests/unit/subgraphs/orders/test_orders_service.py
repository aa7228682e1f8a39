"""Order rules: validation, every allowed and refused status move, soft delete."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from common.errors import Conflict, NotFound, ValidationFailed
from subgraphs.kit.clock import as_utc
from subgraphs.orders.models import OrderRow, OrderStatus
from subgraphs.orders.service import NEXT_STATUSES

S = OrderStatus
ALLOWED = [
    (S.PENDING, S.CONFIRMED),
    (S.CONFIRMED, S.SHIPPED),
    (S.SHIPPED, S.DELIVERED),
    (S.PENDING, S.CANCELLED),
    (S.CONFIRMED, S.CANCELLED),
]
REFUSED = [pair for pair in itertools.product(S, S) if pair not in ALLOWED]
#: How to bring a fresh (PENDING) order to each status.
PATH_TO = {
    S.PENDING: [],
    S.CONFIRMED: [S.CONFIRMED],
    S.SHIPPED: [S.CONFIRMED, S.SHIPPED],
    S.DELIVERED: [S.CONFIRMED, S.SHIPPED, S.DELIVERED],
    S.CANCELLED: [S.CANCELLED],
}


async def order_in(service, add_order, status: OrderStatus) -> int:
    order_id = await add_order()
    for step in PATH_TO[status]:
        await service.change_status(order_id, step)
    return order_id


async def test_create_starts_pending_and_unpriced(service, clock) -> None:
    order = await service.create(user_id="7", product_id="  PROD-42 ", quantity=3)

    assert order.id == 1
    assert (order.user_id, order.product_id, order.quantity) == (7, "PROD-42", 3)
    assert order.total_price is None
    assert order.status is OrderStatus.PENDING
    assert order.created_at == order.updated_at == clock.now


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"user_id": "abc"}, "userId"),
        ({"user_id": "0"}, "userId"),
        ({"user_id": ""}, "userId"),
        ({"product_id": ""}, "productId"),
        ({"product_id": "   "}, "productId"),
        ({"product_id": "P" * 65}, "productId"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10_001}, "quantity"),
        ({"idempotency_key": ""}, "idempotencyKey"),
        ({"idempotency_key": "k" * 256}, "idempotencyKey"),
        ({"idempotency_key": "tab\there"}, "idempotencyKey"),
        ({"idempotency_key": "cl\u00e9"}, "idempotencyKey"),
    ],
)
async def test_create_refuses_each_bad_field(service, fields, field) -> None:
    values = {"user_id": "1", "product_id": "PROD-1", "quantity": 1}

    with pytest.raises(ValidationFailed) as caught:
        await service.create(**(values | fields))

    assert caught.value.field == field
    assert [problem.field for problem in caught.value.problems] == [field]


@pytest.mark.parametrize(
    ("quantity", "key"), [(1, None), (10_000, "k" * 255), (2, "!"), (3, "~" * 10)]
)
async def test_create_accepts_boundaries(service, quantity, key) -> None:
    order = await service.create(
        user_id=1, product_id="P" * 64, quantity=quantity, idempotency_key=key
    )

    assert order.quantity == quantity


async def test_create_collects_every_bad_field(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.create(user_id="x", product_id="", quantity=0, idempotency_key=" ")

    assert [p.field for p in caught.value.problems] == [
        "userId",
        "productId",
        "quantity",
        "idempotencyKey",
    ]


@pytest.mark.parametrize(("current", "requested"), ALLOWED)
async def test_each_allowed_transition(service, add_order, clock, current, requested) -> None:
    order_id = await order_in(service, add_order, current)
    later = clock.advance(hours=1)

    order = await service.change_status(str(order_id), requested)

    assert order.status is requested
    assert order.updated_at == later


@pytest.mark.parametrize(("current", "requested"), REFUSED)
async def test_each_refused_transition_is_a_conflict_naming_the_way_forward(
    service, add_order, current, requested
) -> None:
    order_id = await order_in(service, add_order, current)

    with pytest.raises(Conflict) as caught:
        await service.change_status(order_id, requested)

    assert caught.value.code == "CONFLICT"
    assert caught.value.field == "status"
    message = caught.value.message
    assert f"from {current} to {requested}" in message
    for allowed in NEXT_STATUSES[current]:
        assert allowed in message.split("allowed next statuses:")[1]
    if not NEXT_STATUSES[current]:
        assert f"none ({current} is final)" in message


async def test_a_refused_transition_leaves_the_order_unchanged(service, add_order) -> None:
    order_id = await order_in(service, add_order, S.SHIPPED)

    with pytest.raises(Conflict):
        await service.change_status(order_id, S.CANCELLED)

    assert (await service.get_many([order_id]))[0].status is S.SHIPPED


def test_there_are_exactly_five_allowed_transitions() -> None:
    allowed = [(current, nxt) for current, nexts in NEXT_STATUSES.items() for nxt in nexts]

    assert sorted(allowed) == sorted(ALLOWED)


@pytest.mark.parametrize("order_id", ["999", "abc", "", "0", None])
async def test_unknown_ids_are_not_found(service, add_order, order_id) -> None:
    await add_order()

    with pytest.raises(NotFound):
        await service.change_status(order_id, S.CONFIRMED)
    with pytest.raises(NotFound):
        await service.delete(order_id)


async def test_delete_is_soft_and_final(service, session, add_order, clock) -> None:
    order_id = await add_order()
    when = clock.advance(hours=2)

    assert await service.delete(order_id) is True

    stored = await session.scalar(select(OrderRow).where(OrderRow.id == order_id))
    assert as_utc(stored.deleted_at) == when
    assert await service.get_many([order_id]) == [None]
    assert await service.by_users([1]) == [[]]
    assert (await service.list_page()).total == 0
    with pytest.raises(NotFound):
        await service.delete(order_id)
    with pytest.raises(NotFound):
        await service.change_status(order_id, S.CONFIRMED)


async def test_by_users_answers_each_user_newest_first(service, add_order) -> None:
    first = await add_order(user_id="1")
    other = await add_order(user_id="2")
    second = await add_order(user_id="1")

    found = await service.by_users([1, 3, 2])

    assert [[row.id for row in rows] for rows in found] == [[second, first], [], [other]]


async def test_list_page_treats_a_malformed_user_id_as_matching_nothing(service, add_order) -> None:
    await add_order()

    result = await service.list_page(user_id="abc")

    assert (list(result.items), result.total) == ([], 0)


async def test_list_page_validates_page_arguments(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.list_page(page=-1, page_size=0)

    assert [p.field for p in caught.value.problems] == ["page", "pageSize"]
