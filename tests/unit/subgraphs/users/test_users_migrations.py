"""The users Alembic history builds the tables the models describe; the seed fills them once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from common.db import create_session_factory
from common.migrations import upgrade_to_head
from subgraphs.kit.database import RequestDb
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UserRow, UsersBase
from subgraphs.users.seed import DEMO_USERS, seed_users
from subgraphs.users.service import UserService

WHEN = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
async def migrated(tmp_path) -> AsyncIterator[AsyncEngine]:
    """A SQLite file migrated to head (a file: Alembic opens its own connection)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"
    # upgrade_to_head runs its own event loop, so it must run off this one.
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    yield engine
    await engine.dispose()


async def test_migrations_match_the_models(migrated) -> None:
    def differences(connection):
        return compare_metadata(MigrationContext.configure(connection), UsersBase.metadata)

    async with migrated.connect() as connection:
        assert await connection.run_sync(differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == "0002"


async def test_upgrading_twice_changes_nothing(migrated, tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)


async def test_email_is_unique_among_live_users_only(migrated) -> None:
    row = {
        "email": "ada@example.com",
        "name": "Ada",
        "active": True,
        "created_at": WHEN,
        "updated_at": WHEN,
    }
    async with migrated.begin() as connection:
        await connection.execute(insert(UserRow.__table__), [row | {"deleted_at": WHEN}])
        await connection.execute(insert(UserRow.__table__), [row | {"deleted_at": WHEN}])
        await connection.execute(insert(UserRow.__table__), [row])
    with pytest.raises(IntegrityError):
        async with migrated.begin() as connection:
            await connection.execute(insert(UserRow.__table__), [row])


async def test_seed_fills_an_empty_table_once_with_ids_in_order(migrated) -> None:
    sessions = create_session_factory(migrated)
    async with sessions() as session:
        assert await seed_users(session) == len(DEMO_USERS) == 12
        await session.commit()
    async with sessions() as session:
        assert await seed_users(session) == 0

        users = await UserService(RequestDb(session)).list_page(page_size=100)

    assert [row.id for row in users.items] == list(range(1, 13))
    assert users.items[0].email == "ada.lovelace@example.com"
    assert sum(not row.active for row in users.items) == 1
    assert len({row.email for row in users.items}) == 12
