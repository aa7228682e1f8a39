"""`python -m subgraphs.<domain> [serve|migrate|seed|sdl]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

import uvicorn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from common.db import create_session_factory
from common.errors import ConfigurationError
from common.logging import configure_logging
from common.migrations import upgrade_to_head
from common.settings import load_settings
from common.tracing import configure_tracing
from subgraphs.kit.app import create_service_app, engine_for
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.schema import print_sdl
from subgraphs.kit.settings import SubgraphSettings

logger = logging.getLogger(__name__)

COMMANDS = ("serve", "migrate", "seed", "sdl")
#: Async drivers per backend; a sync driver would only fail at the first query.
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


def check_database_url(settings: SubgraphSettings) -> None:
    """Raise ConfigurationError unless the URL names SQLite or PostgreSQL with an async driver."""
    variable = f"{settings.model_config.get('env_prefix', '')}DB_URL".upper()
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise ConfigurationError([f"{variable}: not a database URL"]) from None
    if ASYNC_DRIVERS.get(url.get_backend_name()) != url.get_driver_name():
        raise ConfigurationError(
            [f"{variable}: use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"]
        )


def load(subgraph: Subgraph) -> SubgraphSettings:
    """The subgraph's settings, checked, with logging set up from them."""
    settings = load_settings(subgraph.settings_cls)
    check_database_url(settings)
    configure_logging(subgraph.name, settings.log_level)
    return settings


def migrate(subgraph: Subgraph, settings: SubgraphSettings) -> None:
    """Apply every migration not yet applied (synchronous; call it before any event loop)."""
    upgrade_to_head(subgraph.migrations, settings.database_url)
    logger.info("database migrated to head")


async def seed(subgraph: Subgraph, settings: SubgraphSettings) -> int:
    """Insert the demo data into empty tables; returns how many rows were inserted."""
    engine = engine_for(settings)
    try:
        async with create_session_factory(engine)() as session:
            inserted = await subgraph.seed(session)
            await session.commit()
    finally:
        await engine.dispose()
    logger.info("seeded demo data", extra={"rows": inserted})
    return inserted


def serve(subgraph: Subgraph, settings: SubgraphSettings) -> None:
    """Migrate, seed an empty database when `*_SEED` is true, then serve HTTP until stopped."""
    migrate(subgraph, settings)
    if settings.seed:
        asyncio.run(seed(subgraph, settings))
    app = create_service_app(subgraph, settings)
    # log_config=None keeps the JSON logging configure_logging set up.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


def run(subgraph: Subgraph, argv: Sequence[str] | None = None) -> int:
    """Run one CLI command; returns the process exit code (2 for bad configuration)."""
    parser = argparse.ArgumentParser(
        prog=f"python -m subgraphs.{subgraph.name}",
        description=f"The {subgraph.name} subgraph.",
    )
    parser.add_argument("command", nargs="?", default="serve", choices=COMMANDS)
    command = parser.parse_args(argv).command
    if command == "sdl":
        sys.stdout.write(print_sdl(subgraph.schema).rstrip("\n") + "\n")
        return 0
    try:
        settings = load(subgraph)
        if command == "serve":
            configure_tracing(subgraph.name)
    except ConfigurationError as exc:
        print(f"{subgraph.name}: {exc}", file=sys.stderr)
        return 2
    if command == "migrate":
        migrate(subgraph, settings)
    elif command == "seed":
        # Seeding needs the tables; upgrading an up-to-date database changes nothing.
        migrate(subgraph, settings)
        asyncio.run(seed(subgraph, settings))
    else:
        serve(subgraph, settings)
    return 0
