"""The users Alembic history builds the tables the models describe; the seed fills them once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from common.db import create_session_factory
from common.migrations import alembic_config, upgrade_to_head
from subgraphs.kit.database import RequestDb
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UserRow, UsersBase
from subgraphs.users.seed import DEMO_USERS, seed_demo_users, seed_users
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
    assert version == "0004"


async def test_upgrading_twice_changes_nothing(migrated, tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)


def user_values(**fields) -> dict:
    return {
        "email": "ada@example.com",
        "username": "ada",
        "name": "Ada",
        "active": True,
        "created_at": WHEN,
        "updated_at": WHEN,
    } | fields


@pytest.mark.parametrize("column", ["email", "username"])
async def test_email_and_username_are_unique_among_live_users_only(migrated, column) -> None:
    # Rows differ in the other unique column, so only `column` can clash.
    other = "username" if column == "email" else "email"

    def row(number: int, **fields) -> dict:
        value = f"u{number}" if other == "username" else f"u{number}@example.com"
        return user_values(**{other: value}, **fields)

    async with migrated.begin() as connection:
        await connection.execute(insert(UserRow.__table__), [row(1, deleted_at=WHEN)])
        await connection.execute(insert(UserRow.__table__), [row(2, deleted_at=WHEN)])
        await connection.execute(insert(UserRow.__table__), [row(3)])
    with pytest.raises(IntegrityError):
        async with migrated.begin() as connection:
            await connection.execute(insert(UserRow.__table__), [row(4)])


async def test_a_role_other_than_user_or_admin_is_refused(migrated) -> None:
    with pytest.raises(IntegrityError):
        async with migrated.begin() as connection:
            await connection.execute(insert(UserRow.__table__), [user_values(role="root")])


async def test_upgrading_existing_users_gives_them_usernames_and_the_role_user(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(SUBGRAPH.migrations, url)
    await asyncio.to_thread(command.upgrade, config, "0002")
    engine = create_async_engine(url)
    try:
        emails = ["Ada.Lovelace@example.com", "ada.lovelace@other.org", "a@b.co", "!!@x.io"]
        async with engine.begin() as connection:
            for email in emails:
                await connection.execute(
                    text(
                        "INSERT INTO users (email, name, active, created_at, updated_at) "
                        "VALUES (:email, 'Someone', 1, :when, :when)"
                    ),
                    {"email": email.lower(), "when": WHEN},
                )
        await asyncio.to_thread(command.upgrade, config, "head")
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT username, role, password_hash FROM users ORDER BY id")
                )
            ).all()
    finally:
        await engine.dispose()

    assert [tuple(row) for row in rows] == [
        ("ada.lovelace", "user", None),
        ("ada.lovelace-2", "user", None),
        ("a-user", "user", None),
        ("user", "user", None),
    ]


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
    assert [row.username for row in users.items[:2]] == ["ada.lovelace", "alan.turing"]
    assert [row.role for row in users.items].count("admin") == 1
    assert users.items[0].role == "admin"


async def test_seeded_admin_gets_the_password_from_the_variable(migrated, policy, caplog) -> None:
    passwords = policy.passwords
    caplog.set_level(logging.INFO, logger="subgraphs.users.seed")
    async with create_session_factory(migrated)() as session:
        await seed_demo_users(session, admin_password="correct horse battery", passwords=passwords)
        users = await UserService(RequestDb(session)).list_page(page_size=100)

    admin, others = users.items[0], users.items[1:]
    assert await passwords.verify(admin.password_hash, "correct horse battery")
    assert all(row.password_hash is None for row in others)
    assert "USER_SERVICE_SEED_ADMIN_PASSWORD" in caplog.text
    assert "correct horse battery" not in caplog.text


async def test_seeded_admin_has_no_password_without_the_variable_and_the_seed_says_so(
    migrated, caplog
) -> None:
    async with create_session_factory(migrated)() as session:
        await seed_demo_users(session, admin_password=None)
        admin = await UserService(RequestDb(session)).get(1)

    assert admin.role == "admin" and admin.password_hash is None
    assert "has no password" in caplog.text
    assert "USER_SERVICE_SEED_ADMIN_PASSWORD" in caplog.text


async def test_a_too_short_seed_password_is_reported_and_not_used(migrated, caplog) -> None:
    async with create_session_factory(migrated)() as session:
        await seed_demo_users(session, admin_password="short")
        admin = await UserService(RequestDb(session)).get(1)

    assert admin.password_hash is None
    assert "USER_SERVICE_SEED_ADMIN_PASSWORD must be 8 to 128 characters" in caplog.text
