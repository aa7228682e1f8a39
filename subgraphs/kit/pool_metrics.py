"""The database connection pool of a subgraph on /metrics, read from the pool at each scrape.

- `<prefix>_db_pool_connections{state="in_use"|"idle"}`: connections checked out by requests
  and background work, and open connections waiting in the pool;
- `<prefix>_db_pool_max_connections`: the most it may open (`*_DB_POOL_SIZE` +
  `*_DB_MAX_OVERFLOW`). In use at the maximum means requests wait for a connection, up to
  `*_DB_POOL_TIMEOUT` seconds, then fail.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import Pool, QueuePool


class PoolCollector(Collector):
    """Reports the pool of the engine most recently given for its prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.pool: Pool | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        connections = GaugeMetricFamily(
            f"{self.prefix}_db_pool_connections",
            "Database connections of the pool, in use or idle",
            labels=["state"],
        )
        limit = GaugeMetricFamily(
            f"{self.prefix}_db_pool_max_connections",
            "Most database connections the pool may open (pool size + max overflow)",
        )
        pool = self.pool
        if isinstance(pool, QueuePool):  # SQLite's pools keep no counts
            connections.add_metric(["in_use"], pool.checkedout())
            connections.add_metric(["idle"], pool.checkedin())
            # QueuePool keeps its overflow setting private; -1 means no limit.
            overflow = getattr(pool, "_max_overflow", 0)
            limit.add_metric([], float("inf") if overflow < 0 else pool.size() + overflow)
        yield connections
        yield limit


_BY_PREFIX: dict[str, PoolCollector] = {}


def report_pool(engine: AsyncEngine, prefix: str) -> None:
    """Report `engine`'s pool under `prefix` from now on (the collector registers once)."""
    collector = _BY_PREFIX.get(prefix)
    if collector is None:
        collector = _BY_PREFIX[prefix] = PoolCollector(prefix)
        REGISTRY.register(collector)
    collector.pool = engine.pool
