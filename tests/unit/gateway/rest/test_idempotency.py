"""The Idempotency-Key store against real backends: Redis (127.0.0.1:6379, a fresh prefix per
test, deleted after), SQLite (a file under tmp_path) and PostgreSQL (a throwaway database).
Without Redis or PostgreSQL their cases skip with the reason (fail under CI=true).

Every case builds its stores through `replicas.new()`: each call is another "gateway replica"
(its own Redis client or SQLAlchemy engine) on the same storage.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from common.errors import ConfigurationError
from common.settings import GatewaySettings, load_settings
from devstack.processes import free_port
from gateway.rest.idempotency import (
    IdempotencyStore,
    IdempotencyUnavailable,
    InFlight,
    Mismatch,
    Proceed,
    RedisIdempotencyStore,
    Replay,
    SqlIdempotencyStore,
    StoredAnswer,
    fingerprint,
    idempotency_store,
)
from gateway.rest.idempotency.sql_store import idempotency_keys
from tests.support.servers import REDIS_URL, missing, redis_available, throwaway_postgres_databases

FP = fingerprint("POST", "/api/v1/orders", {"items": [{"productId": "1", "quantity": 2}]})
OTHER_FP = fingerprint("POST", "/api/v1/orders", {"items": [{"productId": "1", "quantity": 3}]})


def answer(n: int) -> StoredAnswer:
    return StoredAnswer(
        status=201,
        body=b'{"success":true,"data":{"id":"%d"}}' % n,
        headers={"Location": f"/api/v1/orders/{n}", "Content-Type": "application/json"},
    )


@dataclass
class Replicas:
    """Stores ("gateway replicas") of one backend sharing one storage; closed after the test."""

    backend: str
    target: str  # Redis prefix or database URL
    opened: list[IdempotencyStore] = field(default_factory=list)

    def new(self, **options: Any) -> IdempotencyStore:
        options.setdefault("ttl_seconds", 86400)
        options.setdefault("lock_seconds", 60)
        store: IdempotencyStore
        if self.backend == "redis":
            client = Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            store = RedisIdempotencyStore(client, prefix=self.target, **options)
        else:
            store = SqlIdempotencyStore.open(self.target, **options)
        self.opened.append(store)
        return store


@pytest.fixture(scope="module")
def postgres_urls() -> Iterator[dict[str, str]]:
    """`shared` for every case (each uses its own caller), `fresh` for the start-up race."""
    with throwaway_postgres_databases("shared", "fresh") as urls:
        yield urls


@pytest.fixture(
    params=["redis", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """The backend and where its entries live. Synchronous: the server checks run their own
    event loop."""
    backend: str = request.param
    if backend == "redis":
        reason = redis_available()
        if reason is not None:
            missing(reason)
        return backend, f"test:idempotency:{uuid.uuid4().hex[:12]}:"
    if backend == "sqlite":
        return backend, f"sqlite+aiosqlite:///{tmp_path / 'idempotency.db'}"
    return backend, request.getfixturevalue("postgres_urls")["shared"]


@pytest.fixture
async def replicas(storage: tuple[str, str]) -> AsyncIterator[Replicas]:
    backend, target = storage
    replicas = Replicas(backend, target)
    yield replicas
    for store in replicas.opened:
        await store.aclose()
    if backend == "redis":
        client = Redis.from_url(REDIS_URL)
        try:
            leftovers = [name async for name in client.scan_iter(match=f"{target}*")]
            if leftovers:
                await client.delete(*leftovers)
        finally:
            await client.aclose()


@pytest.fixture
def scope() -> str:
    """A caller no other test uses (the PostgreSQL database is shared by the module)."""
    return f"user:{uuid.uuid4().hex[:12]}"


async def test_a_free_key_proceeds_and_its_answer_is_replayed(
    replicas: Replicas, scope: str
) -> None:
    store = replicas.new()
    assert await store.claim(scope, "key-1", FP) == Proceed()
    await store.complete(scope, "key-1", FP, answer(1))
    assert await store.claim(scope, "key-1", FP) == Replay(answer(1))
    assert await store.claim(scope, "key-1", FP) == Replay(answer(1))


async def test_the_same_request_while_the_first_runs_is_in_flight(
    replicas: Replicas, scope: str
) -> None:
    store = replicas.new()
    assert await store.claim(scope, "key-1", FP) == Proceed()
    assert await store.claim(scope, "key-1", FP) == InFlight()


async def test_another_request_under_the_key_is_a_mismatch_while_running_and_when_done(
    replicas: Replicas, scope: str
) -> None:
    store = replicas.new()
    assert await store.claim(scope, "key-1", FP) == Proceed()
    assert await store.claim(scope, "key-1", OTHER_FP) == Mismatch()
    await store.complete(scope, "key-1", FP, answer(1))
    assert await store.claim(scope, "key-1", OTHER_FP) == Mismatch()
    # a completion with the other fingerprint changes nothing
    await store.complete(scope, "key-1", OTHER_FP, answer(2))
    assert await store.claim(scope, "key-1", FP) == Replay(answer(1))


async def test_keys_are_scoped_to_the_caller(replicas: Replicas, scope: str) -> None:
    store = replicas.new()
    other = f"{scope}-other"
    assert await store.claim(scope, "shared-key", FP) == Proceed()
    assert await store.claim(other, "shared-key", OTHER_FP) == Proceed()
    await store.complete(scope, "shared-key", FP, answer(1))
    await store.complete(other, "shared-key", OTHER_FP, answer(2))
    assert await store.claim(scope, "shared-key", FP) == Replay(answer(1))
    assert await store.claim(other, "shared-key", OTHER_FP) == Replay(answer(2))
    # no separator trick joins two callers' keys: ("a", "b:c") is not ("a:b", "c")
    assert await store.claim("a", f"b:{scope}", FP) == Proceed()
    assert await store.claim("a:b", scope, FP) == Proceed()


async def test_any_key_string_is_stored_safely(replicas: Replicas, scope: str) -> None:
    store = replicas.new()
    key = "é' OR 1=1; --\n\x00" + "k" * 500
    assert await store.claim(scope, key, FP) == Proceed()
    await store.complete(scope, key, FP, answer(1))
    assert await store.claim(scope, key, FP) == Replay(answer(1))


async def test_of_fifty_concurrent_claims_from_two_replicas_exactly_one_proceeds(
    replicas: Replicas, scope: str
) -> None:
    stores = [replicas.new(), replicas.new()]  # a fresh SQL database: both create the table
    fingerprints = [FP if i % 3 else OTHER_FP for i in range(50)]
    claims = await asyncio.gather(
        *(stores[i % 2].claim(scope, "raced", fp) for i, fp in enumerate(fingerprints))
    )
    winners = [i for i, claim in enumerate(claims) if claim == Proceed()]
    assert len(winners) == 1, claims
    winning_fp = fingerprints[winners[0]]
    for i, claim in enumerate(claims):
        if i != winners[0]:
            assert claim == (InFlight() if fingerprints[i] == winning_fp else Mismatch())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database without the table yet."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    return str(request.getfixturevalue("postgres_urls")["fresh"])


async def test_replicas_starting_together_on_a_fresh_database_create_the_table_once(
    fresh_database: str, scope: str
) -> None:
    stores = [SqlIdempotencyStore.open(fresh_database) for _ in range(8)]
    try:
        claims = await asyncio.gather(
            *(store.claim(scope, f"key-{n}", FP) for n, store in enumerate(stores))
        )
        assert claims == [Proceed()] * 8
        assert await stores[0].claim(scope, "key-7", FP) == InFlight()
    finally:
        for store in stores:
            await store.aclose()


async def test_two_replicas_share_entries(replicas: Replicas, scope: str) -> None:
    first, second = replicas.new(), replicas.new()
    assert await first.claim(scope, "key-1", FP) == Proceed()
    assert await second.claim(scope, "key-1", FP) == InFlight()
    assert await second.claim(scope, "key-1", OTHER_FP) == Mismatch()
    await first.complete(scope, "key-1", FP, answer(1))
    assert await second.claim(scope, "key-1", FP) == Replay(answer(1))


#: A lock window long enough that the steps a test takes inside it fit on a loaded machine.
LOCK = 1.5


async def warm_up(scope: str, *stores: IdempotencyStore) -> None:
    """Open each store's connection first, so no step inside a lock window waits for one."""
    for n, store in enumerate(stores):
        await store.claim(scope, f"warm-up-{n}", FP)


