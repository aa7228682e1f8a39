"""Transport: how the gateway talks to subgraphs (HTTP with breakers, de-duplication, a mock)."""

from gateway.transport.breaker import BreakerSettings, SubgraphBreaker
from gateway.transport.dedup import DeduplicatingClient
from gateway.transport.errors import SubgraphUnavailable
from gateway.transport.http import HttpSubgraphClient
from gateway.transport.mock import MockSubgraphClient
from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse

__all__ = [
    "BreakerSettings",
    "DeduplicatingClient",
    "HttpSubgraphClient",
    "MockSubgraphClient",
    "SubgraphBreaker",
    "SubgraphClient",
    "SubgraphRequest",
    "SubgraphResponse",
    "SubgraphUnavailable",
]
