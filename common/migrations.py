"""Alembic, one history per service: run to head at start-up and from `make migrate`.

Each service's `migrations/env.py` calls `run_alembic_env(metadata)`; `upgrade_to_head`
runs that history programmatically against a URL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from common.db import is_sqlite, prepare_sqlite_file


def alembic_config(script_location: Path, url: str) -> Config:
    """An Alembic config for a service's migration folder and database URL."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    # ConfigParser treats % as interpolation; URLs may carry %-escaped passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


#: PostgreSQL advisory lock held while a process migrates a database (locks are per database).
MIGRATION_LOCK_KEY = 7_340_002


def upgrade_to_head(script_location: Path, url: str) -> None:
    """Apply every migration not yet applied (synchronous; call it before the event loop).

    On PostgreSQL one process at a time migrates a database: replicas starting together and the
    Kubernetes migrations Job wait for each other, and the later ones find it at head."""
    config = alembic_config(script_location, url)
    if is_sqlite(url):
        prepare_sqlite_file(url)
        command.upgrade(config, "head")
        return
    asyncio.run(_upgrade_locked(config, url))


async def _upgrade_locked(config: Config, url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            lock = {"key": MIGRATION_LOCK_KEY}
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), lock)
            try:
                # Alembic runs its own event loop (env.py): in a thread, beside this one.
                await asyncio.to_thread(command.upgrade, config, "head")
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), lock)
    finally:
        await engine.dispose()


def _run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite(str(connection.engine.url)),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run, metadata)
    finally:
        await engine.dispose()


def run_alembic_env(metadata: MetaData) -> None:
    """The body of a service's `env.py`: offline SQL or online migration over the async driver."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set; use common.migrations.alembic_config")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_online(url, metadata))
        return
    raise RuntimeError("run migrations before the event loop starts (upgrade_to_head is sync)")
