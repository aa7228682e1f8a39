"""Subscriptions end to end: real subgraphs, two gateway replicas, events on Redis Streams.

A client subscribes over graphql-transport-ws (or Server-Sent Events) through one gateway,
another client changes the data through the other gateway, and the first receives the event with
fields from three subgraphs (orders, users, products). A user may not subscribe to another
user's order. Readiness is read off the orders and notifications subgraphs' `/metrics`
(`*_live_subscriptions`), so nothing is triggered before the subscription is in place.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
import redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from common.auth import issue_token
from devstack.processes import Service, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, gateway_service
from tests.integration.stack_events import eventually
from tests.integration.test_order_saga import place, redis_env
from tests.integration.test_orders_through_gateway import create_product, new_user, settled
from tests.support.servers import REDIS_URL, missing, redis_available
from tests.support.stack import AUTH, AUTH_ENV, SUPERGRAPH, RunningStack, start_stack

ORDER_CHANGED = """
subscription($id: ID!) {
  orderStatusChanged(orderId: $id) {
    id status
    user { id name }
    items { quantity product { sku name } }
  }
}
"""
NOTIFICATION_ADDED = "subscription { notificationAdded { title eventType user { name } } }"
SHIP = "mutation($id: ID!) { updateOrder(id: $id, status: SHIPPED) { status } }"
#: how long a test waits for one message (a deadline for a hung test, not a measurement)
MESSAGE_DEADLINE = 30.0
LIMIT = "SUBSCRIPTION_LIMIT_EXCEEDED"


@dataclass
class Replicas:
    """The stack (its gateway is replica 1) and a second gateway over the same subgraphs."""

    stack: RunningStack
    second_url: str
    #: the second gateway's supergraph file (a copy it watches)
    second_supergraph: Path
    #: the second gateway's process
    second: Service

    def ws(self, replica: int) -> str:
        base = self.stack.gateway_url if replica == 1 else self.second_url
        return base.replace("http://", "ws://") + "/graphql"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    reason = redis_available()
    if reason is not None:
        missing(reason)
    stream = f"test-subs-{uuid.uuid4().hex[:8]}"
    log_dir = tmp_path_factory.mktemp("stack-subscriptions")
    names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
    db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
    client = redis.Redis.from_url(REDIS_URL)
    env = redis_env(stream)
    with ExitStack() as cleanup:
        cleanup.callback(client.close)
        cleanup.callback(client.delete, stream)
        # The first gateway waits long for a subgraph that restarts (the reconnection test).
        first_env = {**env, "GATEWAY_SUBSCRIPTION_RECONNECT_ATTEMPTS": "60"}
        running = start_stack(
            "sqlite+redis", db_urls, log_dir, extra_env=env, gateway_env=first_env
        )
        cleanup.callback(stop, list(running.services.values()))
        ports = {sg.name: int(urlparse(running.url(sg.name)).port or 0) for sg in SUBGRAPHS}
        supergraph = log_dir / "supergraph.graphql"
        shutil.copyfile(SUPERGRAPH, supergraph)
        second = gateway_service(
            free_port(),
            supergraph,
            ports,
            log_dir=log_dir,
            extra_env={
                **AUTH_ENV,
                **env,
                "GATEWAY_TRUST_FORWARDED_FOR": "true",
                "GATEWAY_SUPERGRAPH_POLL_INTERVAL": "0.2",
                "GATEWAY_SUBSCRIPTIONS_PER_CONNECTION": "2",
                "GATEWAY_SUBSCRIPTIONS_PER_CLIENT": "3",
            },
        )
        second = start(replace(second, log_path=log_dir / "gateway-2.log"))
        cleanup.callback(stop, [second])
        wait_healthy(second, timeout=90)
        yield Replicas(running, second.url, supergraph, second)


def live_subscriptions(stack: RunningStack, service: str) -> float:
    """The `*_live_subscriptions` gauge of a subgraph process."""
    text = httpx.get(f"{stack.url(service)}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.endswith(tuple("0123456789")) and "_live_subscriptions " in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def open_socket(url: str, token: str) -> ClientConnection:
    """A graphql-transport-ws connection, initialised with the token."""
    socket = await connect(url, subprotocols=[Subprotocol("graphql-transport-ws")])
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    return socket


async def send_subscribe(
    socket: ClientConnection, operation_id: str, query: str, variables: dict[str, Any]
) -> None:
    message = {"id": operation_id, "type": "subscribe", "payload": {"query": query}}
    message["payload"]["variables"] = variables
    await socket.send(json.dumps(message))


async def next_message(socket: ClientConnection) -> dict[str, Any]:
    """The next message that is not a ping."""
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), MESSAGE_DEADLINE))
        if message.get("type") == "ping":
            await socket.send(json.dumps({"type": "pong"}))
            continue
        return dict(message)


async def first_message(
    socket: ClientConnection, wanted: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The first message `wanted` accepts. Earlier ones are events published after the
    subscription started that the test is not about (the order's confirmation, relayed a moment
    after the order reads CONFIRMED), which a subscription rightly delivers."""
    while True:
        message = await next_message(socket)
        if wanted(message):
            return message


