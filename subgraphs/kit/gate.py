"""The subgraph's door: only the gateway, proving itself with an internal token, gets in.

Every `/graphql` request must carry the gateway's internal token (`X-Internal-Token`,
`common.auth.internal`). A valid token puts the caller's identity (None: anonymous) and the end
client's address in `scope["state"]`, where the request context reads them. A request without
one, or with one that does not verify, may only ask for `_service` (and `__typename`): that is
how composition and the gateway's dev mode fetch the SDL. Anything else is refused with 401
`UNAUTHENTICATED` before the GraphQL layer runs, so a subgraph reached directly answers nothing.
GET requests without a query (the GraphiQL page in development) pass. A WebSocket connection to
`/graphql` (subscriptions) must carry the token on its opening request; one without is refused
(HTTP 403) before it is accepted.

A pure ASGI middleware: a token check is a dict lookup, and the body is read (and replayed) only
for requests without a valid token.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.auth import CLIENT_ADDRESS_HEADER, INTERNAL_TOKEN_HEADER, InternalTokens
from common.errors import Unauthenticated
from common.logging import get_logger

logger = get_logger(__name__)

GRAPHQL_PATH = "/graphql"
#: root fields anyone may ask for: the SDL, and the type name
OPEN_ROOT_FIELDS = frozenset({"_service", "__typename"})
#: a `_service` request is a few dozen bytes; a body beyond this is not one
MAX_OPEN_BODY_BYTES = 16 * 1024
_INTERNAL_HEADER = INTERNAL_TOKEN_HEADER.encode()
_ADDRESS_HEADER = CLIENT_ADDRESS_HEADER.encode()


class InternalTokenGate:
    """ASGI middleware admitting `/graphql` requests the gateway vouches for."""

    def __init__(self, app: ASGIApp, tokens: InternalTokens) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"] != GRAPHQL_PATH:
            await self.app(scope, receive, send)
            return
        token, address = _gateway_headers(scope["headers"])
        state = scope.setdefault("state", {})
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send, token, address)
            return
        reason = "no internal token: only the gateway may query this subgraph"
        if token is not None:
            try:
                state["identity"] = self.tokens.verify(token)
            except Unauthenticated as exc:
                reason = exc.message
            else:
                state["client_address"] = address
                await self.app(scope, receive, send)
                return
        state["identity"] = None
        body = await _read_body(receive, MAX_OPEN_BODY_BYTES)
        if _asks_only_open_fields(scope, body):
            await self.app(scope, _replay(body), send)
            return
        logger.info("refused a request without a valid internal token", extra={"reason": reason})
        await _refuse(send, reason)

    async def _websocket(
        self, scope: Scope, receive: Receive, send: Send, token: str | None, address: str | None
    ) -> None:
        """Subscriptions: only with a valid internal token on the opening request."""
        state = scope["state"]
        try:
            if token is None:
                raise Unauthenticated("no internal token")
            state["identity"] = self.tokens.verify(token)
        except Unauthenticated as exc:
            logger.info(
                "refused a WebSocket without a valid internal token", extra={"reason": exc.message}
            )
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 4401})
            return
        state["client_address"] = address
        await self.app(scope, receive, send)


def _gateway_headers(headers: Iterable[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    token = address = None
    for name, value in headers:
        if name == _INTERNAL_HEADER:
            token = value.decode("latin-1")
        elif name == _ADDRESS_HEADER:
            address = value.decode("latin-1")
    return token, address


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes | None) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body or b"", "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _asks_only_open_fields(scope: Scope, body: bytes | None) -> bool:
    """True for a GET without a query (the IDE page) or a document asking only for
    `_service`/`__typename`; anything unreadable is not."""
    if scope["method"] == "GET":
        query_string = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        queries = query_string.get("query")
        return queries is None or all(_only_open_fields(query) for query in queries)
    if body is None:
        return False
    try:
        payload: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return False
    return _only_open_fields(payload["query"])


def _only_open_fields(query: str) -> bool:
    try:
        document = parse(query, no_location=True, max_tokens=200)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions):
        return False  # fragment definitions: not needed for `_service`
    return bool(operations) and all(
        op.operation.value == "query" and _open_selection(op.selection_set) for op in operations
    )


def _open_selection(selection_set: SelectionSetNode) -> bool:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value not in OPEN_ROOT_FIELDS:
                return False
        elif isinstance(selection, InlineFragmentNode):
            if not _open_selection(selection.selection_set):
                return False
        else:
            return False
    return True


async def _refuse(send: Send, reason: str) -> None:
    body = json.dumps(
        {
            "data": None,
            "errors": [
                {
                    "message": f"Unauthenticated: {reason}. Send requests through the gateway.",
                    "extensions": {"code": "UNAUTHENTICATED"},
                }
            ],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
