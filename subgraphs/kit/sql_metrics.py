"""How many SQL statements a subgraph sends: `<prefix>_sql_statements_total{origin}` on /metrics.

`origin="request"` counts statements sent while serving an HTTP request (inside
`RequestStatementScope`), `origin="background"` the rest (outbox relay, event consumers), whose
polling would otherwise drown a request's count. Tests read the request count to bound the SQL
a query costs.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from prometheus_client import Counter
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

_BY_PREFIX: dict[str, Counter] = {}
#: Engines already counted: an app built twice over one engine must not count twice.
_COUNTED: weakref.WeakSet[Any] = weakref.WeakSet()
#: True in the tasks serving an HTTP request (DataLoader batches inherit it).
_serving_request: ContextVar[bool] = ContextVar("serving_request", default=False)


def sql_statements_counter(prefix: str) -> Counter:
    """The process's statement counter for `prefix`, made on first use (no duplicate series)."""
    if prefix not in _BY_PREFIX:
        _BY_PREFIX[prefix] = Counter(
            f"{prefix}_sql_statements_total", "SQL statements sent to the database", ["origin"]
        )
    return _BY_PREFIX[prefix]


def count_sql_statements(engine: AsyncEngine, prefix: str) -> None:
    """Count every statement `engine` sends from now on, labelled by where it came from."""
    if engine.sync_engine in _COUNTED:
        return
    _COUNTED.add(engine.sync_engine)
    counter = sql_statements_counter(prefix)
    requests, background = counter.labels("request"), counter.labels("background")

    def before_cursor_execute(*_args: Any) -> None:
        (requests if _serving_request.get() else background).inc()

    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)


@contextmanager
def counted_as_background() -> Iterator[None]:
    """Count the statements of the block as background work, even inside a request (the outbox
    backlog read for /metrics is monitoring, not the cost of serving GraphQL)."""
    token = _serving_request.set(False)
    try:
        yield
    finally:
        _serving_request.reset(token)


class RequestStatementScope:
    """Marks the handling of each HTTP request, so its statements count as `origin="request"`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _serving_request.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            _serving_request.reset(token)
