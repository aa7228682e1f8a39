"""The bus without Redis: an append-only event log in a SQLite file shared by local processes.

For `make run` and tests on one machine. Each consumer group keeps a cursor; a delivery that is
not acknowledged is delivered again on the next read, as Redis Streams would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.schema import CreateTable

from common.db import create_engine
from common.events.bus import Delivery
from common.events.envelope import Event

_metadata = MetaData()
event_log = Table(
    "event_log",
    _metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("body", Text, nullable=False),
)
group_cursor = Table(
    "group_cursor",
    _metadata,
    Column("group_name", String(100), primary_key=True),
    Column("acked_seq", Integer, nullable=False),
)

POLL_SECONDS = 0.1


class LocalEventLog:
    """An `EventBus` on a SQLite file (`sqlite+aiosqlite:///var/events.db`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._ready = False

    @classmethod
    def open(cls, url: str) -> LocalEventLog:
        """The log at this SQLite URL (created on first use)."""
        return cls(create_engine(url))

    async def prepare(self) -> None:
        if not self._ready:
            # IF NOT EXISTS, not create_all's check-then-create: every process of the stack
            # prepares the same file at start, and the loser of that race failed (and logged a
            # traceback) where there was nothing wrong.
            async with self.engine.begin() as connection:
                for table in _metadata.sorted_tables:
                    await connection.execute(CreateTable(table, if_not_exists=True))
            self._ready = True

    async def publish(self, event: Event) -> str:
        """Append the event once (a republished event id is ignored)."""
        await self.prepare()
        async with self.engine.begin() as connection:
            await connection.execute(
                sqlite_insert(event_log)
                .values(event_id=event.id, body=event.to_json())
                .on_conflict_do_nothing(index_elements=["event_id"])
            )
            seq = await connection.scalar(
                select(event_log.c.seq).where(event_log.c.event_id == event.id)
            )
        return str(seq)

    async def _cursor(self, group: str) -> int:
        async with self.engine.begin() as connection:
            acked = await connection.scalar(
                select(group_cursor.c.acked_seq).where(group_cursor.c.group_name == group)
            )
            if acked is None:
                await connection.execute(insert(group_cursor).values(group_name=group, acked_seq=0))
                acked = 0
        return int(acked)

    async def read(
        self, group: str, consumer: str, *, count: int = 50, block_ms: int = 1000
    ) -> Sequence[Delivery]:
        """Events after the group's cursor, waiting up to `block_ms` for the first."""
        await self.prepare()
        deadline = asyncio.get_running_loop().time() + block_ms / 1000
        while True:
            acked = await self._cursor(group)
            async with self.engine.connect() as connection:
                rows = (
                    await connection.execute(
                        select(event_log.c.seq, event_log.c.body)
                        .where(event_log.c.seq > acked)
                        .order_by(event_log.c.seq)
                        .limit(count)
                    )
                ).all()
            if rows or asyncio.get_running_loop().time() >= deadline:
                return [Delivery(str(seq), Event.from_json(body)) for seq, body in rows]
            await asyncio.sleep(POLL_SECONDS)

    async def ack(self, group: str, message_ids: Sequence[str]) -> None:
        """Move the group's cursor past the highest acknowledged delivery."""
        if not message_ids:
            return
        highest = max(int(message_id) for message_id in message_ids)
        await self._cursor(group)
        async with self.engine.begin() as connection:
            await connection.execute(
                group_cursor.update()
                .where(group_cursor.c.group_name == group)
                .where(group_cursor.c.acked_seq < highest)
                .values(acked_seq=highest)
            )

    async def close(self) -> None:
        """Dispose of the engine."""
        await self.engine.dispose()
