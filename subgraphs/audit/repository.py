"""SQL for the audit log: append and read, nothing else (the log is never changed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.audit.models import AuditLogRow
from subgraphs.kit.pagination import Page, PageRequest


@dataclass(frozen=True)
class AuditFilter:
    """Which rows a list shows; every condition given must hold, times inclusive (UTC)."""

    actor_user_id: int | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE conditions of this filter."""
        found: list[ColumnElement[bool]] = []
        if self.actor_user_id is not None:
            found.append(AuditLogRow.actor_user_id == self.actor_user_id)
        if self.entity_type is not None:
            found.append(AuditLogRow.entity_type == self.entity_type)
        if self.entity_id is not None:
            found.append(AuditLogRow.entity_id == self.entity_id)
        if self.action is not None:
            found.append(AuditLogRow.action == self.action)
        if self.since is not None:
            found.append(AuditLogRow.timestamp >= self.since)
        if self.until is not None:
            found.append(AuditLogRow.timestamp <= self.until)
        return found


_NEWEST_FIRST = (AuditLogRow.timestamp.desc(), AuditLogRow.id.desc())


def append(session: AsyncSession, row: AuditLogRow) -> None:
    """Stage a new row; the only write this module offers."""
    session.add(row)


async def get_many(session: AsyncSession, row_ids: Sequence[int]) -> dict[int, AuditLogRow]:
    """Rows by id, in one `IN` query."""
    rows = await session.scalars(select(AuditLogRow).where(AuditLogRow.id.in_(row_ids)))
    return {row.id: row for row in rows}


async def list_page(
    session: AsyncSession, request: PageRequest, where: AuditFilter
) -> Page[AuditLogRow]:
    """One page of rows, newest first."""
    conditions = where.conditions()
    total = await session.scalar(select(func.count()).select_from(AuditLogRow).where(*conditions))
    rows = await session.scalars(
        select(AuditLogRow)
        .where(*conditions)
        .order_by(*_NEWEST_FIRST)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def trails_by_users(
    session: AsyncSession, user_ids: Sequence[int], request: PageRequest
) -> dict[int, Page[AuditLogRow]]:
    """The same page of each user's trail (they acted, or it is about them), in two queries.

    A row where a user is both actor and subject counts once for that user.
    """
    # One (user, row) pair per user a row concerns; the union de-duplicates actor == subject.
    pairs = (
        select(AuditLogRow.actor_user_id.label("user_id"), AuditLogRow.id.label("row_id"))
        .where(AuditLogRow.actor_user_id.in_(user_ids))
        .union(
            select(AuditLogRow.subject_user_id, AuditLogRow.id).where(
                AuditLogRow.subject_user_id.in_(user_ids)
            )
        )
        .subquery()
    )
    counted = await session.execute(select(pairs.c.user_id, func.count()).group_by(pairs.c.user_id))
    totals: dict[int, int] = {user_id: count for user_id, count in counted}
    position = (
        func.row_number()
        .over(partition_by=pairs.c.user_id, order_by=_NEWEST_FIRST)
        .label("position")
    )
    numbered = (
        select(pairs.c.user_id, pairs.c.row_id, position)
        .join(AuditLogRow, AuditLogRow.id == pairs.c.row_id)
        .subquery()
    )
    found = await session.execute(
        select(numbered.c.user_id, AuditLogRow)
        .join(numbered, numbered.c.row_id == AuditLogRow.id)
        .where(
            numbered.c.position > request.offset,
            numbered.c.position <= request.offset + request.size,
        )
        .order_by(numbered.c.user_id, numbered.c.position)
    )
    grouped: dict[int, list[AuditLogRow]] = {}
    for user_id, row in found:
        grouped.setdefault(user_id, []).append(row)
    return {
        user_id: Page(items=grouped.get(user_id, []), request=request, total=totals.get(user_id, 0))
        for user_id in user_ids
    }


async def has_event(session: AsyncSession, event_id: str) -> bool:
    """True when the event is already in the log."""
    found = await session.scalar(select(AuditLogRow.id).where(AuditLogRow.event_id == event_id))
    return found is not None