def status_is(status: str) -> Callable[[dict[str, Any]], bool]:
    def wanted(message: dict[str, Any]) -> bool:
        data = (message.get("payload") or {}).get("data") or {}
        return (data.get("orderStatusChanged") or {}).get("status") == status

    return wanted


def error_coded(code: str) -> Callable[[dict[str, Any]], bool]:
    def wanted(message: dict[str, Any]) -> bool:
        payload = message.get("payload")
        errors = payload if isinstance(payload, list) else (payload or {}).get("errors") or []
        return any(error.get("extensions", {}).get("code") == code for error in errors)

    return wanted


async def wait_for_gauge(stack: RunningStack, service: str, at_least: float) -> None:
    await asyncio.to_thread(
        eventually, lambda: live_subscriptions(stack, service), lambda n: n >= at_least
    )


def confirmed_order(stack: RunningStack) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A user, a product of their order, and the order once the inventory confirmed it."""
    user = new_user(stack, "Barbara Liskov")
    product = create_product(stack, stock=5)
    order_id = place(stack, user, product["sku"], 2)
    assert settled(stack, order_id)["status"] == "CONFIRMED"
    return user, product, order_id


def test_each_replica_delivers_an_order_change_with_fields_of_three_subgraphs(
    replicas: Replicas,
) -> None:
    stack = replicas.stack
    user, product, order_id = confirmed_order(stack)
    owner_token = stack.token("user", user_id=int(user["id"]))
    admin_token = stack.token("admin")
    before = live_subscriptions(stack, "orders")

    async def run() -> list[dict[str, Any]]:
        first = await open_socket(replicas.ws(1), owner_token)
        second = await open_socket(replicas.ws(2), admin_token)
        try:
            await send_subscribe(first, "a", ORDER_CHANGED, {"id": order_id})
            await send_subscribe(second, "b", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 2)
            # Another client (an admin) changes the order through the second gateway.
            await asyncio.to_thread(
                httpx.post,
                f"{replicas.second_url}/graphql",
                json={"query": SHIP, "variables": {"id": order_id}},
                headers=stack.admin,
                timeout=30,
            )
            shipped = status_is("SHIPPED")
            return [await first_message(first, shipped), await first_message(second, shipped)]
        finally:
            await first.close()
            await second.close()

    received = asyncio.run(run())

    expected = {
        "orderStatusChanged": {
            "id": order_id,
            "status": "SHIPPED",
            "user": {"id": user["id"], "name": "Barbara Liskov"},
            "items": [
                {"quantity": 2, "product": {"sku": product["sku"], "name": product_name(product)}}
            ],
        }
    }
    assert received[0] == {"id": "a", "type": "next", "payload": {"data": expected}}
    assert received[1] == {"id": "b", "type": "next", "payload": {"data": expected}}


def product_name(product: dict[str, Any]) -> str:
    return f"Test product {product['sku']}"


def test_a_user_may_not_subscribe_to_another_users_order(replicas: Replicas) -> None:
    stack = replicas.stack
    _owner, _product, order_id = confirmed_order(stack)
    intruder = new_user(stack, "Mallory")
    token = stack.token("user", user_id=int(intruder["id"]))

    async def run() -> list[dict[str, Any]]:
        socket = await open_socket(replicas.ws(1), token)
        try:
            await send_subscribe(socket, "x", ORDER_CHANGED, {"id": order_id})
            return [await next_message(socket), await next_message(socket)]
        finally:
            await socket.close()

    first, last = asyncio.run(run())

    assert first["type"] == "next" and first["id"] == "x"
    assert first["payload"]["data"] is None
    (error,) = first["payload"]["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert order_id not in error["message"]
    assert last == {"id": "x", "type": "complete"}


def test_a_new_notification_reaches_its_user_live(replicas: Replicas) -> None:
    stack = replicas.stack
    user = new_user(stack, "Frances Allen")
    product = create_product(stack, stock=5)
    token = stack.token("user", user_id=int(user["id"]))
    before = live_subscriptions(stack, "notifications")

    async def run() -> dict[str, Any]:
        socket = await open_socket(replicas.ws(1), token)
        try:
            await send_subscribe(socket, "n", NOTIFICATION_ADDED, {})
            await wait_for_gauge(stack, "notifications", before + 1)
            await asyncio.to_thread(place, stack, user, product["sku"], 1)
            return await next_message(socket)
        finally:
            await socket.close()

    message = asyncio.run(run())

    assert message["id"] == "n" and message["type"] == "next"
    added = message["payload"]["data"]["notificationAdded"]
    assert added["eventType"] == "order.created"
    assert added["user"] == {"name": "Frances Allen"}


def test_server_sent_events_deliver_an_order_change(replicas: Replicas) -> None:
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    headers = {
        **stack.auth("user", user_id=int(user["id"])),
        "Accept": "text/event-stream",
    }
    before = live_subscriptions(stack, "orders")
    body = {"query": ORDER_CHANGED, "variables": {"id": order_id}}

    with httpx.stream(
        "POST", f"{replicas.second_url}/graphql", json=body, headers=headers, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        eventually(lambda: live_subscriptions(stack, "orders"), lambda n: n >= before + 1)
        stack.data(SHIP, {"id": order_id}, headers=stack.admin)
        lines = response.iter_lines()
        while True:  # past the confirmation, if it is relayed after the stream started
            event = next(line for line in lines if line.startswith("event:"))
            data = next(line for line in lines if line.startswith("data:"))
            payload = json.loads(data.removeprefix("data:"))
            if payload["data"]["orderStatusChanged"]["status"] == "SHIPPED":
                break

    assert event == "event: next"
    assert payload["data"]["orderStatusChanged"]["status"] == "SHIPPED"
    assert payload["data"]["orderStatusChanged"]["user"]["name"] == "Barbara Liskov"


def gateway_subscriptions(url: str) -> float:
    """The `gateway_subscriptions` gauge of a gateway process."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith("gateway_subscriptions "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_client_that_leaves_frees_its_slot_and_the_subgraph_subscription(
    replicas: Replicas,
) -> None:
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))
    orders_before = live_subscriptions(stack, "orders")
    gateway_before = gateway_subscriptions(replicas.second_url)
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    body = {"query": ORDER_CHANGED, "variables": {"id": order_id}}

    with httpx.stream(
        "POST", f"{replicas.second_url}/graphql", json=body, headers=headers, timeout=60
    ) as response:
        assert response.status_code == 200
        eventually(lambda: live_subscriptions(stack, "orders"), lambda n: n >= orders_before + 1)
        assert gateway_subscriptions(replicas.second_url) >= gateway_before + 1

    async def websocket_too() -> None:
        socket = await open_socket(replicas.ws(2), token)
        await send_subscribe(socket, "w", ORDER_CHANGED, {"id": order_id})
        await wait_for_gauge(stack, "orders", orders_before + 1)
        await socket.close()

    asyncio.run(websocket_too())

    eventually(lambda: live_subscriptions(stack, "orders"), lambda n: n <= orders_before)
    eventually(lambda: gateway_subscriptions(replicas.second_url), lambda n: n <= gateway_before)


