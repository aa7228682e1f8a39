"""The notifications Alembic history builds the tables the models describe; no demo rows."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from common.db import create_session_factory
from common.migrations import upgrade_to_head
from subgraphs.notifications.app import SUBGRAPH
from subgraphs.notifications.models import NotificationsBase
from subgraphs.notifications.seed import seed_notifications


async def test_migrations_match_the_models_and_the_seed_adds_nothing(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'notifications.db'}"
    await asyncio.to_thread(upgrade_to_head, SUBGRAPH.migrations, url)
    engine = create_async_engine(url)

    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, NotificationsBase.metadata)

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        async with create_session_factory(engine)() as session:
            assert await seed_notifications(session) == 0
    finally:
        await engine.dispose()
    assert version == "0003"
    assert SUBGRAPH.events.processed is not None and SUBGRAPH.events.outbox is not None
    (spec,) = SUBGRAPH.events.consumers
    assert spec.group == "notifications"
    assert set(spec.types or ()) == {
        "order.created",
        "order.status_changed",
        "payment.succeeded",
        "payment.failed",
        "payment.refunded",
    }
