"""The order saga end to end: orders -> `order.created` -> products reserves or rejects -> orders.

Through the gateway with a user's token (the user places and cancels their own order, and the
audit log names them as the actor of every step), on Redis Streams (a throwaway stream per run)
and on the default local event log; and the products consumer killed with SIGKILL in the middle
of a burst, then restarted.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import redis

from common.events import Event
from common.events.local_log import LocalEventLog
from devstack.processes import Service, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, subgraph_service
from subgraphs.products.seed import DEMO_PRODUCTS
from tests.integration.stack_events import eventually
from tests.integration.test_orders_through_gateway import create_product, new_user, settled
from tests.support.servers import REDIS_URL, missing, redis_available
from tests.support.stack import RunningStack, start_stack

CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }
"""
STOCK = "query($sku: String!) { productBySku(sku: $sku) { stock } }"


def redis_env(stream: str) -> dict[str, str]:
    """The `REDIS_*` settings naming the test Redis, and the stream of this run."""
    url = urlparse(REDIS_URL)
    return {
        "REDIS_ENABLED": "true",
        "REDIS_HOST": url.hostname or "127.0.0.1",
        "REDIS_PORT": str(url.port or 6379),
        "REDIS_DB": (url.path or "/0").lstrip("/") or "0",
        "REDIS_PASSWORD": url.password or "",
        "EVENTS_STREAM": stream,
    }


@pytest.fixture(scope="module")
def redis_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The whole system on SQLite with events on Redis Streams, a stream of its own."""
    reason = redis_available()
    if reason is not None:
        missing(reason)
    stream = f"test-saga-{uuid.uuid4().hex[:8]}"
    log_dir = tmp_path_factory.mktemp("stack-redis")
    db_urls = {sg.name: f"sqlite+aiosqlite:///{log_dir / sg.name}.db" for sg in SUBGRAPHS}
    client = redis.Redis.from_url(REDIS_URL)
    with ExitStack() as cleanup:
        cleanup.callback(client.close)
        cleanup.callback(client.delete, stream)
        running = start_stack("sqlite+redis", db_urls, log_dir, extra_env=redis_env(stream))
        cleanup.callback(stop, list(running.services.values()))
        yield running


def stock_of(stack: RunningStack, sku: str) -> int:
    return int(stack.data(STOCK, {"sku": sku})["productBySku"]["stock"])


def eventually_stock(stack: RunningStack, sku: str, expected: int) -> None:
    eventually(lambda: stock_of(stack, sku), lambda stock: stock == expected)


def place(stack: RunningStack, user: dict[str, Any], sku: str, quantity: int) -> str:
    """An order placed by `user` themselves (their token)."""
    order = stack.data(
        CREATE_ORDER,
        {"input": {"items": [{"productId": sku, "quantity": quantity, "unitPrice": 9.99}]}},
        headers=user["headers"],
    )["createOrder"]
    assert order["status"] == "PENDING", "the inventory answers later"
    return str(order["id"])


def order_actors(stack: RunningStack, order_id: str) -> list[tuple[str, str | None]]:
    """(action, actor) of the audit rows about an order, oldest first (as an admin reads them)."""
    rows = stack.data(
        """
        query($id: String!) {
          auditLogs(entityType: "Order", entityId: $id, pageSize: 100) {
            items { action actorSubject } } }
        """,
        {"id": order_id},
        headers=stack.admin,
    )["auditLogs"]["items"]
    return [(row["action"], row["actorSubject"]) for row in reversed(rows)]


def happy_path(stack: RunningStack) -> None:
    """An order in stock is confirmed and takes its stock; cancelling it gives the stock back.

    The user places and cancels it with their own token, and the audit log names them as the
    actor of each step, the inventory's confirmation included."""
    user = new_user(stack)
    product = create_product(stack, stock=5)

    order_id = place(stack, user, product["sku"], 2)

    assert settled(stack, order_id) == {
        "id": order_id,
        "status": "CONFIRMED",
        "cancellationReason": None,
    }
    assert stock_of(stack, product["sku"]) == 3
    cancelled = stack.data(
        'mutation($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }',
        {"id": order_id},
        headers=user["headers"],
    )
    assert cancelled == {"cancelOrder": {"status": "CANCELLED"}}
    eventually_stock(stack, product["sku"], 5)
    expected = sorted(
        ["order.created", "inventory.reserved", "inventory.released"]
        + ["order.status_changed"] * 2  # to CONFIRMED by the inventory, to CANCELLED by the user
    )
    steps = eventually(
        lambda: order_actors(stack, order_id),
        lambda rows: sorted(action for action, _ in rows) == expected,
    )
    assert {actor for _action, actor in steps} == {f"user:{user['id']}"}, steps


