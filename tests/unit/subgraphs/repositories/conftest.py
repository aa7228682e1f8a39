"""Repositories fixtures: a fresh in-memory database, the service, the schema in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.repositories.loaders import make_loaders
from subgraphs.repositories.models import RepositoriesBase
from subgraphs.repositories.schema import schema
from subgraphs.repositories.service import RepositoryService

Execute = Callable[..., Awaitable[ExecutionResult]]

#: The caller of `service` and, unless told otherwise, of `execute`.
ADMIN = Identity("admin", roles=frozenset({"admin"}))


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(RepositoriesBase.metadata)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any) -> RepositoryService:
    """The service acting for an admin (tests of the access rules build their own)."""
    return RepositoryService(RequestDb(session), caller=ADMIN, clock=clock)


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


@pytest.fixture
def add_repository(service: RepositoryService, clock: Any) -> Callable[..., Awaitable[int]]:
    """Creates a repository (owner 1, name repo-<n>) a minute after the last one."""
    counter = iter(range(1, 1000))

    async def add(**fields: Any) -> int:
        clock.advance(minutes=1)
        values = {"name": f"repo-{next(counter)}", "owner_id": "1"} | fields
        row = await service.create(**values)
        return row.id

    return add
