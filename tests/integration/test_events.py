"""Events end to end on both buses: outbox -> relay -> bus -> consumer, nothing lost, once each.

Runs on a real Redis server (a throwaway stream) and on the local SQLite event log.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.db import create_engine, create_session_factory
from common.events import Event, EventBus
from common.events.consumer import EventConsumer
from common.events.local_log import LocalEventLog
from common.events.outbox import outbox_table, processed_events_table, record_event
from common.events.redis_streams import RedisStreamBus
from common.events.relay import OutboxRelay
from tests.support.servers import REDIS_URL, missing, redis_available

metadata = MetaData()
outbox = outbox_table(metadata)
processed = processed_events_table(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64), nullable=False),
)


@pytest.fixture(params=["local", "redis"])
async def bus(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EventBus]:
    if request.param == "local":
        log = LocalEventLog.open(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
        yield log
        await log.close()
        return
    reason = redis_available()
    if reason is not None:
        missing(reason)
    redis = Redis.from_url(REDIS_URL)
    stream = f"test-events-{uuid.uuid4().hex[:8]}"
    yield RedisStreamBus(redis, stream, claim_idle_ms=200)
    await redis.delete(stream)
    await redis.aclose()


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield create_session_factory(engine)
    await engine.dispose()


def order_event(entity_id: str, kind: str = "order.created") -> Event:
    return Event(type=kind, entity_type="Order", entity_id=entity_id, payload={}, source="orders")


async def store_effect(session: AsyncSession, event: Event) -> None:
    await session.execute(insert(effects).values(event_id=event.id))


async def effect_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(effects)) or 0)


async def test_read_in_order_and_redeliver_until_acknowledged(bus: EventBus) -> None:
    events = [order_event(str(i)) for i in range(3)]
    for event in events:
        await bus.publish(event)
    first = await bus.read("audit", "audit-1", block_ms=100)
    assert [d.event.id for d in first] == [e.id for e in events]
    again = await bus.read("audit", "audit-1", block_ms=100)
    assert [d.event.id for d in again] == [e.id for e in events], "unacknowledged: delivered again"
    await bus.ack("audit", [d.message_id for d in again])
    assert await bus.read("audit", "audit-1", block_ms=100) == []
    other_group = await bus.read("notifications", "n-1", block_ms=100)
    assert len(other_group) == 3, "each group reads every event"


async def test_relay_sends_committed_events_only_and_in_order(
    bus: EventBus, sessions: async_sessionmaker[AsyncSession]
) -> None:
    kept = [order_event("7"), order_event("7", "order.status_changed")]
    async with sessions() as session, session.begin():
        for event in kept:
            await record_event(session, outbox, event)
    async with sessions() as session:
        await record_event(session, outbox, order_event("8"))
        await session.rollback()
    relay = OutboxRelay(sessions, outbox, bus)
    assert await relay.backlog() == 2
    assert await relay.publish_pending() == 2
    assert await relay.publish_pending() == 0, "sent rows are marked"
    assert await relay.backlog() == 0
    delivered = await bus.read("audit", "a", block_ms=100)
    assert [d.event.id for d in delivered] == [e.id for e in kept]


async def test_a_consumer_dying_between_storing_and_acknowledging_leaves_one_effect(
    bus: EventBus, sessions: async_sessionmaker[AsyncSession]
) -> None:
    event = order_event("42")
    await bus.publish(event)

    def consumer() -> EventConsumer:
        return EventConsumer(
            bus, sessions, processed, store_effect, group="audit", consumer="audit-1"
        )

    (delivery,) = await bus.read("audit", "audit-1", block_ms=100)
    assert await consumer().apply(delivery) is True  # stored ... and the process dies: no ack
    assert await effect_count(sessions) == 1

    restarted = consumer()
    assert await restarted.poll(block_ms=100) == 1, "redelivered and settled"
    assert await effect_count(sessions) == 1, "no second effect"
    assert await bus.read("audit", "audit-1", block_ms=100) == [], "acknowledged at last"


async def test_a_failing_event_is_retried_then_parked_and_later_events_flow(
    bus: EventBus, sessions: async_sessionmaker[AsyncSession]
) -> None:
    bad, good = order_event("1"), order_event("2")
    await bus.publish(bad)
    await bus.publish(good)

    async def handler(session: AsyncSession, event: Event) -> None:
        if event.id == bad.id:
            raise RuntimeError("cannot apply")
        await store_effect(session, event)

    consumer = EventConsumer(
        bus, sessions, processed, handler, group="g", consumer="c", max_attempts=3
    )
    assert await consumer.poll(block_ms=100) == 0
    assert await consumer.poll(block_ms=100) == 0
    assert await consumer.poll(block_ms=100) == 2, "parked on the third attempt, then moved on"
    assert await effect_count(sessions) == 1
    async with sessions() as session:
        outcome = await session.scalar(
            select(processed.c.outcome).where(processed.c.event_id == bad.id)
        )
    assert outcome == "failed"


async def test_events_of_other_types_are_acknowledged_without_effect(
    bus: EventBus, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await bus.publish(order_event("1", "user.created"))
    consumer = EventConsumer(
        bus, sessions, processed, store_effect, group="g", consumer="c", types={"order.created"}
    )
    assert await consumer.poll(block_ms=100) == 1
    assert await effect_count(sessions) == 0


async def test_who_acted_travels_with_the_event_to_every_consumer(
    bus: EventBus, sessions: async_sessionmaker[AsyncSession]
) -> None:
    by_user = Event(
        type="order.created",
        entity_type="Order",
        entity_id="9",
        payload={"order_id": "9"},
        source="orders",
        actor="user:7",
        request_id="req-7",
    )
    by_nobody = order_event("10")
    async with sessions() as session, session.begin():
        for event in (by_user, by_nobody):
            await record_event(session, outbox, event)
    assert await OutboxRelay(sessions, outbox, bus).publish_pending() == 2

    seen: list[Event] = []

    async def remember(session: AsyncSession, event: Event) -> None:
        seen.append(event)

    consumer = EventConsumer(bus, sessions, processed, remember, group="audit", consumer="a")
    assert await consumer.poll(block_ms=100) == 2

    assert [(e.id, e.actor, e.request_id) for e in seen] == [
        (by_user.id, "user:7", "req-7"),
        (by_nobody.id, None, None),
    ]
