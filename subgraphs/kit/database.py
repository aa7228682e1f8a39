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


class RequestDb:
    """The request's session behind a lock: `read()` for queries, `write()` for transactions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """The session, for queries only."""
        async with self._lock:
            yield self.session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """The session for one transaction: committed on success, rolled back on any error.

        A rollback expires every row the session loaded; read what you need before it.
        """
        async with self._lock:
            try:
                yield self.session
                await self.session.commit()
            except BaseException:
                await self.session.rollback()
                raise
