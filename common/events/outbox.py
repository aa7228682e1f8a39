"""The outbox and processed-events tables, and storing an event in the writer's transaction."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    insert,
)
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.envelope import Event


def outbox_table(metadata: MetaData) -> Table:
    """`outbox`: events written with the change that caused them, until the relay sends them."""
    return Table(
        "outbox",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("type", String(100), nullable=False),
        Column("entity_type", String(100), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True, index=True),
    )


def processed_events_table(metadata: MetaData) -> Table:
    """`processed_events`: the events a consumer group has applied (or given up on), once each."""
    return Table(
        "processed_events",
        metadata,
        Column("consumer_group", String(100), nullable=False),
        Column("event_id", String(64), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        Column("error", Text, nullable=True),
        PrimaryKeyConstraint("consumer_group", "event_id"),
    )


async def record_event(session: AsyncSession, outbox: Table, event: Event) -> None:
    """Store the event in the session's transaction: it is sent if and only if the write commits."""
    await session.execute(
        insert(outbox).values(
            event_id=event.id,
            type=event.type,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            body=event.to_json(),
            created_at=event.time,
        )
    )