def test_subscriptions_over_post_without_an_event_stream_are_refused(replicas: Replicas) -> None:
    response = replicas.stack.graphql(ORDER_CHANGED, {"id": "1"}, headers=replicas.stack.admin)
    assert response.status_code == 400
    assert "text/event-stream" in response.json()["errors"][0]["message"]


def test_limits_per_connection_and_per_client(replicas: Replicas) -> None:
    """The second gateway allows 2 subscriptions per connection and 3 per client."""
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        first = await open_socket(replicas.ws(2), token)
        second = await open_socket(replicas.ws(2), token)
        try:
            for operation_id in ("1", "2", "3"):
                await send_subscribe(first, operation_id, ORDER_CHANGED, {"id": order_id})
            over_connection = await first_message(first, error_coded(LIMIT))
            await send_subscribe(second, "4", ORDER_CHANGED, {"id": order_id})
            await send_subscribe(second, "5", ORDER_CHANGED, {"id": order_id})
            over_client = await first_message(second, error_coded(LIMIT))
            return over_connection, over_client
        finally:
            await first.close()
            await second.close()

    over_connection, over_client = asyncio.run(run())

    assert over_connection["id"] == "3" and over_connection["type"] == "error"
    assert over_connection["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT_EXCEEDED"
    # 4 and 5 are checked concurrently: whichever comes second is over the client's limit.
    assert over_client["id"] in ("4", "5") and over_client["type"] == "error"
    assert over_client["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_LIMIT_EXCEEDED"
    assert "client" in over_client["payload"][0]["message"]


def test_a_browser_page_of_another_origin_may_not_open_a_socket(replicas: Replicas) -> None:
    async def run() -> None:
        await connect(
            replicas.ws(1),
            subprotocols=[Subprotocol("graphql-transport-ws")],
            origin=Origin("https://evil.example"),
        )

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(run())
    assert refused.value.response.status_code == 403


def test_protocol_mistakes_close_the_socket_with_the_protocol_codes(replicas: Replicas) -> None:
    token = replicas.stack.token("user", user_id=1)

    async def closed_with(first: str | bytes | None, init_token: str | None = token) -> int:
        socket = await connect(replicas.ws(1), subprotocols=[Subprotocol("graphql-transport-ws")])
        try:
            if init_token is not None:
                payload = {"Authorization": f"Bearer {init_token}"}
                await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
            if first is not None:
                await socket.send(first)
            with pytest.raises(ConnectionClosed):
                while True:
                    await asyncio.wait_for(socket.recv(), MESSAGE_DEADLINE)
            assert socket.close_code is not None
            return socket.close_code
        finally:
            await socket.close()

    async def run() -> list[int]:
        subscribe = json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "{ a }"}})
        return [
            await closed_with("not json"),
            await closed_with(b"\x00binary"),
            await closed_with(subscribe, init_token=None),  # before connection_init
            await closed_with(None, init_token="not-a-valid-token"),
            await closed_with(json.dumps({"type": "connection_init"})),  # a second one
        ]

    assert asyncio.run(run()) == [4400, 4400, 4401, 4403, 4429]


