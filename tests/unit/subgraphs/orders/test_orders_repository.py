"""Orders SQL: pagination, filters, each user's newest orders in one query, live rows only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from subgraphs.kit.pagination import PageRequest
from subgraphs.orders import repository
from subgraphs.orders.models import OrderRow, OrderStatus

START = datetime(2025, 1, 1, tzinfo=UTC)
STATUSES = list(OrderStatus)


@pytest.fixture
async def orders(session) -> list[OrderRow]:
    """12 orders: user (n % 3) + 1, statuses cycling, one hour apart; order 12 deleted."""
    rows = [
        OrderRow(
            user_id=number % 3 + 1,
            product_id=f"PROD-{number}",
            quantity=1,
            total_price=Decimal("1.50"),
            status=STATUSES[number % len(STATUSES)],
            created_at=START + timedelta(hours=number),
            updated_at=START + timedelta(hours=number),
            deleted_at=START if number == 12 else None,
        )
        for number in range(1, 13)
    ]
    session.add_all(rows)
    await session.commit()
    return rows


async def test_list_page_pages_live_orders_by_id(session, orders) -> None:
    first = await repository.list_page(session, PageRequest(page=1, size=5))
    last = await repository.list_page(session, PageRequest(page=3, size=5))

    assert [row.id for row in first.items] == [1, 2, 3, 4, 5]
    assert [row.id for row in last.items] == [11]
    assert (first.total, first.total_pages) == (11, 3)


async def test_list_page_filters_by_user_and_status(session, orders) -> None:
    by_user = await repository.list_page(session, PageRequest(1, 20), user_id=1)
    by_status = await repository.list_page(
        session, PageRequest(1, 20), status=OrderStatus.CONFIRMED
    )
    both = await repository.list_page(
        session, PageRequest(1, 20), user_id=2, status=OrderStatus.CONFIRMED
    )

    assert [row.id for row in by_user.items] == [3, 6, 9]
    assert [row.id for row in by_status.items] == [1, 6, 11]
    assert [row.id for row in both.items] == [1]


async def test_by_users_is_one_query_newest_first(engine, session, orders, sql_statements):
    statements = sql_statements(engine)

    grouped = await repository.by_users(session, [1, 2, 3, 4])

    assert statements.count == 1
    assert [row.id for row in grouped[1]] == [9, 6, 3]
    assert [row.id for row in grouped[3]] == [11, 8, 5, 2]
    assert 4 not in grouped


async def test_get_many_and_get_skip_deleted_orders(session, orders) -> None:
    assert sorted(await repository.get_many(session, [1, 12, 40])) == [1]
    assert await repository.get(session, 12) is None
    assert (await repository.get(session, 11)).product_id == "PROD-11"
