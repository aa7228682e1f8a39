"""The async SQLAlchemy engine and session factory, for SQLite (aiosqlite) and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event, util
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every service's models.

    Subclasses share this class's metadata unless they declare their own; each service's base
    declares `metadata = MetaData(...)` so that its migrations see only its own tables.
    """

    __abstract__ = True


#: the async driver of each backend we run on; a sync driver would only fail at the first query
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


def database_url_problem(url: str) -> str | None:
    """What is wrong with `url` as a database URL of ours (SQLite or PostgreSQL through their
    async drivers), or None."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return (
            "not a database URL; use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"
        )
    if ASYNC_DRIVERS.get(parsed.get_backend_name()) != parsed.get_driver_name():
        return "use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"
    return None


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL (any driver)."""
    return make_url(url).get_backend_name() == "sqlite"


def prepare_sqlite_file(url: str) -> None:
    """Create the folder a SQLite file lives in, so that a fresh checkout just works."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


#: how often, and how far apart, a connection tries to switch a fresh SQLite file to WAL
_WAL_ATTEMPTS = 100
_WAL_RETRY_SECONDS = 0.01


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: enforce foreign keys, let readers and a writer work side by side."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so; later connections find it done).

    Connections opening a fresh file together (replicas starting at once) race to switch it,
    and SQLite answers the losers "database is locked" at once, without waiting its busy
    timeout; so a lost race is tried again a little later, for about a second. The listener
    runs inside SQLAlchemy's async bridge, so the pause awaits instead of blocking the loop.
    """
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_ATTEMPTS - 1:
                raise
        util.await_(asyncio.sleep(_WAL_RETRY_SECONDS))


def create_engine(
    url: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    pool_timeout: float = 10.0,
    echo: bool = False,
) -> AsyncEngine:
    """An async engine with pool settings suited to the backend."""
    if is_sqlite(url):
        prepare_sqlite_file(url)
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 5})
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=True,
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (resolvers read them later)."""
    return async_sessionmaker(engine, expire_on_commit=False)