async def test_an_abandoned_claim_is_taken_over_after_the_lock_window_only(
    replicas: Replicas, scope: str
) -> None:
    crashed, survivor = replicas.new(lock_seconds=LOCK), replicas.new(lock_seconds=LOCK)
    await warm_up(scope, crashed, survivor)
    assert await crashed.claim(scope, "key-1", FP) == Proceed()
    assert await survivor.claim(scope, "key-1", FP) == InFlight()
    await asyncio.sleep(LOCK + 0.1)
    # the first process died without an answer: the key is free again, for one claimant only
    claims = await asyncio.gather(*(survivor.claim(scope, "key-1", FP) for _ in range(10)))
    assert claims.count(Proceed()) == 1
    assert claims.count(InFlight()) == 9
    await survivor.complete(scope, "key-1", FP, answer(2))
    assert await crashed.claim(scope, "key-1", FP) == Replay(answer(2))


async def test_a_late_completion_never_overwrites_a_take_over(
    replicas: Replicas, scope: str
) -> None:
    slow, retry = replicas.new(lock_seconds=LOCK), replicas.new(lock_seconds=LOCK)
    await warm_up(scope, slow, retry)
    # the take-over ran the same request and finished first
    assert await slow.claim(scope, "same", FP) == Proceed()
    await asyncio.sleep(LOCK + 0.1)
    assert await retry.claim(scope, "same", FP) == Proceed()
    await retry.complete(scope, "same", FP, answer(2))
    await slow.complete(scope, "same", FP, answer(1))
    assert await slow.claim(scope, "same", FP) == Replay(answer(2))
    # the take-over is another request, still running: the late answer is not its answer
    assert await slow.claim(scope, "other", FP) == Proceed()
    await asyncio.sleep(LOCK + 0.1)
    assert await retry.claim(scope, "other", OTHER_FP) == Proceed()
    await slow.complete(scope, "other", FP, answer(1))
    await slow.release(scope, "other", FP)
    assert await slow.claim(scope, "other", OTHER_FP) == InFlight()
    await retry.complete(scope, "other", OTHER_FP, answer(3))
    assert await slow.claim(scope, "other", OTHER_FP) == Replay(answer(3))
    assert await slow.claim(scope, "other", FP) == Mismatch()


