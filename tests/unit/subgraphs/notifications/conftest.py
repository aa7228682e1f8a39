"""Notifications fixtures: an in-memory database, a real event log and consumer, the schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import ExecutionResult

from common.db import create_session_factory
from common.events import Event
from common.events.consumer import EventConsumer
from common.events.local_log import LocalEventLog
from subgraphs.kit.context import RequestContext
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.notifications.consumer import GROUP, Notifier, consumer_spec
from subgraphs.notifications.deliveries import DeliveryDispatcher
from subgraphs.notifications.loaders import make_loaders
from subgraphs.notifications.models import NotificationsBase, processed_events
from subgraphs.notifications.schema import schema
from subgraphs.notifications.service import NotificationService

Execute = Callable[..., Awaitable[ExecutionResult]]


def order_event(kind: str, order_id: int = 12, user_id: Any = 7, **payload: Any) -> Event:
    """An order or payment event shaped as the catalogue says."""
    if kind == "order.created":
        body = {
            "order_id": order_id,
            "user_id": user_id,
            "items": [{"sku": "SKU-1", "quantity": 2, "unit_price": 5.0}],
            "total_amount": 10.0,
        }
        return Event(kind, "Order", str(order_id), body | payload, source="orders")
    if kind == "order.status_changed":
        body = {"order_id": order_id, "user_id": user_id, "from": "PENDING", "to": "CONFIRMED"}
        return Event(
            kind, "Order", str(order_id), body | {"reason": None} | payload, source="orders"
        )
    body = {
        "payment_id": 3,
        "order_id": order_id,
        "user_id": user_id,
        "amount": 10.0,
        "currency": "EUR",
    }
    return Event(kind, "Payment", "3", body | payload, source="payments")


@pytest.fixture
async def engine(make_engine: Any) -> AsyncEngine:
    return await make_engine(NotificationsBase.metadata)


@pytest.fixture
async def service(engine: AsyncEngine, clock: Any) -> AsyncIterator[NotificationService]:
    async with create_session_factory(engine)() as session:
        yield NotificationService(RequestDb(session), clock=clock)


@pytest.fixture(name="order_event")
def order_event_fixture() -> Callable[..., Event]:
    """Builds catalogue-shaped order and payment events."""
    return order_event


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalEventLog]:
    """The local event log, as the app uses it without Redis."""
    log = LocalEventLog.open(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    yield log
    await log.close()


@pytest.fixture
def consumer(engine: AsyncEngine, bus: LocalEventLog, clock: Any) -> EventConsumer:
    """The app's consumer group over the test database and event log."""
    spec = consumer_spec(Notifier(clock=clock))
    return EventConsumer(
        bus,
        create_session_factory(engine),
        processed_events,
        spec.handler,
        group=GROUP,
        consumer="notifications-test",
        types=spec.types,
    )


@pytest.fixture
def deliver(bus: LocalEventLog, consumer: EventConsumer) -> Callable[..., Awaitable[int]]:
    """Publishes events to the bus and lets the consumer settle them; returns how many."""

    async def run(*events: Event) -> int:
        for event in events:
            await bus.publish(event)
        return await consumer.poll(block_ms=50)

    return run


@pytest.fixture
def dispatcher(clock: Any) -> DeliveryDispatcher:
    """The app's dispatcher of deliveries, with the logging senders and the test clock."""
    return DeliveryDispatcher(clock=clock)


@pytest.fixture
def dispatch(engine: AsyncEngine, dispatcher: DeliveryDispatcher) -> Callable[[], Awaitable[int]]:
    """Runs one round of the dispatcher over the test database; returns how many it claimed."""
    sessions = create_session_factory(engine)

    async def run() -> int:
        return await dispatcher.dispatch(sessions)

    return run


@pytest.fixture
def execute(engine: AsyncEngine) -> Execute:
    """Runs an operation as one HTTP request would; `user_id` signs a user in, `identity` names
    any other caller; with neither the caller is anonymous."""
    sessions = create_session_factory(engine)

    async def run(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user_id: int | None = None,
        identity: Identity | None = None,
    ) -> ExecutionResult:
        if identity is None and user_id is not None:
            identity = Identity(f"user:{user_id}", user_id=user_id, roles=frozenset({"user"}))
        async with sessions() as session:
            db = RequestDb(session)
            context = RequestContext(db, make_loaders(db), identity)
            return await schema.execute(query, variable_values=variables, context_value=context)

    return run
