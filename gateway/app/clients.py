"""Subgraph clients that outlive a supergraph: one HTTP client (connection pool and circuit
breaker) per graph name and URL, reused by every supergraph that keeps that graph at that URL."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from gateway.supergraph import Graph
from gateway.transport import (
    HttpSubgraphClient,
    SubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
)

GraphKey = tuple[str, str]


class RoutingClient:
    """A `SubgraphClient` sending each request to the client of its subgraph."""

    def __init__(self, clients: Mapping[str, SubgraphClient]) -> None:
        self.clients = dict(clients)

    def execute(self, request: SubgraphRequest) -> Coroutine[Any, Any, SubgraphResponse]:
        """Send through the subgraph's own client: its coroutine itself, no frame of ours
        awaiting it on every fetch."""
        client = self.clients.get(request.subgraph)
        if client is None:
            return _unavailable(request.subgraph)
        return client.execute(request)

    def breaker_states(self) -> dict[str, str]:
        """Subgraph name -> breaker state, for the clients that keep a breaker."""
        states: dict[str, str] = {}
        for client in self.clients.values():
            states.update(getattr(client, "breaker_states", dict)())
        return states


async def _unavailable(subgraph: str) -> SubgraphResponse:
    """Fails when awaited, as a client's `execute` does (not when called)."""
    raise SubgraphUnavailable(subgraph, "no such subgraph is configured")


class SubgraphClientPool:
    """HTTP clients by (graph name, URL); `make` builds a client for one graph."""

    def __init__(self, make: Callable[[str, str], HttpSubgraphClient]) -> None:
        self._make = make
        self._clients: dict[GraphKey, HttpSubgraphClient] = {}

    def clients_for(self, graphs: Mapping[str, Graph]) -> dict[str, HttpSubgraphClient]:
        """Graph name -> client, reusing the client of an unchanged name and URL."""
        clients: dict[str, HttpSubgraphClient] = {}
        for name, graph in graphs.items():
            key = (name, graph.url)
            if key not in self._clients:
                self._clients[key] = self._make(name, graph.url)
            clients[name] = self._clients[key]
        return clients

    def release(self, keep: Mapping[str, HttpSubgraphClient]) -> list[HttpSubgraphClient]:
        """Forget every client not in `keep` and return them, for closing once unused."""
        kept = {id(client) for client in keep.values()}
        released = [c for c in self._clients.values() if id(c) not in kept]
        self._clients = {k: c for k, c in self._clients.items() if id(c) in kept}
        return released

    async def aclose(self) -> None:
        """Close every client (at shutdown)."""
        for client in self.release({}):
            await client.aclose()
