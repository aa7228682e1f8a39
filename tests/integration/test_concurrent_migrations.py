"""Replicas starting together (and the Kubernetes migrations Job) migrate one PostgreSQL
database at the same time: one migrates, the others wait for its lock and find it at head."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import pytest

from common.migrations import upgrade_to_head
from subgraphs.orders.app import SUBGRAPH
from tests.support.servers import throwaway_postgres_databases

pytestmark = pytest.mark.postgres


def test_four_migrations_of_one_fresh_database_at_once_all_succeed() -> None:
    with throwaway_postgres_databases("orders") as urls:
        with ThreadPoolExecutor(max_workers=4) as pool:
            runs = [
                pool.submit(upgrade_to_head, SUBGRAPH.migrations, urls["orders"]) for _ in range(4)
            ]
            for run in runs:
                run.result(timeout=120)

        async def versions() -> list[str]:
            dsn = urls["orders"].replace("postgresql+asyncpg://", "postgresql://")
            connection = await asyncpg.connect(dsn)
            try:
                rows = await connection.fetch("SELECT version_num FROM alembic_version")
            finally:
                await connection.close()
            return [row["version_num"] for row in rows]

        assert len(asyncio.run(versions())) == 1, "one head, recorded once"
