"""Payments fixtures: a fresh in-memory database, the service over it, the schema in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from common.events import Event
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.payments.loaders import make_loaders
from subgraphs.payments.models import OrderTotalRow, PaymentsBase, outbox
from subgraphs.payments.provider import FakeProvider
from subgraphs.payments.schema import schema
from subgraphs.payments.service import PaymentService

Execute = Callable[..., Awaitable[ExecutionResult]]


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(PaymentsBase.metadata)


@pytest.fixture
def sessions(engine: AsyncEngine):
    return create_session_factory(engine)


@pytest.fixture
async def session(sessions) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        yield session


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def service(session: AsyncSession, clock: Any, provider: FakeProvider) -> PaymentService:
    return PaymentService(RequestDb(session), provider=provider, clock=clock)


@pytest.fixture
def execute(sessions) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders."""

    async def run(
        query: str, variables: dict[str, Any] | None = None, identity: Identity | None = None
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
def known_order(sessions) -> Callable[..., Awaitable[int]]:
    """Puts an order into the read model (order 1 of user 1 totalling 59.97 unless told)."""

    async def add(
        order_id: int = 1, user_id: int = 1, total: str = "59.97", status: str = "PENDING"
    ) -> int:
        async with sessions() as session, session.begin():
            session.add(
                OrderTotalRow(
                    order_id=order_id,
                    user_id=user_id,
                    total_amount=Decimal(total),
                    status=status,
                    updated_at=datetime(2025, 1, 1, tzinfo=UTC),
                )
            )
        return order_id

    return add


@pytest.fixture
def outbox_events(sessions) -> Callable[[], Awaitable[list[Event]]]:
    """The events stored in the outbox so far, in order."""

    async def read() -> list[Event]:
        async with sessions() as session:
            bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
            return [Event.from_json(body) for body in bodies]

    return read
