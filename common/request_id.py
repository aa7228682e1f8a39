"""Request ids: read from `X-Request-ID` or made, kept for the request's logs, echoed back.

`RequestIdMiddleware` is a plain ASGI middleware; `current_request_id()` gives the id anywhere
in the request's task (logs, outgoing calls to subgraphs).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
_HEADER_BYTES = HEADER.lower().encode()
#: An incoming id is kept only if it is short and harmless in logs and headers.
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served by this task, if any."""
    return _request_id.get()


@contextmanager
def request_id_scope(request_id: str) -> Iterator[str]:
    """Make `request_id` the current id inside the block (work outside an HTTP request)."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


def new_request_id() -> str:
    """A fresh random id (32 hex characters: 128 random bits, without the cost of a `UUID`)."""
    return os.urandom(16).hex()


def accept_request_id(candidate: str | None) -> str:
    """The caller's id when it is well-formed, else a fresh one."""
    if candidate and _VALID.match(candidate):
        return candidate
    return new_request_id()


class RequestIdMiddleware:
    """Sets the request id for the request, echoes it in the response and logs each request."""

    def __init__(self, app: ASGIApp, logger_name: str = "http") -> None:
        self.app = app
        self.logger_name = logger_name
        self.logger = logging.getLogger(logger_name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", []):
            if name == _HEADER_BYTES:
                incoming = value.decode("latin-1")
                break
        request_id = accept_request_id(incoming)
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != _HEADER_BYTES]
                headers.append((_HEADER_BYTES, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.logger.isEnabledFor(logging.INFO):  # no line to build at WARNING
                self.logger.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status["code"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            _request_id.reset(token)
