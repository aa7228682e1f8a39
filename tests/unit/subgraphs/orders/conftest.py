"""Orders fixtures: a fresh in-memory database, the service over it, the schema run in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.orders.loaders import make_loaders
from subgraphs.orders.models import OrdersBase
from subgraphs.orders.schema import schema
from subgraphs.orders.service import OrderService

Execute = Callable[..., Awaitable[ExecutionResult]]


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(OrdersBase.metadata)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any) -> OrderService:
    return OrderService(RequestDb(session), clock=clock)


@pytest.fixture
def execute(engine: AsyncEngine) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders."""
    sessions = create_session_factory(engine)

    async def run(query: str, variables: dict[str, Any] | None = None) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db))
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
def add_order(service: OrderService, clock: Any) -> Callable[..., Awaitable[int]]:
    """Creates an order (user 1, PROD-1, 1 item, 9.99 unless told), a minute after the last."""

    async def add(**fields: Any) -> int:
        clock.advance(minutes=1)
        values = {"user_id": "1", "product_id": "PROD-1", "quantity": 1, "total_price": 9.99}
        row = await service.create(**(values | fields))
        return row.id

    return add
