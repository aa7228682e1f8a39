"""The orders Alembic history builds the tables the models describe; the seed fills them once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from common.db import create_session_factory
from common.migrations import alembic_config, upgrade_to_head
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, Identity
from subgraphs.orders.app import SUBGRAPH
from subgraphs.orders.models import OrdersBase, OrderStatus
from subgraphs.orders.seed import seed_orders
from subgraphs.orders.service import OrderService


@pytest.fixture
async def migrated(tmp_path) -> AsyncIterator[AsyncEngine]:
    """A SQLite file migrated to head (a file: Alembic opens its own connection)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}"
    # upgrade_to_head runs its own event loop, so it must run off this one.
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    yield engine
    await engine.dispose()


async def test_migrations_match_the_models(migrated) -> None:
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, OrdersBase.metadata)

    async with migrated.connect() as connection:
        assert await connection.run_sync(differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0003"


async def test_seed_fills_an_empty_table_once(migrated) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        assert await seed_orders(session) == 30
        await session.commit()
    async with sessions() as session:
        assert await seed_orders(session) == 0

        admin = Identity(subject="user:1", user_id=1, roles=frozenset({ADMIN}))
        service = OrderService(RequestDb(session), admin)
        orders = await service.list_page(page_size=100)
        per_user = await service.by_users(list(range(1, 13)))
        items = await service.items_of([row.id for row in orders.items])

    assert [row.id for row in orders.items] == list(range(1, 31))
    assert {row.user_id for row in orders.items} == set(range(1, 13))
    assert {row.status for row in orders.items} == set(OrderStatus)
    assert all(row.product_id.startswith("PROD-") for row in orders.items)
    assert [
        [(line.sku, line.quantity, line.unit_price * line.quantity) for line in lines]
        for lines in items
    ] == [[(row.product_id, row.quantity, row.total_price)] for row in orders.items]
    assert all(rows for rows in per_user)
    newest_first = [row.created_at for row in per_user[0]]
    assert newest_first == sorted(newest_first, reverse=True)


async def test_0002_gives_each_existing_order_one_item(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(SUBGRAPH.migrations, url)
    await asyncio.to_thread(command.upgrade, config, "0001")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO orders (user_id, product_id, quantity, total_price, status, "
                "created_at, updated_at) VALUES "
                "(1, 'PROD-1', 3, 10, 'PENDING', '2024-01-01', '2024-01-01'), "
                "(2, 'PROD-2', 2, 5.98, 'SHIPPED', '2024-01-01', '2024-01-01')"
            )
        )

    await asyncio.to_thread(command.upgrade, config, "head")

    async with engine.connect() as connection:
        items = (
            await connection.execute(
                text("SELECT order_id, position, sku, quantity, unit_price FROM order_items")
            )
        ).all()
    await engine.dispose()
    assert [(o, p, s, q, str(u)) for o, p, s, q, u in items] == [
        (1, 0, "PROD-1", 3, "3.33"),
        (2, 0, "PROD-2", 2, "2.99"),
    ]
