"""Fixtures every subgraph test shares: in-memory SQLite engines, a fixed clock, a SQL counter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

MakeEngine = Callable[[MetaData], Awaitable[AsyncEngine]]


class FixedClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward and return the new time."""
        self.now += timedelta(**delta)
        return self.now


class SqlStatements:
    """Every SQL statement an engine sends to the database while attached."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.statements: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def clear(self) -> None:
        """Forget the statements seen so far."""
        self.statements.clear()

    @property
    def count(self) -> int:
        """How many statements were sent."""
        return len(self.statements)


@pytest.fixture
async def make_engine() -> AsyncIterator[MakeEngine]:
    """Builds in-memory SQLite engines (one shared connection) holding a metadata's tables."""
    engines: list[AsyncEngine] = []

    async def make(metadata: MetaData) -> AsyncEngine:
        engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """A fixed clock for services."""
    return FixedClock()


@pytest.fixture
def sql_statements() -> Callable[[AsyncEngine], SqlStatements]:
    """Attaches a statement recorder to an engine."""
    return SqlStatements