def test_on_redis_an_order_in_stock_is_confirmed_and_cancelling_returns_its_stock(
    redis_stack: RunningStack,
) -> None:
    happy_path(redis_stack)


def test_on_redis_an_order_beyond_the_stock_is_cancelled_with_the_reason(
    redis_stack: RunningStack,
) -> None:
    user = new_user(redis_stack)
    product = create_product(redis_stack, stock=3)

    order_id = place(redis_stack, user, product["sku"], 4)

    state = settled(redis_stack, order_id)
    assert state["status"] == "CANCELLED"
    assert state["cancellationReason"] == (
        f"insufficient stock for {product['sku']}: 4 requested, 3 available"
    )
    assert stock_of(redis_stack, product["sku"]) == 3, "nothing held"


def test_on_the_local_event_log_the_same_happy_path(stack: RunningStack) -> None:
    happy_path(stack)


# --- a consumer killed between storing and acknowledging ------------------------------------

PRODUCTS = next(sg for sg in SUBGRAPHS if sg.name == "products")
BURST = 120
#: PROD-5 (35 in stock) is in every order, so it runs out and later orders are rejected.
SCARCE = "PROD-5"
INITIAL_STOCK = {f"PROD-{n + 1}": stock for n, (_, _, stock) in enumerate(DEMO_PRODUCTS)}


def burst_order(number: int) -> Event:
    items = [
        {"sku": SCARCE, "quantity": 1, "unit_price": "34.99"},
        {"sku": f"PROD-{1 + number % 3}", "quantity": 1 + number % 2, "unit_price": "4.99"},
    ]
    return Event(
        type="order.created",
        entity_type="Order",
        entity_id=str(number),
        source="orders",
        payload={"order_id": str(number), "user_id": "1", "items": items, "total_amount": "1"},
    )


