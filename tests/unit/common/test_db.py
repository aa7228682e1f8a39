"""The SQLite side of `common.db.create_engine`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from common.db import create_engine


async def journal_mode(engine: AsyncEngine) -> str:
    async with engine.connect() as conn:
        return str((await conn.execute(text("PRAGMA journal_mode"))).scalar_one())


async def test_connections_opening_a_fresh_file_together_all_get_wal(tmp_path: Path) -> None:
    # SQLite answers a lost race to switch a fresh file to WAL "database is locked" at once,
    # without waiting its busy timeout; about one round in twenty lost it before the retry
    for round_ in range(50):
        url = f"sqlite+aiosqlite:///{tmp_path / f'fresh-{round_}.db'}"
        engines = [create_engine(url) for _ in range(8)]
        try:
            modes = await asyncio.gather(*(journal_mode(engine) for engine in engines))
        finally:
            for engine in engines:
                await engine.dispose()
        assert modes == ["wal"] * len(engines)


async def test_sqlite_connections_enforce_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one() == 5000
    finally:
        await engine.dispose()