async def test_release_forgets_only_an_in_flight_claim_of_that_fingerprint(
    replicas: Replicas, scope: str
) -> None:
    store = replicas.new()
    assert await store.claim(scope, "key-1", FP) == Proceed()
    await store.release(scope, "key-1", OTHER_FP)
    assert await store.claim(scope, "key-1", FP) == InFlight()
    await store.release(scope, "key-1", FP)
    assert await store.claim(scope, "key-1", OTHER_FP) == Proceed()  # free again
    await store.complete(scope, "key-1", OTHER_FP, answer(1))
    await store.release(scope, "key-1", OTHER_FP)  # never a finished answer
    assert await store.claim(scope, "key-1", OTHER_FP) == Replay(answer(1))
    await store.release(scope, "never-claimed", FP)  # nothing to forget: no error


async def test_a_finished_answer_expires_after_the_ttl(replicas: Replicas, scope: str) -> None:
    ttl = 2.0  # wide enough that a loaded machine still replays inside it
    store = replicas.new(ttl_seconds=ttl, lock_seconds=0.5)
    assert await store.claim(scope, "key-1", FP) == Proceed()
    await store.complete(scope, "key-1", FP, answer(1))
    completed = time.monotonic()
    await asyncio.sleep(0.6)  # past the lock window, inside the TTL
    assert await store.claim(scope, "key-1", FP) == Replay(answer(1))
    await asyncio.sleep(max(0.0, completed + ttl + 0.3 - time.monotonic()))
    assert await store.claim(scope, "key-1", OTHER_FP) == Proceed()


async def test_expired_rows_are_deleted_from_the_table(tmp_path: Path, scope: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'idempotency.db'}"
    store = SqlIdempotencyStore.open(url, ttl_seconds=0.2, lock_seconds=0.1, cleanup_every=3)
    try:
        for n in range(3):  # the first claim cleans up (nothing yet), then every third
            assert await store.claim(scope, f"key-{n}", FP) == Proceed()
            await store.complete(scope, f"key-{n}", FP, answer(n))
        await asyncio.sleep(0.3)
        assert await store.claim(scope, "key-3", FP) == Proceed()  # the fourth cleans up
        async with store.engine.connect() as conn:
            rows = (await conn.execute(select(func.count()).select_from(idempotency_keys))).one()
        assert rows[0] == 1
    finally:
        await store.aclose()


