"""The gateway's supergraph lifecycle: the current state, reloads, and draining old states.

`GatewayRuntime.current` is the `Gateway` state serving new requests, or None until a supergraph
has loaded (the app then answers 503). `reload_if_changed()` reads the watched file; a usable new
supergraph becomes a new state at once, a broken one is refused and logged and the old state goes
on serving. Requests hold their state through `use()`; the HTTP clients a new state no longer
needs are closed when the last request of the old state has finished.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

from prometheus_client import Counter, Gauge

from common.logging import get_logger
from gateway.app.clients import SubgraphClientPool
from gateway.app.reload import Refused, SupergraphSource, SupergraphVersion
from gateway.app.state import Gateway
from gateway.supergraph import Supergraph
from gateway.transport import HttpSubgraphClient

logger = get_logger(__name__)

RELOADS = Counter(
    "gateway_supergraph_reloads_total",
    "Supergraph loads (the first one included), by result",
    ["result"],
)
LOADED = Gauge("gateway_supergraph_loaded", "1 while a supergraph is loaded and served, else 0")

ReloadResult = Literal["unchanged", "success", "failure"]
#: Builds the state of a supergraph (URL overrides applied) with the clients it should use.
StateBuilder = Callable[[Supergraph, str], tuple[Gateway, dict[str, HttpSubgraphClient]]]


class SupergraphUnavailable(Exception):
    """No supergraph is loaded: the gateway cannot serve GraphQL yet."""


@dataclass(eq=False)
class _Lease:
    """In-flight requests of one state and what to close once it is retired and idle."""

    in_flight: int = 0
    retired: bool = False
    to_close: list[HttpSubgraphClient] = field(default_factory=list)


class GatewayRuntime:
    """Holds the current state, swaps in reloaded supergraphs, drains the old ones."""

    def __init__(
        self,
        build: StateBuilder,
        *,
        source: SupergraphSource | None = None,
        pool: SubgraphClientPool | None = None,
    ) -> None:
        self._build = build
        self.source = source
        self.pool = pool
        self.current: Gateway | None = None
        #: why nothing is served (while `current` is None)
        self.reason = "no supergraph loaded yet"
        #: why the last reload was refused, while the state it left in place serves
        self.last_error: str | None = None
        self._leases: dict[Gateway, _Lease] = {}
        self._closing: set[asyncio.Task[None]] = set()
        #: clients retired while no event loop ran; closed by `aclose()`
        self._unclosed: list[HttpSubgraphClient] = []
        #: called with each state installed (subscriptions of older states close)
        self.listeners: list[Callable[[Gateway], None]] = []

    def install(self, supergraph: Supergraph, schema_hash: str) -> Gateway:
        """Make a state of `supergraph` the current one; the old one drains."""
        state, clients = self._build(supergraph, schema_hash)
        old, self.current = self.current, state
        self._leases[state] = _Lease()
        self.last_error = None
        LOADED.set(1)
        if old is not None:
            lease = self._leases[old]
            lease.retired = True
            lease.to_close = self.pool.release(clients) if self.pool else []
            if lease.in_flight == 0:
                self._close_later(old)
        for listener in self.listeners:
            listener(state)
        return state

    async def reload_if_changed(self) -> ReloadResult:
        """Read the source if it changed; install what it gives or refuse it (logged, counted)."""
        if self.source is None:
            return "unchanged"
        outcome = await asyncio.to_thread(self.source.read_if_changed)
        return self.apply(outcome)

    def apply(self, outcome: SupergraphVersion | Refused | None) -> ReloadResult:
        """Act on what the source's `read_if_changed` found."""
        if outcome is None:
            return "unchanged"
        path = str(self.source.path) if self.source else None
        if isinstance(outcome, Refused):
            RELOADS.labels("failure").inc()
            self.last_error = outcome.reason
            if self.current is None:
                self.reason = outcome.reason
                LOADED.set(0)
            serving = self.current.schema_hash if self.current else None
            logger.error(
                "supergraph refused; %s",
                "the previous one keeps serving" if serving else "nothing is served (503)",
                extra={
                    "event": "supergraph_reload",
                    "result": "failure",
                    "path": path,
                    "reason": outcome.reason,
                    "refused_hash": outcome.sha256,
                    "serving_hash": serving,
                },
            )
            return "failure"
        if self.current is not None and self.current.schema_hash == outcome.sha256:
            self.last_error = None  # the same supergraph came back (after a missing file)
            return "unchanged"
        previous = self.current.schema_hash if self.current else None
        self.install(outcome.supergraph, outcome.sha256)
        RELOADS.labels("success").inc()
        logger.info(
            "supergraph loaded",
            extra={
                "event": "supergraph_reload",
                "result": "success",
                "path": path,
                "schema_hash": outcome.sha256,
                "previous_hash": previous,
                "join_version": outcome.supergraph.join_version,
                "subgraphs": sorted(outcome.supergraph.graphs),
            },
        )
        return "success"

    @asynccontextmanager
    async def use(self) -> AsyncIterator[Gateway]:
        """The current state, held until the request is done; `SupergraphUnavailable` if none."""
        state = self.current
        if state is None:
            raise SupergraphUnavailable(self.reason)
        lease = self._leases[state]
        lease.in_flight += 1
        try:
            yield state
        finally:
            lease.in_flight -= 1
            if lease.retired and lease.in_flight == 0:
                self._close_later(state)

    def in_flight(self, state: Gateway) -> int:
        """Requests still running on `state`."""
        lease = self._leases.get(state)
        return lease.in_flight if lease else 0

    async def poll(self, interval: float) -> None:
        """Check the file every `interval` seconds, forever (cancel to stop)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.reload_if_changed()
            except Exception:  # a bug must not stop the watching
                logger.exception("supergraph reload crashed", extra={"event": "supergraph_reload"})

    async def drained(self) -> None:
        """Wait until the clients of retired states are closed (tests, shutdown)."""
        while self._closing:
            await asyncio.gather(*self._closing)

    async def aclose(self) -> None:
        """Close every client (at shutdown)."""
        await self.drained()
        await _close_all(self._unclosed)
        self._unclosed = []
        if self.pool is not None:
            await self.pool.aclose()

    def _close_later(self, state: Gateway) -> None:
        lease = self._leases.pop(state)
        if not lease.to_close:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._unclosed.extend(lease.to_close)
            return
        task = loop.create_task(_close_all(lease.to_close))
        self._closing = self._closing | {task}
        task.add_done_callback(lambda done: setattr(self, "_closing", self._closing - {done}))


async def _close_all(clients: list[HttpSubgraphClient]) -> None:
    for client in clients:
        await client.aclose()
