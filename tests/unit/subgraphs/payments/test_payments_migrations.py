"""The payments Alembic history builds the tables the models describe; the seed fills them once
and agrees with the orders seed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from common.db import create_session_factory
from common.migrations import upgrade_to_head
from subgraphs.kit.database import RequestDb
from subgraphs.orders.seed import demo_orders
from subgraphs.payments.app import SUBGRAPH
from subgraphs.payments.models import OrderTotalRow, PaymentsBase, PaymentStatus
from subgraphs.payments.seed import SEEDED_ORDERS, seed_payments
from subgraphs.payments.service import PaymentService


@pytest.fixture
async def migrated(tmp_path) -> AsyncIterator[AsyncEngine]:
    """A SQLite file migrated to head (a file: Alembic opens its own connection)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'payments.db'}"
    # upgrade_to_head runs its own event loop, so it must run off this one.
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    yield engine
    await engine.dispose()


async def test_migrations_match_the_models(migrated) -> None:
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, PaymentsBase.metadata)

    async with migrated.connect() as connection:
        assert await connection.run_sync(differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0002"


async def test_seed_fills_empty_tables_once(migrated, admin) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        assert await seed_payments(session) == len(SEEDED_ORDERS) + 7
        await session.commit()
    async with sessions() as session:
        assert await seed_payments(session) == 0
        payments = await PaymentService(RequestDb(session), admin).list_page(page_size=100)
        known = {row.order_id: row for row in await session.scalars(select(OrderTotalRow))}

    assert [row.id for row in payments.items] == list(range(1, 8))
    # PROCESSING lasts only while a charge runs, so no demo payment is in it.
    assert {row.status for row in payments.items} == set(PaymentStatus) - {PaymentStatus.PROCESSING}
    for payment in payments.items:
        order = known[payment.order_id]
        assert (payment.user_id, payment.amount) == (order.user_id, order.total_amount)
    unpaid = set(known) - {row.order_id for row in payments.items}
    assert unpaid and all(known[order].status == "PENDING" for order in unpaid)


def _total(row: object) -> Decimal:
    """The order's total, whatever the orders model calls it."""
    for name in ("total_amount", "total_price", "total"):
        value = getattr(row, name, None)
        if value is not None:
            return Decimal(value).quantize(Decimal("0.01"))
    raise AssertionError(f"no total on {row!r}")


def test_seeded_read_model_matches_the_orders_seed() -> None:
    """`SEEDED_ORDERS` repeats some demo orders: it must say what the orders seed says."""
    orders = {index: row for index, row in enumerate(demo_orders(), start=1)}

    for order_id, user_id, total, status in SEEDED_ORDERS:
        order = orders[order_id]
        assert (order.user_id, _total(order), str(order.status)) == (
            user_id,
            Decimal(total),
            status,
        ), f"order {order_id}"
