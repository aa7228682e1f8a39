"""Idempotency keys in a SQL database (SQLite or PostgreSQL), when Redis is off.

One table, `idempotency_keys`, one row per caller's key (`scope_key` = sha256(scope, key)).
A claim is one transaction: `INSERT ... ON CONFLICT DO NOTHING`; when the row exists, read it in
the same transaction and decide: a live finished row replays or mismatches, a live running row
is in flight or mismatches, and a running row past `locked_until` (its process died) or any row
past `expires_at` is free: it is taken with a conditional `UPDATE ... WHERE locked_until < now`
(or `expires_at < now`) that only one concurrent claim can win (PostgreSQL re-checks the
condition after waiting for the row lock; SQLite runs one writer at a time). Completion and
release change the row only while it is still this fingerprint's running row. Every ~100 claims
a store deletes expired rows. Times are the gateway's clock (UTC); replicas need synchronised
clocks (NTP), far finer than the lock window.

The table is created at first use with `CREATE TABLE IF NOT EXISTS`, not by an Alembic history:
the gateway has no other table and no migration step in its start-up or `make migrate`, and
the rows live a day, so a future change of the table can simply use a new table name. Alembic's
upgrade is synchronous and meant to run before the event loop, and two replicas upgrading a
fresh database at once race on `alembic_version`; here, on PostgreSQL the creation holds a
transaction-scoped advisory lock (two replicas starting together wait for each other instead of
colliding in the catalogue), and SQLite serialises DDL by its write lock.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    delete,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.schema import CreateIndex, CreateTable

from common.db import create_engine
from common.logging import get_logger
from gateway.rest.idempotency.model import (
    Claim,
    IdempotencyUnavailable,
    InFlight,
    Mismatch,
    Proceed,
    Replay,
    StoredAnswer,
    storage_id,
)

logger = get_logger(__name__)

metadata = MetaData()
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope_key", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(8), nullable=False),  # running | done
    Column("status", Integer, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("headers", JSON, nullable=True),
    Column("locked_until", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
expires_index = Index("ix_idempotency_keys_expires_at", idempotency_keys.c.expires_at)
#: any constant: the PostgreSQL advisory lock taken while creating the table
_SCHEMA_LOCK = 0x1DE4_9073_4B5E_0001
#: claims tried when the row found changes under us (released, taken over) before we decide
_ATTEMPTS = 5
_T = idempotency_keys.c


def _now() -> datetime:
    return datetime.now(UTC)


class SqlIdempotencyStore:
    """The `IdempotencyStore` in SQL; every database failure is `IdempotencyUnavailable`."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        ttl_seconds: float = 86400,
        lock_seconds: float = 60,
        cleanup_every: int = 100,
        operation_timeout: float = 10.0,
    ) -> None:
        self.engine = engine
        self.ttl = timedelta(seconds=ttl_seconds)
        self.lock = timedelta(seconds=lock_seconds)
        self.cleanup_every = cleanup_every
        #: seconds one store call may take in all (connecting included) before it is a 503
        self.operation_timeout = operation_timeout
        self._claims = itertools.count()
        self._schema_ready = False
        self._schema_lock = asyncio.Lock()

    @classmethod
    def open(cls, url: str, **options: Any) -> SqlIdempotencyStore:
        """A store on its own engine for `url` (the SQLite folder is created if needed)."""
        return cls(create_engine(url), **options)

    async def claim(self, scope: str, key: str, fingerprint: str) -> Claim:
        scope_key = storage_id(scope, key)
        async with self._guard("claim"):
            await self._ensure_schema()
            async with self.engine.begin() as conn:
                result = await self._claim(conn, scope_key, fingerprint)
            if next(self._claims) % self.cleanup_every == 0:
                await self._delete_expired()
        return result

    async def complete(self, scope: str, key: str, fingerprint: str, answer: StoredAnswer) -> None:
        now = _now()
        statement = (
            update(idempotency_keys)
            .where(*self._own_running_row(storage_id(scope, key), fingerprint))
            .values(
                state="done",
                status=answer.status,
                body=answer.body,
                headers=dict(answer.headers),
                locked_until=now,
                expires_at=now + self.ttl,
            )
        )
        async with self._guard("complete"):
            await self._ensure_schema()
            async with self.engine.begin() as conn:
                stored = (await conn.execute(statement)).rowcount
        if not stored:
            logger.warning(
                "Idempotency answer not stored: the claim was released or taken over",
                extra={"event": "idempotency_complete_lost", "backend": "database"},
            )

    async def release(self, scope: str, key: str, fingerprint: str) -> None:
        statement = delete(idempotency_keys).where(
            *self._own_running_row(storage_id(scope, key), fingerprint)
        )
        async with self._guard("release"):
            await self._ensure_schema()
            async with self.engine.begin() as conn:
                await conn.execute(statement)

    def describe(self) -> dict[str, object]:
        url = self.engine.url._replace(password=None).render_as_string(hide_password=False)
        return {"backend": "database", "url": url}

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def _claim(self, conn: AsyncConnection, scope_key: str, fingerprint: str) -> Claim:
        for _ in range(_ATTEMPTS):
            now = _now()
            row = {
                "scope_key": scope_key,
                "fingerprint": fingerprint,
                "state": "running",
                "locked_until": now + self.lock,
                "expires_at": now + max(self.ttl, self.lock),
                "created_at": now,
            }
            inserted = await conn.execute(self._insert(conn).values(**row).on_conflict_do_nothing())
            if inserted.rowcount == 1:
                return Proceed()
            found = (
                await conn.execute(
                    select(_T.fingerprint, _T.state, _T.status, _T.body, _T.headers).where(
                        _T.scope_key == scope_key,
                        _T.expires_at >= now,
                        or_(_T.state == "done", _T.locked_until >= now),
                    )
                )
            ).first()
            if found is not None:
                if found.fingerprint != fingerprint:
                    return Mismatch()
                if found.state != "done":
                    return InFlight()
                answer = StoredAnswer(found.status, bytes(found.body), dict(found.headers or {}))
                return Replay(answer)
            # abandoned (running past its lock) or expired: take it, if no one else just did
            taken = await conn.execute(
                update(idempotency_keys)
                .where(
                    _T.scope_key == scope_key,
                    or_(
                        _T.expires_at < now,
                        and_(_T.state == "running", _T.locked_until < now),
                    ),
                )
                .values(**row, status=None, body=None, headers=None)
            )
            if taken.rowcount == 1:
                logger.info(
                    "Idempotency key taken over: its earlier claim was abandoned or expired",
                    extra={"event": "idempotency_take_over", "backend": "database"},
                )
                return Proceed()
        return InFlight()  # the row changed under us five times in a row: busy, retry later

    @staticmethod
    def _insert(conn: AsyncConnection) -> Any:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        return dialect.insert(idempotency_keys)

    @staticmethod
    def _own_running_row(scope_key: str, fingerprint: str) -> tuple[Any, ...]:
        return (
            _T.scope_key == scope_key,
            _T.state == "running",
            _T.fingerprint == fingerprint,
        )

    async def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        async with self._schema_lock:
            if self._schema_ready:
                return
            async with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _SCHEMA_LOCK}
                    )
                await conn.execute(CreateTable(idempotency_keys, if_not_exists=True))
                await conn.execute(CreateIndex(expires_index, if_not_exists=True))
            self._schema_ready = True

    async def _delete_expired(self) -> None:
        """Drop rows past `expires_at`; a failure only postpones it (the claim stands)."""
        try:
            async with self.engine.begin() as conn:
                deleted = (
                    await conn.execute(delete(idempotency_keys).where(_T.expires_at < _now()))
                ).rowcount
        except SQLAlchemyError as exc:
            logger.warning(
                "Could not delete expired idempotency keys",
                extra={"event": "idempotency_cleanup_failed", "reason": str(exc)},
            )
            return
        if deleted:
            logger.info(
                "Deleted expired idempotency keys",
                extra={"event": "idempotency_cleanup", "deleted": deleted},
            )

    @asynccontextmanager
    async def _guard(self, what: str) -> AsyncIterator[None]:
        """Bound a store call by the operation timeout; database failures and the timeout
        become `IdempotencyUnavailable`."""
        try:
            async with asyncio.timeout(self.operation_timeout):
                yield
        except TimeoutError as exc:  # before OSError, of which it is a subclass
            raise self._unavailable(what, f"no answer within {self.operation_timeout} s") from exc
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(what, f"{type(exc).__name__}: {exc}") from exc

    def _unavailable(self, what: str, reason: str) -> IdempotencyUnavailable:
        url = self.engine.url.render_as_string(hide_password=True)
        return IdempotencyUnavailable(
            f"idempotency store (database {url}) unreachable during {what}: {reason}"
        )
