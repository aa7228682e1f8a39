"""Real PostgreSQL and Redis for tests: skip without them, except under CI=true where that fails."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def in_ci() -> bool:
    """True when running under CI (`CI=true`), where missing servers are failures."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Skip the test for a missing server, or fail it under CI."""
    if in_ci():
        pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
    pytest.skip(reason)


async def _execute(dsn: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        asyncio.run(_execute(POSTGRES_ADMIN_DSN, "SELECT 1"))
    except Exception as exc:  # any connection failure means "not available"
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}: {exc}"
    return None


@contextmanager
def throwaway_postgres_databases(*names: str) -> Iterator[dict[str, str]]:
    """Create a fresh database per name for this run, yield their asyncpg URLs, drop them after."""
    reason = postgres_available()
    if reason is not None:
        missing(reason)
    run = uuid.uuid4().hex[:8]
    databases = {name: f"test_{run}_{name}" for name in names}
    asyncio.run(
        _execute(POSTGRES_ADMIN_DSN, *(f'CREATE DATABASE "{db}"' for db in databases.values()))
    )
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield {name: f"{base}/{db}" for name, db in databases.items()}
    finally:
        asyncio.run(
            _execute(
                POSTGRES_ADMIN_DSN,
                *(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in databases.values()),
            )
        )


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> str | None:
    """None when the Redis server answers PING, else why not."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means "not available"
        return f"Redis not reachable at {REDIS_URL}: {exc}"
    return None
