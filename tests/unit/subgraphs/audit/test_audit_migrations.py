"""The audit Alembic history builds the tables the models describe; no demo rows."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from common.db import create_session_factory
from common.migrations import upgrade_to_head
from subgraphs.audit.app import SUBGRAPH
from subgraphs.audit.models import AuditBase
from subgraphs.audit.seed import seed_audit


async def test_migrations_match_the_models_and_the_seed_adds_nothing(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}"
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)

    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, AuditBase.metadata)

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        async with create_session_factory(engine)() as session:
            assert await seed_audit(session) == 0
    finally:
        await engine.dispose()
    assert version == "0002"
    (spec,) = SUBGRAPH.events.consumers
    assert (spec.group, spec.types) == ("audit", None), "every event type"


async def test_sqlite_refuses_to_change_an_audit_row(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}"
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO audit_log (event_id, action, entity_type, entity_id, source,"
                    " timestamp, recorded_at)"
                    " VALUES ('e1', 'x.created', 'X', '1', 'test', '2026-01-01', '2026-01-01')"
                )
            )
        for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as connection:
                    await connection.execute(text(statement))
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT action FROM audit_log")) == "x.created"
    finally:
        await engine.dispose()
