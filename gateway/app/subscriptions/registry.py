"""The subscriptions running in this process: limits, and closing them when they must end.

Limits (`GATEWAY_SUBSCRIPTIONS_PER_CONNECTION`, `GATEWAY_SUBSCRIPTIONS_PER_CLIENT`): a connection
may run so many at once, and a client (its token's subject, else its address) so many over all
its connections to this process. A refused subscription gets SUBSCRIPTION_LIMIT_EXCEEDED.

When a new supergraph is installed, subscriptions planned over the old one end with
SUBSCRIPTION_CLOSED (code `reason: schema_reload`) so the client subscribes again over the new
one; at shutdown they end the same way (`reason: shutdown`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from prometheus_client import Gauge

from gateway.app.errors import RequestError
from gateway.app.state import Gateway

RUNNING = Gauge("gateway_subscriptions", "Client subscriptions running on this gateway process")

LIMIT_EXCEEDED = "SUBSCRIPTION_LIMIT_EXCEEDED"
CLOSED = "SUBSCRIPTION_CLOSED"


@dataclass(frozen=True)
class SubscriptionLimits:
    """How many subscriptions run at once, per connection and per client."""

    per_connection: int = 10
    per_client: int = 50
    #: seconds a WebSocket client has to send `connection_init`
    init_timeout: float = 10.0
    #: attempts to re-establish a dropped subgraph connection before giving up
    reconnect_attempts: int = 5


@dataclass(eq=False)
class _Running:
    gateway: Gateway
    #: ends the subscription with this reason
    close: Callable[[str], None]


@dataclass(eq=False)
class SubscriptionRegistry:
    """Counts running subscriptions and closes them on reload and shutdown."""

    limits: SubscriptionLimits = field(default_factory=SubscriptionLimits)
    _per_client: Counter[str] = field(default_factory=Counter)
    _running: set[_Running] = field(default_factory=set)

    def count(self, client: str) -> int:
        """Subscriptions `client` runs on this process."""
        return self._per_client[client]

    @contextmanager
    def admit(
        self, client: str, on_connection: int, gateway: Gateway, close: Callable[[str], None]
    ) -> Iterator[None]:
        """Hold one subscription slot for the block; `RequestError` (429) when over a limit."""
        if on_connection >= self.limits.per_connection:
            raise RequestError(
                429,
                LIMIT_EXCEEDED,
                f"This connection runs {self.limits.per_connection} subscriptions already (the "
                "most it may): complete one, or open another connection.",
            )
        if self._per_client[client] >= self.limits.per_client:
            raise RequestError(
                429,
                LIMIT_EXCEEDED,
                f"You run {self.limits.per_client} subscriptions already (the most a client "
                "may): complete one before starting another.",
            )
        running = _Running(gateway, close)
        self._per_client[client] += 1
        self._running.add(running)
        RUNNING.inc()
        try:
            yield
        finally:
            RUNNING.dec()
            self._running.discard(running)
            self._per_client[client] -= 1
            if self._per_client[client] <= 0:
                del self._per_client[client]

    def installed(self, current: Gateway) -> None:
        """A new supergraph state serves: end the subscriptions of the others."""
        for running in list(self._running):
            if running.gateway is not current:
                running.close("schema_reload")

    def close_all(self) -> None:
        """At shutdown: end every subscription."""
        for running in list(self._running):
            running.close("shutdown")


def closed_error(reason: str) -> dict[str, object]:
    """The error a subscription ends with when the gateway closes it."""
    why = (
        "the gateway loaded a new supergraph"
        if reason == "schema_reload"
        else "the gateway is shutting down"
    )
    return {
        "message": f"The subscription was closed because {why}: subscribe again.",
        "extensions": {"code": CLOSED, "reason": reason},
    }
