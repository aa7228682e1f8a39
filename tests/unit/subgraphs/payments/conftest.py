"""Payments fixtures: a fresh in-memory database, the service over it, the schema in-process.

The service and the schema act for an admin unless a test says who calls (`service_as`,
`execute(..., identity=...)`; `identity=None` is an anonymous caller).
"""

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
from subgraphs.kit.identity import ADMIN, SERVICE, USER, Identity
from subgraphs.payments.loaders import make_loaders
from subgraphs.payments.models import OrderTotalRow, PaymentsBase, outbox
from subgraphs.payments.provider import FakeProvider
from subgraphs.payments.schema import schema
from subgraphs.payments.service import PaymentService

Execute = Callable[..., Awaitable[ExecutionResult]]

#: An admin's token (a user with the admin role) and a service's token (no user).
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
    """The service acting for an admin."""
    return PaymentService(RequestDb(session), AN_ADMIN, provider=provider, clock=clock)


@pytest.fixture
def service_as(
    session: AsyncSession, clock: Any, provider: FakeProvider
) -> Callable[[Identity | None], PaymentService]:
    """The service acting for a given caller (None: anonymous), on the same session."""

    def make(caller: Identity | None) -> PaymentService:
        return PaymentService(RequestDb(session), caller, provider=provider, clock=clock)

    return make


@pytest.fixture
def execute(sessions) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders."""

    async def run(
        query: str, variables: dict[str, Any] | None = None, identity: Identity | None = AN_ADMIN
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
def known_order(sessions) -> Callable[..., Awaitable[int]]:
    """Puts an order into the read model (order 1 of user 1 totalling 59.97 unless told; a
    `total` of None: not priced yet)."""

    async def add(
        order_id: int = 1, user_id: int = 1, total: str | None = "59.97", status: str = "PENDING"
    ) -> int:
        async with sessions() as session, session.begin():
            session.add(
                OrderTotalRow(
                    order_id=order_id,
                    user_id=user_id,
                    total_amount=Decimal(total) if total is not None else None,
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
