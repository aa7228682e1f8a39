"""The storage behind `Idempotency-Key` on the REST shims' writes (docs/idempotency.md).

A request with a key first `claim`s it for its caller (`scope`) and the request's
`fingerprint`; the answer says whether to run it (`Proceed`), send a stored answer (`Replay`),
or refuse it (`InFlight` -> 409, `Mismatch` -> 422). After running it the caller `complete`s
the claim with the answer, or `release`s it when the request failed before any effect. A store
that cannot be reached raises `IdempotencyUnavailable` (-> 503); there is no local fallback,
which would let two replicas run the same request.

Backends: Redis when `REDIS_ENABLED=true` (`redis_store`), else a SQL database (`sql_store`).
"""

from __future__ import annotations

from common.redis_fallback import gateway_redis_client
from common.settings import GatewaySettings
from gateway.rest.idempotency.model import (
    Claim,
    IdempotencyStore,
    IdempotencyUnavailable,
    InFlight,
    Mismatch,
    Proceed,
    Replay,
    StoredAnswer,
    fingerprint,
    storage_id,
)
from gateway.rest.idempotency.redis_store import RedisIdempotencyStore
from gateway.rest.idempotency.sql_store import SqlIdempotencyStore

__all__ = [
    "Claim",
    "IdempotencyStore",
    "IdempotencyUnavailable",
    "InFlight",
    "Mismatch",
    "Proceed",
    "RedisIdempotencyStore",
    "Replay",
    "SqlIdempotencyStore",
    "StoredAnswer",
    "fingerprint",
    "idempotency_store",
    "storage_id",
]


def idempotency_store(settings: GatewaySettings) -> IdempotencyStore:
    """Redis when `settings.redis_enabled`, else the database at `idempotency_database_url`
    (its table is created at first use). Opening connects to nothing yet."""
    if settings.redis_enabled:
        return RedisIdempotencyStore(
            gateway_redis_client(settings, timeout=settings.idempotency_redis_timeout),
            prefix=settings.idempotency_prefix,
            ttl_seconds=settings.idempotency_ttl_seconds,
            lock_seconds=settings.idempotency_lock_seconds,
        )
    return SqlIdempotencyStore.open(
        settings.idempotency_database_url,
        ttl_seconds=settings.idempotency_ttl_seconds,
        lock_seconds=settings.idempotency_lock_seconds,
    )
