"""One subscription to one subgraph over graphql-transport-ws, re-established when it drops.

The subgraph's `next` payloads come out as they are. When the connection drops (the subgraph
restarted, the network broke) it is opened again, with a fresh internal token, up to
`reconnect_attempts` times in a row; events published meanwhile may have been missed, so a
`GAP` comes out before the first payload of the new connection. When it cannot be re-established,
`SubgraphUnavailable` is raised.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from common.logging import get_logger
from gateway.transport import SubgraphUnavailable

logger = get_logger(__name__)

PROTOCOL: Final = "graphql-transport-ws"
#: The longest pause between two attempts to reconnect.
MAX_BACKOFF_SECONDS = 5.0


class Gap:
    """Marks a reconnection: events published while the connection was down were not seen."""


GAP: Final = Gap()
Payload = dict[str, Any]


@dataclass(frozen=True)
class UpstreamSubscription:
    """What to subscribe to, where, and with which headers (called for each connection)."""

    subgraph: str
    url: str
    query: str
    variables: Mapping[str, Any]
    operation_name: str | None
    headers: Callable[[], Mapping[str, str]]
    connect_timeout: float = 10.0
    reconnect_attempts: int = 5


def websocket_url(url: str) -> str:
    """`http(s)://` -> `ws(s)://`; other URLs as they are."""
    if url.startswith("https://"):
        return "wss://" + url.removeprefix("https://")
    if url.startswith("http://"):
        return "ws://" + url.removeprefix("http://")
    return url


async def subscribe(spec: UpstreamSubscription) -> AsyncIterator[Payload | Gap]:
    """The subgraph's payloads; `GAP` after each reconnection; ends when the subgraph completes."""
    failures = 0
    connected_before = False
    while True:
        try:
            async with connect(
                websocket_url(spec.url),
                subprotocols=[Subprotocol(PROTOCOL)],
                additional_headers=dict(spec.headers()),
                open_timeout=spec.connect_timeout,
            ) as socket:
                await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
                ack = json.loads(await asyncio.wait_for(socket.recv(), spec.connect_timeout))
                if ack.get("type") != "connection_ack":
                    raise SubgraphUnavailable(
                        spec.subgraph, "it did not acknowledge the connection"
                    )
                payload: Payload = {"query": spec.query, "variables": dict(spec.variables)}
                if spec.operation_name:
                    payload["operationName"] = spec.operation_name
                await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
                if connected_before:
                    yield GAP
                connected_before = True
                failures = 0
                async for raw in socket:
                    message = json.loads(raw)
                    kind = message.get("type")
                    if kind == "next":
                        yield message.get("payload") or {}
                    elif kind == "error":
                        yield {"data": None, "errors": list(message.get("payload") or [])}
                        return
                    elif kind == "complete":
                        return
                    elif kind == "ping":
                        await socket.send(json.dumps({"type": "pong"}))
        except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
            logger.warning(
                "subscription connection to a subgraph lost",
                extra={"subgraph": spec.subgraph, "reason": repr(exc)},
            )
        failures += 1
        if failures > spec.reconnect_attempts:
            raise SubgraphUnavailable(spec.subgraph, "its subscription connection was lost")
        await asyncio.sleep(min(0.2 * 2**failures, MAX_BACKOFF_SECONDS))