def test_a_token_that_expires_ends_the_subscription_at_the_next_event(
    replicas: Replicas,
) -> None:
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    # Expired already, but accepted a few seconds more within the gateway's clock-skew leeway.
    accepted_until = time.time() + 4
    token = issue_token(
        f"user:{user['id']}",
        ["user"],
        AUTH,
        now=accepted_until - AUTH.auth_clock_skew_seconds - AUTH.ttl_seconds,
        extra_claims={"uid": int(user["id"])},
    )
    before = live_subscriptions(stack, "orders")

    async def run() -> dict[str, Any]:
        socket = await open_socket(replicas.ws(1), token)
        try:
            await send_subscribe(socket, "e", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 1)
            await asyncio.to_thread(eventually, time.time, lambda now: now > accepted_until + 1)
            await asyncio.to_thread(stack.data, SHIP, {"id": order_id}, headers=stack.admin)
            return await first_message(socket, error_coded("UNAUTHENTICATED"))
        finally:
            await socket.close()

    refused = asyncio.run(run())

    assert refused["id"] == "e" and refused["type"] == "next"
    assert "data" not in refused["payload"] or refused["payload"]["data"] is None


def test_a_supergraph_reload_closes_subscriptions_with_a_reason(replicas: Replicas) -> None:
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))
    before = live_subscriptions(stack, "orders")

    async def run() -> list[dict[str, Any]]:
        socket = await open_socket(replicas.ws(2), token)
        try:
            await send_subscribe(socket, "r", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 1)
            changed = replicas.second_supergraph.with_suffix(".new")
            changed.write_text(SUPERGRAPH.read_text() + "\n# reloaded by the test\n")
            changed.replace(replicas.second_supergraph)  # atomically, as operators do
            closed = await first_message(socket, error_coded("SUBSCRIPTION_CLOSED"))
            return [closed, await next_message(socket)]
        finally:
            await socket.close()

    closed, complete = asyncio.run(run())

    assert closed["id"] == "r" and closed["type"] == "next"
    (error,) = closed["payload"]["errors"]
    assert error["extensions"] == {"code": "SUBSCRIPTION_CLOSED", "reason": "schema_reload"}
    assert complete == {"id": "r", "type": "complete"}


