"""Users fixtures: a fresh in-memory database, the services over it, the schema run in-process.

Passwords are hashed with argon2id at the cheapest parameters (the real ones cost ~0.1 s per
hash); the rehash test uses the defaults on purpose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry.types import ExecutionResult

from common.auth import AuthSettings
from common.db import create_session_factory
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, SERVICE, USER, Identity
from subgraphs.users.config import SessionPolicy, use_policy
from subgraphs.users.loaders import make_loaders
from subgraphs.users.models import UsersBase
from subgraphs.users.passwords import Passwords
from subgraphs.users.schema import schema
from subgraphs.users.service import UserService
from subgraphs.users.sessions import SessionService

Execute = Callable[..., Awaitable[ExecutionResult]]

#: Callers to run operations as.
AN_ADMIN = Identity("test-admin", roles=frozenset({ADMIN}), scopes=frozenset({ADMIN}))
A_SERVICE = Identity("order-service", roles=frozenset({SERVICE}), scopes=frozenset({SERVICE}))


def a_user(user_id: int) -> Identity:
    """The identity of a signed-in user with the role `user`."""
    return Identity(f"user:{user_id}", user_id=user_id, roles=frozenset({USER}))


TEST_AUTH = AuthSettings(
    auth_jwt_secret="unit-test-signing-secret-of-32-bytes-or-more",
    auth_internal_secret="unit-test-internal-secret-of-32-bytes-or-more",
    auth_token_ttl_minutes=15,
)


def cheap_passwords() -> Passwords:
    """argon2id at its lowest cost, so tests hash in microseconds."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def policy() -> SessionPolicy:
    """Small limits so throttling shows after a few attempts."""
    return SessionPolicy(
        auth=TEST_AUTH,
        refresh_ttl=timedelta(days=14),
        max_failures_per_account=3,
        max_failures_per_address=5,
        login_window=timedelta(minutes=15),
        challenge_bits=4,
        challenge_max_bits=6,
        passwords=cheap_passwords(),
    )


@pytest.fixture(autouse=True)
def installed_policy(policy: SessionPolicy) -> Iterator[SessionPolicy]:
    """The policy the schema's resolvers use; forgotten after the test."""
    use_policy(policy)
    yield policy
    use_policy(None)


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(UsersBase.metadata)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


@pytest.fixture
def service(session: AsyncSession, clock: Any, policy: SessionPolicy) -> UserService:
    return UserService(RequestDb(session), clock=clock, passwords=policy.passwords)


@pytest.fixture
async def sessions(
    engine: AsyncEngine, clock: Any, policy: SessionPolicy
) -> AsyncIterator[Callable[..., SessionService]]:
    """Builds a session service over a fresh database session, as one request would (with
    the test policy, or the one given)."""
    factory = create_session_factory(engine)
    opened: list[AsyncSession] = []

    def make(other_policy: SessionPolicy | None = None) -> SessionService:
        session = factory()
        opened.append(session)
        return SessionService(RequestDb(session), other_policy or policy, clock=clock)

    yield make
    for session in opened:
        await session.close()


@pytest.fixture
def execute(engine: AsyncEngine) -> Execute:
    """Runs an operation as one HTTP request would: a fresh session, context and loaders.

    The caller is an admin unless `identity` says otherwise (None: anonymous).
    """
    sessions = create_session_factory(engine)

    async def run(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        identity: Identity | None = AN_ADMIN,
        client_address: str | None = "203.0.113.7",
    ) -> ExecutionResult:
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity, client_address)
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
