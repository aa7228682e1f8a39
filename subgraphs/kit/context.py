"""The per-request GraphQL context: the request's database session, its DataLoaders, and the
caller the gateway vouched for (`subgraphs.kit.gate`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from strawberry.fastapi import BaseContext

from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity

L = TypeVar("L")


class RequestContext(BaseContext, Generic[L]):
    """What resolvers get as `info.context`: `db`, `loaders`, the caller's `identity` (None:
    anonymous) and `client_address` (the end client's IP as the gateway saw it; sent with
    mutations only)."""

    def __init__(
        self,
        db: RequestDb,
        loaders: L,
        identity: Identity | None = None,
        client_address: str | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.loaders = loaders
        self.identity = identity
        self.client_address = client_address


def context_getter(
    sessions: async_sessionmaker[AsyncSession], make_loaders: Callable[[RequestDb], L]
) -> Callable[[Request], AsyncIterator[RequestContext[L]]]:
    """A FastAPI dependency yielding a fresh context and closing its session after the request
    (once the database work still running for it has finished: `RequestDb.close`)."""

    async def get_context(request: Request) -> AsyncIterator[RequestContext[L]]:
        identity: Identity | None = getattr(request.state, "identity", None)
        address: str | None = getattr(request.state, "client_address", None)
        async with sessions() as session:
            db = RequestDb(session)
            try:
                yield RequestContext(db, make_loaders(db), identity, address)
            finally:
                await db.close()

    return get_context