def products_process(tmp: Path, port: int) -> Service:
    """The products subgraph as a real process, on its own SQLite file and event log."""
    return subgraph_service(
        PRODUCTS,
        port,
        db_url=f"sqlite+aiosqlite:///{tmp / 'products.db'}",
        log_dir=tmp,
        extra_env={
            "REDIS_ENABLED": "false",
            "EVENTS_LOG_URL": f"sqlite+aiosqlite:///{tmp / 'events.db'}",
            # The same consumer on restart, as a restarted replica would be.
            "EVENTS_CONSUMER_NAME": "products-under-test",
        },
    )


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read a SQLite file the process is writing (WAL mode lets a reader in)."""
    if not path.exists():
        return []
    connection = sqlite3.connect(path, timeout=5)
    try:
        return connection.execute(sql).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        connection.close()


def applied_orders(tmp: Path) -> int:
    rows = query(
        tmp / "products.db",
        "SELECT count(*) FROM processed_events WHERE event_type = 'order.created'",
    )
    return int(rows[0][0]) if rows else 0


def applied_but_unacknowledged(tmp: Path) -> int:
    """Events the consumer committed whose delivery the bus still holds as unacknowledged."""
    cursor = query(
        tmp / "events.db", "SELECT acked_seq FROM group_cursor WHERE group_name = 'products'"
    )
    acked = int(cursor[0][0]) if cursor else 0
    applied = {
        row[0] for row in query(tmp / "products.db", "SELECT event_id FROM processed_events")
    }
    logged = query(tmp / "events.db", f"SELECT event_id FROM event_log WHERE seq > {acked}")
    return sum(1 for (event_id,) in logged if event_id in applied)


def inventory_events(tmp: Path) -> dict[str, dict[str, Event]]:
    """Inventory events on the bus by order id, then event id (a republished one counts once)."""
    answers: dict[str, dict[str, Event]] = {}
    for (body,) in query(tmp / "events.db", "SELECT body FROM event_log ORDER BY seq"):
        event = Event.from_json(body)
        if event.type.startswith("inventory."):
            answers.setdefault(event.payload["order_id"], {})[event.id] = event
    return answers


def test_a_consumer_killed_mid_burst_leaves_exactly_one_effect_per_event(tmp_path: Path) -> None:
    """SIGKILL the products process while it applies a burst, restart it: one effect per order.

    Why the window is hit: the consumer reads up to 50 events, applies (commits) them one by one
    and acknowledges the batch only after the last one. The burst is on the bus before the
    process starts, so its first batch is 50 events long; the test kills it as soon as its
    database shows 5 applied `order.created` events, i.e. well inside a batch. Before restarting,
    the test checks from the two files that some events are committed in `processed_events`
    while the bus still holds them unacknowledged (it kills again, up to 3 times, until it has
    seen that). The invariant would hold either way: a redelivered event finds its id in
    `processed_events` and is skipped, and the reservation, the stock change and the emitted
    event commit in the same transaction as that row, so a kill leaves all or none of them.
    """
    bus = LocalEventLog.open(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")

    async def publish_burst() -> None:
        for number in range(1, BURST + 1):
            await bus.publish(burst_order(number))
        await bus.close()

    asyncio.run(publish_burst())

    window_seen = False
    for _attempt in range(3):
        process = start(products_process(tmp_path, free_port()))
        deadline = time.monotonic() + 60
        target = applied_orders(tmp_path) + 5
        while applied_orders(tmp_path) < target:
            assert process.process is not None and process.process.poll() is None, (
                process.log_tail()
            )
            assert time.monotonic() < deadline, "the consumer applies nothing"
            time.sleep(0.005)
        assert process.process is not None
        os.killpg(process.process.pid, signal.SIGKILL)
        process.process.wait()
        if applied_but_unacknowledged(tmp_path) > 0:
            window_seen = True
            break
    assert window_seen, "never killed between storing and acknowledging"

    restarted = start(products_process(tmp_path, free_port()))
    try:
        wait_healthy(restarted, timeout=60)
        deadline = time.monotonic() + 60
        while len(inventory_events(tmp_path)) < BURST or applied_but_unacknowledged(tmp_path):
            assert time.monotonic() < deadline, f"{len(inventory_events(tmp_path))} answered"
            time.sleep(0.1)
    finally:
        stop([restarted])

    answers = inventory_events(tmp_path)
    assert sorted(answers, key=int) == [str(n) for n in range(1, BURST + 1)]
    assert all(len(events) == 1 for events in answers.values()), "one answer per order"
    reserved = [
        e for events in answers.values() for e in events.values() if e.type == "inventory.reserved"
    ]
    assert len(reserved) == INITIAL_STOCK[SCARCE], "every unit of the scarce product, no more"
    taken: dict[str, int] = {}
    for event in reserved:
        for line in event.payload["items"]:
            taken[line["sku"]] = taken.get(line["sku"], 0) + line["quantity"]
    stock = dict(query(tmp_path / "products.db", "SELECT sku, stock FROM products"))
    assert stock == {sku: INITIAL_STOCK[sku] - taken.get(sku, 0) for sku in INITIAL_STOCK}
    held = query(tmp_path / "products.db", "SELECT count(*), sum(quantity) FROM reservations")
    assert held == [(sum(len(e.payload["items"]) for e in reserved), sum(taken.values()))]
    assert applied_orders(tmp_path) == BURST
