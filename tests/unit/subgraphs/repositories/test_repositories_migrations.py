"""The repositories Alembic history builds the tables the models describe; the seed fills once."""

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
from subgraphs.kit.identity import Identity
from subgraphs.repositories.app import SUBGRAPH
from subgraphs.repositories.models import RepositoriesBase, Visibility
from subgraphs.repositories.seed import seed_repositories
from subgraphs.repositories.service import RepositoryService


@pytest.fixture
async def migrated(tmp_path) -> AsyncIterator[AsyncEngine]:
    """A SQLite file migrated to head (a file: Alembic opens its own connection)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'repositories.db'}"
    # upgrade_to_head runs its own event loop, so it must run off this one.
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    yield engine
    await engine.dispose()


async def test_migrations_match_the_models(migrated) -> None:
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, RepositoriesBase.metadata)

    async with migrated.connect() as connection:
        assert await connection.run_sync(differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0001"


async def test_seed_fills_an_empty_table_once(migrated) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        assert await seed_repositories(session) == 15
        await session.commit()
    async with sessions() as session:
        assert await seed_repositories(session) == 0
        service = RepositoryService(
            RequestDb(session), caller=Identity("admin", roles=frozenset({"admin"}))
        )
        repositories = await service.list_page(page_size=100)
        per_owner = await service.by_owners(list(range(1, 13)))

    assert [row.id for row in repositories.items] == list(range(1, 16))
    assert {row.owner_id for row in repositories.items} == set(range(1, 13))
    assert {row.visibility for row in repositories.items} == set(Visibility)
    assert all(rows for rows in per_owner)
    assert all(row.url.startswith("https://") for row in repositories.items)
