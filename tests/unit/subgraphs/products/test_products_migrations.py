"""The products Alembic history builds the tables the models describe; the seed fills them once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from common.db import create_session_factory
from common.migrations import upgrade_to_head
from subgraphs.kit.database import RequestDb
from subgraphs.products.app import SUBGRAPH
from subgraphs.products.models import ProductsBase
from subgraphs.products.seed import DEMO_PRODUCTS, seed_products
from subgraphs.products.service import ProductService


@pytest.fixture
async def migrated(tmp_path) -> AsyncIterator[AsyncEngine]:
    """A SQLite file migrated to head (a file: Alembic opens its own connection)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'products.db'}"
    # upgrade_to_head runs its own event loop, so it must run off this one.
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    yield engine
    await engine.dispose()


async def test_migrations_match_the_models(migrated) -> None:
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, ProductsBase.metadata)

    async with migrated.connect() as connection:
        assert await connection.run_sync(differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0002"


async def test_the_database_refuses_a_negative_stock(migrated) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        await seed_products(session)
        await session.commit()
    async with migrated.begin() as connection:
        with pytest.raises(Exception, match="CHECK constraint failed"):
            await connection.execute(text("UPDATE products SET stock = -1 WHERE id = 1"))


async def test_seed_fills_an_empty_table_once(migrated) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        assert await seed_products(session) == 12
        await session.commit()
    async with sessions() as session:
        assert await seed_products(session) == 0
        products = await ProductService(RequestDb(session)).list_page(page_size=100)

    assert [row.sku for row in products.items] == [f"PROD-{n}" for n in range(1, 13)]
    assert [row.stock for row in products.items] == [stock for _, _, stock in DEMO_PRODUCTS]
    assert str(products.items[0].price) == "4.99" and str(products.items[2].price) == "19.99"
    assert sum(row.stock <= 3 for row in products.items) == 2, "a couple nearly sold out"
