"""Idempotency keys kept with the writes they guard, so that a retry answers the first result.

A client names a write with a key (the mutations' `idempotencyKey`; the REST shims pass their
`Idempotency-Key` header into it). The subgraph stores the key in the write's own transaction,
unique per caller (the token's subject) and key, with a fingerprint of the request and the id of
the entity the write made or acted on. A retry with the same key and the same request finds the
row and answers that entity as it is now instead of acting again, whatever became of the first
answer (a crash between commit and answer, a dropped connection, a gateway 5xx). The same key
with another request is IDEMPOTENCY_KEY_REUSED. A request that failed kept nothing, so its retry
runs afresh. Rows are kept as long as the entities they name.

The key is claimed first, as the transaction's first write (`INSERT ... ON CONFLICT DO NOTHING`):
on SQLite that takes the write lock before anything is read; on PostgreSQL a concurrent request
with the same key waits on the primary key until the first commits (then finds its row) or
rolls back (then claims the key itself).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import FieldProblem, IdempotencyKeyReused
from subgraphs.kit.identity import Identity

FIELD = "idempotencyKey"
MAX_KEY_LENGTH = 255
#: Printable ASCII without spaces, as the REST shims' `Idempotency-Key` header (a UUID fits).
_KEY = re.compile(r"^[\x21-\x7e]+$")


def idempotency_table(metadata: MetaData) -> Table:
    """`idempotency_keys`: one row per caller and key, the request it named and its entity."""
    return Table(
        "idempotency_keys",
        metadata,
        Column("caller", String(255), nullable=False),
        Column("key", String(MAX_KEY_LENGTH), nullable=False),
        #: The mutation (`createOrder`), for people reading the table.
        Column("operation", String(64), nullable=False),
        #: sha256 of the operation and its cleaned arguments.
        Column("fingerprint", String(64), nullable=False),
        #: The entity the request made or acted on (set in the same transaction).
        Column("entity_id", Integer, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("caller", "key"),
    )


def clean_idempotency_key(value: str | None) -> str | FieldProblem | None:
    """The key as given (None when absent), if 1 to 255 printable ASCII characters."""
    if value is None:
        return None
    if not 1 <= len(value) <= MAX_KEY_LENGTH or not _KEY.match(value):
        return FieldProblem(
            FIELD,
            f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters without spaces "
            "(a UUID is a good key); leave it out to send no key",
        )
    return value


@dataclass(frozen=True)
class KeyedRequest:
    """One caller's request under one key."""

    caller: str
    key: str
    operation: str
    fingerprint: str

    @classmethod
    def of(
        cls, caller: Identity, key: str | None, operation: str, request: Mapping[str, object]
    ) -> KeyedRequest | None:
        """The keyed request (None without a key); `request` holds the cleaned arguments that
        make two requests the same, as JSON values."""
        if key is None:
            return None
        canonical = json.dumps(
            {"operation": operation, **request}, sort_keys=True, separators=(",", ":")
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return cls(caller.subject, key, operation, digest)


def reused() -> IdempotencyKeyReused:
    """The error for a key that named another request of the caller."""
    return IdempotencyKeyReused(
        "This idempotencyKey was used with another request; send a new key for a new request "
        "(a retry must repeat the first request exactly).",
        field=FIELD,
    )


async def claim(
    session: AsyncSession, table: Table, request: KeyedRequest, *, now: datetime
) -> int | None:
    """Claim the key in the session's transaction: None when it was free (act, then `bind`), or
    the id of the entity the same earlier request made or acted on. IDEMPOTENCY_KEY_REUSED when
    the key named another request."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = await session.execute(
        dialect.insert(table)
        .values(
            caller=request.caller,
            key=request.key,
            operation=request.operation,
            fingerprint=request.fingerprint,
            created_at=now,
        )
        .on_conflict_do_nothing()
    )
    if getattr(inserted, "rowcount", 0) == 1:
        return None
    earlier = (
        await session.execute(
            select(table.c.fingerprint, table.c.entity_id).where(
                table.c.caller == request.caller, table.c.key == request.key
            )
        )
    ).one()
    if earlier.fingerprint != request.fingerprint or earlier.entity_id is None:
        raise reused()
    return int(earlier.entity_id)


async def bind(session: AsyncSession, table: Table, request: KeyedRequest, entity_id: int) -> None:
    """Name the entity the claimed request made or acted on, in the same transaction."""
    await session.execute(
        update(table)
        .where(table.c.caller == request.caller, table.c.key == request.key)
        .values(entity_id=entity_id)
    )
