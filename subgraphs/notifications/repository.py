"""SQL for notifications, deliveries and preferences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.notifications.models import (
    DeliveryRow,
    DeliveryStatus,
    NotificationChannel,
    NotificationRow,
    PreferenceRow,
)


@dataclass(frozen=True)
class NotificationFilter:
    """Which notifications a list shows: one user's or everyone's, unread only, one channel."""

    user_id: int | None = None
    unread_only: bool = False
    channel: NotificationChannel | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE conditions of this filter."""
        found: list[ColumnElement[bool]] = []
        if self.user_id is not None:
            found.append(NotificationRow.user_id == self.user_id)
        if self.unread_only:
            found.append(NotificationRow.read_at.is_(None))
        if self.channel is not None:
            found.append(NotificationRow.channel == self.channel)
        return found


_NEWEST_FIRST = (NotificationRow.created_at.desc(), NotificationRow.id.desc())


async def get(session: AsyncSession, notification_id: int) -> NotificationRow | None:
    """The notification with this id."""
    return await session.get(NotificationRow, notification_id)


async def get_many(
    session: AsyncSession, notification_ids: Sequence[int]
) -> dict[int, NotificationRow]:
    """Notifications by id, in one `IN` query."""
    rows = await session.scalars(
        select(NotificationRow).where(NotificationRow.id.in_(notification_ids))
    )
    return {row.id: row for row in rows}


async def list_page(
    session: AsyncSession, request: PageRequest, where: NotificationFilter
) -> Page[NotificationRow]:
    """One page of notifications, newest first."""
    conditions = where.conditions()
    total = await session.scalar(
        select(func.count()).select_from(NotificationRow).where(*conditions)
    )
    rows = await session.scalars(
        select(NotificationRow)
        .where(*conditions)
        .order_by(*_NEWEST_FIRST)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def pages_by_users(
    session: AsyncSession,
    user_ids: Sequence[int],
    request: PageRequest,
    *,
    unread_only: bool = False,
    channel: NotificationChannel | None = None,
) -> dict[int, Page[NotificationRow]]:
    """The same page of each user's notifications, newest first, in two queries in all.

    A window function numbers each user's rows, so one query returns every user's page.
    """
    where = NotificationFilter(unread_only=unread_only, channel=channel)
    conditions = [NotificationRow.user_id.in_(user_ids), *where.conditions()]
    counted = await session.execute(
        select(NotificationRow.user_id, func.count())
        .where(*conditions)
        .group_by(NotificationRow.user_id)
    )
    totals: dict[int, int] = {user_id: count for user_id, count in counted}
    rows = await session.scalars(_page_of_each_user(conditions, request))
    grouped: dict[int, list[NotificationRow]] = {}
    for row in rows:
        grouped.setdefault(row.user_id, []).append(row)
    return {
        user_id: Page(items=grouped.get(user_id, []), request=request, total=totals.get(user_id, 0))
        for user_id in user_ids
    }


def _page_of_each_user(
    conditions: list[ColumnElement[bool]], request: PageRequest
) -> Select[NotificationRow]:
    position = (
        func.row_number()
        .over(partition_by=NotificationRow.user_id, order_by=_NEWEST_FIRST)
        .label("position")
    )
    numbered = select(NotificationRow.id, position).where(*conditions).subquery()
    return (
        select(NotificationRow)
        .join(numbered, numbered.c.id == NotificationRow.id)
        .where(
            numbered.c.position > request.offset,
            numbered.c.position <= request.offset + request.size,
        )
        .order_by(NotificationRow.user_id, numbered.c.position)
    )


async def channels_of_event(session: AsyncSession, event_id: str) -> set[NotificationChannel]:
    """The channels an event has already made notifications on."""
    rows = await session.scalars(
        select(NotificationRow.channel).where(NotificationRow.event_id == event_id)
    )
    return set(rows)


def add(session: AsyncSession, row: NotificationRow) -> None:
    """Stage a new notification; the caller's transaction flushes and commits it."""
    session.add(row)


def add_delivery(session: AsyncSession, row: DeliveryRow) -> None:
    """Stage a delivery record."""
    session.add(row)


async def pending_deliveries(session: AsyncSession, limit: int) -> list[int]:
    """The ids of the oldest PENDING deliveries."""
    rows = await session.scalars(
        select(DeliveryRow.id)
        .where(DeliveryRow.status == DeliveryStatus.PENDING)
        .order_by(DeliveryRow.id)
        .limit(limit)
    )
    return list(rows)


async def move_delivery(
    session: AsyncSession,
    delivery_id: int,
    current: DeliveryStatus,
    new: DeliveryStatus,
    **values: Any,
) -> bool:
    """Set the status (and `values`) only if it still is `current`; False when it was not.

    The condition makes a claim (PENDING -> SENDING) one dispatcher's alone."""
    result = await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == delivery_id, DeliveryRow.status == current)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def delivery_with_notification(
    session: AsyncSession, delivery_id: int
) -> tuple[DeliveryRow, NotificationRow]:
    """A delivery and the notification it sends."""
    row = (
        await session.execute(
            select(DeliveryRow, NotificationRow)
            .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
            .where(DeliveryRow.id == delivery_id)
        )
    ).one()
    return row[0], row[1]


async def abandoned_claims(session: AsyncSession, claimed_before: datetime) -> list[int]:
    """Deliveries left SENDING since before `claimed_before`: their dispatcher died."""
    rows = await session.scalars(
        select(DeliveryRow.id).where(
            DeliveryRow.status == DeliveryStatus.SENDING,
            DeliveryRow.claimed_at < claimed_before,
        )
    )
    return list(rows)


async def deliveries_of(session: AsyncSession, event_id: str) -> list[DeliveryRow]:
    """The deliveries made for one event, in the order they were made."""
    rows = await session.scalars(
        select(DeliveryRow).where(DeliveryRow.event_id == event_id).order_by(DeliveryRow.id)
    )
    return list(rows)


async def preferences_of(session: AsyncSession, user_id: int) -> dict[str, PreferenceRow]:
    """A user's stored preferences by event type (types left at the default are absent)."""
    rows = await session.scalars(select(PreferenceRow).where(PreferenceRow.user_id == user_id))
    return {row.event_type: row for row in rows}


async def preference(session: AsyncSession, user_id: int, event_type: str) -> PreferenceRow | None:
    """A user's stored preference for one event type."""
    return await session.get(PreferenceRow, (user_id, event_type))


def add_preference(session: AsyncSession, row: PreferenceRow) -> None:
    """Stage a new preference row."""
    session.add(row)