def test_a_subgraph_that_restarts_is_reconnected_and_the_client_told(replicas: Replicas) -> None:
    """Last in the module: it restarts the orders subgraph."""
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))
    before = live_subscriptions(stack, "orders")

    async def run() -> list[dict[str, Any]]:
        socket = await open_socket(replicas.ws(1), token)
        try:
            await send_subscribe(socket, "s", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 1)
            orders = stack.services["orders"]
            await asyncio.to_thread(stop, [orders])
            stack.services["orders"] = await asyncio.to_thread(start, orders)
            await asyncio.to_thread(wait_healthy, stack.services["orders"], 90)
            missed = await first_message(socket, error_coded("SUBSCRIPTION_EVENTS_MISSED"))
            await wait_for_gauge(stack, "orders", 1)
            await asyncio.to_thread(stack.data, SHIP, {"id": order_id}, headers=stack.admin)
            return [missed, await first_message(socket, status_is("SHIPPED"))]
        finally:
            await socket.close()

    missed, shipped = asyncio.run(run())

    assert missed["id"] == "s" and missed["type"] == "next"
    assert missed["payload"]["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_EVENTS_MISSED"
    assert shipped["payload"]["data"]["orderStatusChanged"]["status"] == "SHIPPED"


def test_a_gateway_shutting_down_closes_its_subscriptions_gracefully(replicas: Replicas) -> None:
    """Very last in the module: it stops the second gateway."""
    stack = replicas.stack
    user, _product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))
    before = live_subscriptions(stack, "orders")

    async def run() -> tuple[list[dict[str, Any]], int | None]:
        socket = await open_socket(replicas.ws(2), token)
        received: list[dict[str, Any]] = []
        try:
            await send_subscribe(socket, "z", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 1)
            await asyncio.to_thread(stop, [replicas.second])
            with pytest.raises(ConnectionClosed):
                while True:
                    received.append(json.loads(await asyncio.wait_for(socket.recv(), 30)))
            return received, socket.close_code
        finally:
            await socket.close()

    received, code = asyncio.run(run())

    assert code in (1001, 1012), "going away / service restart: reconnect elsewhere"
    closing = [m for m in received if error_coded("SUBSCRIPTION_CLOSED")(m)]
    assert all(m["payload"]["errors"][0]["extensions"]["reason"] == "shutdown" for m in closing)
    eventually(lambda: live_subscriptions(stack, "orders"), lambda n: n <= before)