async def test_an_unreachable_redis_is_unavailable_not_a_fallback() -> None:
    port = free_port()
    settings = GatewaySettings(
        redis_enabled=True, redis_host="127.0.0.1", redis_port=port, idempotency_redis_timeout=0.5
    )
    store = idempotency_store(settings)
    try:
        with pytest.raises(IdempotencyUnavailable, match=r"Redis.*claim.*ConnectionError"):
            await store.claim("user:1", "key-1", FP)
        with pytest.raises(IdempotencyUnavailable, match="complete"):
            await store.complete("user:1", "key-1", FP, answer(1))
        with pytest.raises(IdempotencyUnavailable, match="release"):
            await store.release("user:1", "key-1", FP)
    finally:
        await store.aclose()


async def test_an_unreachable_database_is_unavailable_without_its_password() -> None:
    url = f"postgresql+asyncpg://gateway:s3cret@127.0.0.1:{free_port()}/idempotency"
    store = SqlIdempotencyStore.open(url)
    try:
        assert store.describe() == {
            "backend": "database",
            "url": f"postgresql+asyncpg://gateway@127.0.0.1:{url.rsplit(':', 1)[1]}",
        }
        for call in (
            store.claim("user:1", "key-1", FP),
            store.complete("user:1", "key-1", FP, answer(1)),
            store.release("user:1", "key-1", FP),
        ):
            with pytest.raises(IdempotencyUnavailable, match="unreachable") as raised:
                await call
            assert "s3cret" not in str(raised.value)
    finally:
        await store.aclose()


async def test_the_settings_choose_the_backend(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'idempotency.db'}"
    database = idempotency_store(GatewaySettings(redis_enabled=False, idempotency_database_url=url))
    redis = idempotency_store(GatewaySettings(redis_enabled=True, idempotency_prefix="gw:idem:"))
    try:
        assert database.describe() == {"backend": "database", "url": url}
        assert (tmp_path / "sub").is_dir()
        assert redis.describe() == {"backend": "redis", "prefix": "gw:idem:"}
    finally:
        await database.aclose()
        await redis.aclose()


def test_the_settings_default_to_a_day_and_a_minute() -> None:
    defaults = {name: info.default for name, info in GatewaySettings.model_fields.items()}
    assert defaults["idempotency_ttl_seconds"] == 86400
    assert defaults["idempotency_lock_seconds"] == 60
    assert defaults["idempotency_prefix"] == "gateway:idempotency:"
    assert defaults["idempotency_redis_timeout"] == 1.0
    assert defaults["idempotency_database_url"] == "sqlite+aiosqlite:///var/gateway-idempotency.db"


def test_a_ttl_under_a_minute_or_a_lock_of_zero_stops_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_IDEMPOTENCY_TTL_SECONDS", "59")
    monkeypatch.setenv("GATEWAY_IDEMPOTENCY_LOCK_SECONDS", "0")
    with pytest.raises(ConfigurationError) as refused:
        load_settings(GatewaySettings)
    assert "GATEWAY_IDEMPOTENCY_TTL_SECONDS" in str(refused.value)
    assert "GATEWAY_IDEMPOTENCY_LOCK_SECONDS" in str(refused.value)


def test_the_fingerprint_ignores_key_order_and_spacing_but_not_the_request() -> None:
    body = {"amount": 10.5, "orderId": "7", "card": {"token": "tok", "exp": "12/30"}}
    reordered = {"card": {"exp": "12/30", "token": "tok"}, "orderId": "7", "amount": 10.5}
    fp = fingerprint("POST", "/api/v1/payments", body)
    assert len(fp) == 64 and int(fp, 16) >= 0
    assert fingerprint("post", "/api/v1/payments", reordered) == fp
    assert fingerprint("POST", "/api/v1/payments", {**body, "amount": 10.6}) != fp
    assert fingerprint("POST", "/api/v1/payments/{id}/refund", body) != fp
    assert fingerprint("PUT", "/api/v1/payments", body) != fp
