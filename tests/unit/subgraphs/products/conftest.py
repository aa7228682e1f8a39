"""Products fixtures: a fresh in-memory database, the service over it, the schema run in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from common.events import Event
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.products.loaders import make_loaders
from subgraphs.products.models import ProductsBase, outbox
from subgraphs.products.schema import schema
from subgraphs.products.service import ProductService

Execute = Callable[..., Awaitable[ExecutionResult]]

#: The caller of `service` and, unless told otherwise, of `execute`.
ADMIN = Identity("admin", roles=frozenset({"admin"}))


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(ProductsBase.metadata)


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
async def session(sessions) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any) -> ProductService:
    """The service acting for an admin (tests of the access rules build their own)."""
    return ProductService(RequestDb(session), caller=ADMIN, clock=clock)


@pytest.fixture
def execute(sessions) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders; for
    an admin unless `identity` names another caller (None: anonymous)."""

    async def run(
        query: str, variables: dict[str, Any] | None = None, *, identity: Identity | None = ADMIN
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
def add_product(service: ProductService, clock: Any) -> Callable[..., Awaitable[int]]:
    """Creates a product (sku PROD-<n>, 10.00, stock 10 unless told), a minute after the last."""
    count = 0

    async def add(**fields: Any) -> int:
        nonlocal count
        count += 1
        clock.advance(minutes=1)
        values = {"sku": f"PROD-{count}", "name": f"Product {count}", "price": 10.0, "stock": 10}
        row = await service.create(**(values | fields))
        return row.id

    return add


@pytest.fixture
def emitted(sessions) -> Callable[[], Awaitable[list[Event]]]:
    """The events in the outbox, oldest first."""

    async def read() -> list[Event]:
        async with sessions() as session:
            bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
            return [Event.from_json(body) for body in bodies]

    return read
