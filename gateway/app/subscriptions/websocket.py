"""graphql-transport-ws on `/graphql`: the protocol of the `graphql-ws` library.

https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md. The client's token goes in the
`connection_init` payload (`{"Authorization": "Bearer <jwt>"}`, any case of the key); a token that
does not verify closes the socket with 4403. Every `subscribe` runs the pipeline (limits, cost,
authorization) as a POST would; a query or mutation answers once. A browser's connection must
come from an origin the gateway serves or one `GATEWAY_CORS_ORIGINS` allows (4403 otherwise,
before the upgrade), which is the gateway's CSRF rule for WebSockets: a page of another site
cannot open a socket here with the user's cookies and act on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from common.logging import get_logger
from gateway.app.params import GraphQLParams
from gateway.app.runtime import GatewayRuntime, SupergraphUnavailable
from gateway.app.subscriptions.session import Client, Subscriber
from gateway.policy.errors import PolicyError

logger = get_logger(__name__)

PROTOCOL = "graphql-transport-ws"
#: close codes the protocol defines
BAD_REQUEST = 4400
UNAUTHORIZED = 4401
FORBIDDEN = 4403
INIT_TIMEOUT = 4408
DUPLICATE_ID = 4409
TOO_MANY_INITS = 4429
GOING_AWAY = 1001


def origin_allowed(headers: Mapping[str, str], allowed: list[str]) -> bool:
    """No Origin (not a browser), an origin CORS allows, or the host the request was sent to
    (by host name: a proxy in front may pass `Host` without the port the browser used)."""
    origin = headers.get("origin")
    if not origin:
        return True
    if origin in allowed or "*" in allowed:
        return True
    host = urlsplit(f"//{headers.get('host', '')}").hostname
    return host is not None and urlsplit(origin).hostname == host


class TransportWsConnection:
    """One client WebSocket speaking graphql-transport-ws."""

    def __init__(
        self,
        websocket: WebSocket,
        runtime: GatewayRuntime,
        subscriber: Subscriber,
        address: str,
    ) -> None:
        self.websocket = websocket
        self.runtime = runtime
        self.subscriber = subscriber
        self.address = address
        self.client: Client | None = None
        self.operations: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()

    async def serve(self) -> None:
        """Accept, wait for `connection_init`, then serve messages until the socket closes."""
        await self.websocket.accept(subprotocol=PROTOCOL)
        try:
            limits = self.subscriber.registry.limits
            try:
                first = await asyncio.wait_for(self._receive(), limits.init_timeout)
            except TimeoutError:
                await self._close(INIT_TIMEOUT, "Connection initialisation timeout")
                return
            if first is None or not await self._init(first):
                return
            while True:
                message = await self._receive()
                if message is None or not await self._handle(message):
                    return
        except WebSocketDisconnect:
            pass
        finally:
            for task in self.operations.values():
                task.cancel()
            await asyncio.gather(*self.operations.values(), return_exceptions=True)

    async def _init(self, message: dict[str, Any]) -> bool:
        if message.get("type") != "connection_init":
            await self._close(UNAUTHORIZED, "Unauthorized")
            return False
        payload = message.get("payload") or {}
        authorization = None
        if isinstance(payload, dict):
            for key, value in payload.items():
                if str(key).lower() == "authorization" and isinstance(value, str):
                    authorization = value
        try:
            self.client = await self.subscriber.identify(authorization, self.address)
        except PolicyError:
            await self._close(FORBIDDEN, "Forbidden: the token is not valid")
            return False
        await self._send({"type": "connection_ack"})
        return True

    async def _handle(self, message: dict[str, Any]) -> bool:
        kind = message.get("type")
        if kind == "ping":
            await self._send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "connection_init":
            await self._close(TOO_MANY_INITS, "Too many initialisation requests")
            return False
        elif kind == "subscribe":
            return await self._subscribe(message)
        elif kind == "complete":
            task = self.operations.pop(str(message.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            await self._close(BAD_REQUEST, "Invalid message received")
            return False
        return True

    async def _subscribe(self, message: dict[str, Any]) -> bool:
        operation_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(operation_id, str) or not operation_id or not isinstance(payload, dict):
            await self._close(BAD_REQUEST, "Invalid message received")
            return False
        if operation_id in self.operations:
            await self._close(DUPLICATE_ID, "Subscriber for this id already exists")
            return False
        query, variables = payload.get("query"), payload.get("variables") or {}
        name = payload.get("operationName")
        if not isinstance(query, str) or not isinstance(variables, dict):
            await self._close(BAD_REQUEST, "Invalid message received")
            return False
        params = GraphQLParams(query, variables, name if isinstance(name, str) else None)
        running = len(self.operations)
        task = asyncio.create_task(self._run(operation_id, params, running))
        self.operations[operation_id] = task
        task.add_done_callback(lambda done: self._forget(operation_id, done))
        return True

    def _forget(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self.operations.get(operation_id) is task:
            del self.operations[operation_id]

    async def _run(self, operation_id: str, params: GraphQLParams, running: int) -> None:
        assert self.client is not None
        try:
            async with self.runtime.use() as gateway:
                responses = await self.subscriber.open(gateway, params, self.client, running)
                try:
                    async for response in responses:
                        message = {"id": operation_id, "type": "next", "payload": response}
                        await self._send(message)
                finally:
                    await responses.aclose()
        except PolicyError as exc:
            await self._send({"id": operation_id, "type": "error", "payload": exc.errors})
            return
        except SupergraphUnavailable:
            error = {
                "message": "The gateway has no usable supergraph yet; try again later.",
                "extensions": {"code": "SUPERGRAPH_UNAVAILABLE"},
            }
            await self._send({"id": operation_id, "type": "error", "payload": [error]})
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("subscription failed")
            error = {"message": "Internal server error.", "extensions": {"code": "INTERNAL"}}
            await self._send({"id": operation_id, "type": "error", "payload": [error]})
            return
        await self._send({"id": operation_id, "type": "complete"})

    async def _receive(self) -> dict[str, Any] | None:
        frame = await self.websocket.receive()
        if frame["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(frame.get("code", 1000))
        try:
            message = json.loads(frame["text"]) if frame.get("text") is not None else None
        except ValueError:  # binary frames and broken JSON alike
            message = None
        if not isinstance(message, dict):
            await self._close(BAD_REQUEST, "Invalid message received")
            return None
        return message

    async def _send(self, message: dict[str, Any]) -> None:
        if self.websocket.application_state != WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await self.websocket.send_text(json.dumps(message, default=str))

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError):
            await self.websocket.close(code, reason)


async def serve_websocket(
    websocket: WebSocket, runtime: GatewayRuntime, subscriber: Subscriber, origins: list[str]
) -> None:
    """The `/graphql` WebSocket route: origin and subprotocol checked before the upgrade."""
    if not origin_allowed(websocket.headers, origins) or PROTOCOL not in websocket.scope.get(
        "subprotocols", []
    ):
        await websocket.close(FORBIDDEN)  # before accept: HTTP 403
        return
    address = subscriber.callers.address_of(websocket)
    await TransportWsConnection(websocket, runtime, subscriber, address).serve()
