"""Audit fixtures: an in-memory database, a real event log and consumer, the schema in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from common.events import Event
from common.events.consumer import EventConsumer
from common.events.local_log import LocalEventLog
from subgraphs.audit.consumer import GROUP, Recorder, consumer_spec
from subgraphs.audit.loaders import make_loaders
from subgraphs.audit.models import AuditBase, processed_events
from subgraphs.audit.schema import schema
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity

Execute = Callable[..., Awaitable[ExecutionResult]]

#: The caller of `execute` unless told otherwise.
ADMIN = Identity("admin", roles=frozenset({"admin"}))


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(AuditBase.metadata)


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalEventLog]:
    """The local event log, as the app uses it without Redis."""
    log = LocalEventLog.open(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    yield log
    await log.close()


@pytest.fixture
def consumer(engine: AsyncEngine, bus: LocalEventLog, clock: Any) -> EventConsumer:
    """The app's consumer group over the test database and event log."""
    spec = consumer_spec(Recorder(clock=clock))
    return EventConsumer(
        bus,
        create_session_factory(engine),
        processed_events,
        spec.handler,
        group=GROUP,
        consumer="audit-test",
        types=spec.types,
    )


@pytest.fixture
def record(bus: LocalEventLog, consumer: EventConsumer) -> Callable[..., Awaitable[int]]:
    """Publishes events to the bus and lets the consumer settle them; returns how many."""

    async def run(*events: Event) -> int:
        for event in events:
            await bus.publish(event)
        return await consumer.poll(block_ms=50)

    return run


@pytest.fixture
def execute(engine: AsyncEngine) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders; for
    an admin unless `identity` names another caller (None: anonymous)."""
    sessions = create_session_factory(engine)

    async def run(
        query: str, variables: dict[str, Any] | None = None, *, identity: Identity | None = ADMIN
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run
