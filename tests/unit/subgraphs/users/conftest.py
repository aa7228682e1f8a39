"""Users fixtures: a fresh in-memory database, the service over it, the schema run in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.users.loaders import make_loaders
from subgraphs.users.models import UsersBase
from subgraphs.users.schema import schema
from subgraphs.users.service import UserService

Execute = Callable[..., Awaitable[ExecutionResult]]


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(UsersBase.metadata)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any) -> UserService:
    return UserService(RequestDb(session), clock=clock)


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
def add_users(execute: Execute) -> Callable[..., Awaitable[list[str]]]:
    """Creates users named `User 1`..`User n` (user1@example.com...) through the schema."""

    async def add(count: int, **fields: Any) -> list[str]:
        ids = []
        for number in range(1, count + 1):
            # Each user gets its own email and name; `fields` adds or overrides input fields.
            values = {"email": f"user{number}@example.com", "name": f"User {number}"} | fields
            result = await execute(
                "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
                {"input": values},
            )
            assert result.errors is None, result.errors
            ids.append(result.data["createUser"]["id"])
        return ids

    return add
