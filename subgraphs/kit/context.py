"""The per-request GraphQL context: the request's database session, its DataLoaders, and the
caller the gateway vouched for (`subgraphs.kit.gate`). A WebSocket connection (subscriptions) gets
one context for its life; its subscriptions open a session per event (`sessions`) rather than
hold the connection's one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.kit.live import LiveEvents

L = TypeVar("L")


class RequestContext(BaseContext, Generic[L]):
    """What resolvers get as `info.context`: `db`, `loaders`, the caller's `identity` (None:
    anonymous) and `client_address` (the end client's IP as the gateway saw it; sent with
    mutations only); for subscriptions, `live` (the process's live events) and `sessions`."""

    def __init__(
        self,
        db: RequestDb,
        loaders: L,
        identity: Identity | None = None,
        client_address: str | None = None,
        *,
        live: LiveEvents | None = None,
        sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.loaders = loaders
        self.identity = identity
        self.client_address = client_address
        self.live = live
        self.sessions = sessions


def context_getter(
    sessions: async_sessionmaker[AsyncSession],
    make_loaders: Callable[[RequestDb], L],
    live: LiveEvents | None = None,
) -> Callable[[HTTPConnection], AsyncIterator[RequestContext[L]]]:
    """A FastAPI dependency yielding a fresh context and closing its session after the request
    (once the database work still running for it has finished: `RequestDb.close`)."""

    async def get_context(request: HTTPConnection) -> AsyncIterator[RequestContext[L]]:
        identity: Identity | None = getattr(request.state, "identity", None)
        address: str | None = getattr(request.state, "client_address", None)
        async with sessions() as session:
            db = RequestDb(session)
            try:
                yield RequestContext(
                    db, make_loaders(db), identity, address, live=live, sessions=sessions
                )
            finally:
                await db.close()

    return get_context
