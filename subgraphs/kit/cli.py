"""`python -m subgraphs.<domain> [serve|migrate|seed|sdl]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from common.auth import load_auth_settings
from common.db import create_session_factory, database_url_problem
from common.errors import ConfigurationError
from common.logging import configure_logging
from common.migrations import upgrade_to_head
from common.serving import serve as serve_app
from common.settings import load_settings
from common.startup import refuse_to_start
from common.tracing import configure_tracing
from subgraphs.kit.app import create_service_app, engine_for
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.schema import print_sdl
from subgraphs.kit.settings import SubgraphSettings

logger = logging.getLogger(__name__)

COMMANDS = ("serve", "migrate", "seed", "sdl")


def check_database_url(settings: SubgraphSettings) -> None:
    """Raise ConfigurationError unless the URL names SQLite or PostgreSQL with an async driver."""
    variable = f"{settings.model_config.get('env_prefix', '')}DB_URL".upper()
    problem = database_url_problem(settings.database_url)
    if problem is not None:
        raise ConfigurationError([f"{variable}: {problem}"])


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
    """Check `AUTH_*` (production refuses weak secrets, before anything is migrated), migrate,
    seed an empty database when `*_SEED` is true, then serve HTTP until stopped."""
    auth = load_auth_settings(gateway_env=settings.env)
    migrate(subgraph, settings)
    if settings.seed:
        asyncio.run(seed(subgraph, settings))
    serve_app(create_service_app(subgraph, settings, auth=auth), settings.host, settings.port)


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
        if command == "migrate":
            migrate(subgraph, settings)
        elif command == "seed":
            # Seeding needs the tables; upgrading an up-to-date database changes nothing.
            migrate(subgraph, settings)
            asyncio.run(seed(subgraph, settings))
        else:
            configure_tracing(subgraph.name)
            serve(subgraph, settings)
    except ConfigurationError as exc:
        # A setting read later (AUTH_* before serving) is refused the same way.
        return refuse_to_start(subgraph.name, exc)
    return 0
