"""The per-request GraphQL context: the request's database session and its DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.fastapi import BaseContext

from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity

L = TypeVar("L")


class RequestContext(BaseContext, Generic[L]):
    """What resolvers get as `info.context`: `db`, `loaders` and the caller's `identity`."""

    def __init__(self, db: RequestDb, loaders: L, identity: Identity | None = None) -> None:
        super().__init__()
        self.db = db
        self.loaders = loaders
        self.identity = identity


def context_getter(
    sessions: async_sessionmaker[AsyncSession], make_loaders: Callable[[RequestDb], L]
) -> Callable[[], AsyncIterator[RequestContext[L]]]:
    """A FastAPI dependency yielding a fresh context and closing its session after the request."""

    async def get_context() -> AsyncIterator[RequestContext[L]]:
        async with sessions() as session:
            db = RequestDb(session)
            yield RequestContext(db, make_loaders(db))

    return get_context
