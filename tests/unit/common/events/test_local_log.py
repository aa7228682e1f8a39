"""The local event log: every process of a stack opens the same SQLite file at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from common.events import Event
from common.events.local_log import LocalEventLog


async def test_processes_preparing_one_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'events.db'}"
    logs = [LocalEventLog.open(url) for _ in range(8)]
    try:
        events = [
            Event(
                type="thing.happened",
                entity_type="Thing",
                entity_id=str(n),
                payload={},
                source="test",
                time=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for n in range(len(logs))
        ]
        seqs = await asyncio.gather(*(log.publish(e) for log, e in zip(logs, events, strict=True)))
    finally:
        for log in logs:
            await log.engine.dispose()
    assert sorted(int(seq) for seq in seqs) == list(range(1, len(logs) + 1))
