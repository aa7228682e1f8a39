"""Database plumbing: per-service metadata, and one `AsyncSession` per request.

GraphQL runs sibling fields concurrently, but an AsyncSession must not be used by two coroutines
at once; `RequestDb` hands the session to one unit of work at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

#: Constraint names that are the same on SQLite and PostgreSQL, so migrations can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """Fresh table metadata for one service's declarative base.

    `common.db.Base` subclasses share Base's metadata unless they bring their own, and each
    service's migrations must see only its own tables.
    """
    return MetaData(naming_convention=NAMING_CONVENTION)


class RequestFinished(RuntimeError):
    """A unit of work started after its request's session was closed."""


class RequestDb:
    """The request's session behind a lock: `read()` for queries, `write()` for transactions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()
        self._closed = False

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """The session, for queries only."""
        async with self._lock:
            self._check_open()
            yield self.session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """The session for one transaction: committed on success, rolled back on any error.

        A rollback expires every row the session loaded; read what you need before it.
        """
        async with self._lock:
            self._check_open()
            try:
                yield self.session
                await self.session.commit()
            except BaseException:
                await self.session.rollback()
                raise

    async def close(self) -> None:
        """Close the session once the unit of work in progress, if any, has finished.

        When a field fails in a way that nulls its parent, graphql-core cancels its siblings;
        a DataLoader batch one of them started keeps running its query. Closing the session
        under that query breaks its connection (and the request ends in a traceback); waiting
        for it does not. Work that would start later is refused (`RequestFinished`).
        """
        async with self._lock:
            self._closed = True
            await self.session.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RequestFinished("this request has finished; its session is closed")
