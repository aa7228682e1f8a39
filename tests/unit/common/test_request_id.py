"""Request ids: kept when well-formed, made otherwise, echoed, and on every log line."""

from __future__ import annotations

import json
import logging

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from common.logging import JsonFormatter
from common.request_id import RequestIdMiddleware, current_request_id


async def echo(_request: Request) -> JSONResponse:
    logging.getLogger("test.handler").info("handling", extra={"step": "echo"})
    return JSONResponse({"seen": current_request_id()})


def client() -> httpx.AsyncClient:
    app = RequestIdMiddleware(Starlette(routes=[Route("/", echo)]))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_caller_id_is_kept_and_echoed() -> None:
    async with client() as http:
        response = await http.get("/", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.json() == {"seen": "abc-123"}


async def test_missing_or_unsafe_id_is_replaced() -> None:
    async with client() as http:
        fresh = await http.get("/")
        unsafe = await http.get("/", headers={"X-Request-ID": "bad id\nwith newline"})
        too_long = await http.get("/", headers={"X-Request-ID": "x" * 129})
    for response in (fresh, unsafe, too_long):
        request_id = response.headers["X-Request-ID"]
        assert len(request_id) == 32 and response.json() == {"seen": request_id}


class JsonLines(logging.Handler):
    """Keeps what the JSON formatter makes of each record."""

    def __init__(self) -> None:
        super().__init__()
        self.formatter_ = JsonFormatter("test-service")
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.formatter_.format(record)))


async def test_log_lines_carry_the_request_id() -> None:
    handler = JsonLines()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        async with client() as http:
            await http.get("/", headers={"X-Request-ID": "trace-me"})
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    handling = next(line for line in handler.lines if line["message"] == "handling")
    assert handling["request_id"] == "trace-me"
    assert handling["step"] == "echo" and handling["service"] == "test-service"
    access = next(line for line in handler.lines if line["message"] == "request")
    assert access["request_id"] == "trace-me" and access["status"] == 200
