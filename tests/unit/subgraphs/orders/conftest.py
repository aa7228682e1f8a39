"""Orders fixtures: a fresh in-memory database, the service over it, the schema run in-process.

The service and the schema act for an admin unless a test says who calls (`service_as`,
`execute(..., identity=...)`; `identity=None` is an anonymous caller).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, SERVICE, USER, Identity
from subgraphs.orders.loaders import make_loaders
from subgraphs.orders.models import OrdersBase
from subgraphs.orders.schema import schema
from subgraphs.orders.service import OrderService

Execute = Callable[..., Awaitable[ExecutionResult]]

#: An admin's token (a user with the admin role), a service's token (no user), a user's.
AN_ADMIN = Identity(subject="user:100", user_id=100, roles=frozenset({ADMIN}))
A_SERVICE = Identity(subject="order-service", roles=frozenset({SERVICE}))


@pytest.fixture
def admin() -> Identity:
    """An admin's identity (a user with the admin role)."""
    return AN_ADMIN


@pytest.fixture
def internal_service() -> Identity:
    """A service's identity (no user)."""
    return A_SERVICE


@pytest.fixture
def user() -> Callable[[int], Identity]:
    """The identity a user's access token carries, for a user id."""

    def make(user_id: int) -> Identity:
        return Identity(subject=f"user:{user_id}", user_id=user_id, roles=frozenset({USER}))

    return make


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(OrdersBase.metadata)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any) -> OrderService:
    """The service acting for an admin."""
    return OrderService(RequestDb(session), AN_ADMIN, clock=clock)


@pytest.fixture
def service_as(session: AsyncSession, clock: Any) -> Callable[[Identity | None], OrderService]:
    """The service acting for a given caller (None: anonymous), on the same session."""

    def make(caller: Identity | None) -> OrderService:
        return OrderService(RequestDb(session), caller, clock=clock)

    return make


@pytest.fixture
def execute(engine: AsyncEngine) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders."""
    sessions = create_session_factory(engine)

    async def run(
        query: str, variables: dict[str, Any] | None = None, identity: Identity | None = AN_ADMIN
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
def add_order(service: OrderService, clock: Any) -> Callable[..., Awaitable[int]]:
    """Creates an order (user 1, PROD-1, 1 item unless told), a minute after the last."""

    async def add(**fields: Any) -> int:
        clock.advance(minutes=1)
        values = {"user_id": "1", "product_id": "PROD-1", "quantity": 1}
        row = await service.create(**(values | fields))
        return row.id

    return add
