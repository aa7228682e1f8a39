"""Subscriptions on the shared stack: events on the local event log (no Redis), each database
backend. The gateway's subscription machinery is the same as with Redis
(test_subscriptions.py); this is about the subgraphs' tail of the local log."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.integration.test_subscriptions import (
    ORDER_CHANGED,
    SHIP,
    confirmed_order,
    first_message,
    live_subscriptions,
    open_socket,
    send_subscribe,
    status_is,
    wait_for_gauge,
)
from tests.support.stack import RunningStack


def test_an_order_change_is_delivered_from_the_local_event_log(stack: RunningStack) -> None:
    user, product, order_id = confirmed_order(stack)
    token = stack.token("user", user_id=int(user["id"]))
    before = live_subscriptions(stack, "orders")
    url = stack.gateway_url.replace("http://", "ws://") + "/graphql"

    async def run() -> dict[str, Any]:
        socket = await open_socket(url, token)
        try:
            await send_subscribe(socket, "l", ORDER_CHANGED, {"id": order_id})
            await wait_for_gauge(stack, "orders", before + 1)
            await asyncio.to_thread(stack.data, SHIP, {"id": order_id}, headers=stack.admin)
            return await first_message(socket, status_is("SHIPPED"))
        finally:
            await socket.close()

    message = asyncio.run(run())

    changed = message["payload"]["data"]["orderStatusChanged"]
    assert changed["user"] == {"id": user["id"], "name": "Barbara Liskov"}
    assert changed["items"] == [
        {
            "quantity": 2,
            "product": {"sku": product["sku"], "name": f"Test product {product['sku']}"},
        }
    ]
