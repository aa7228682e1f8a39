"""SQL for the orders table; live rows only (soft-deleted rows are invisible here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.orders.models import OrderRow, OrderStatus


def _live() -> ColumnElement[bool]:
    return OrderRow.deleted_at.is_(None)


async def get(session: AsyncSession, order_id: int) -> OrderRow | None:
    """The live order with this id."""
    return await session.scalar(select(OrderRow).where(OrderRow.id == order_id, _live()))


async def get_many(session: AsyncSession, order_ids: Sequence[int]) -> dict[int, OrderRow]:
    """Live orders by id, in one `IN` query."""
    rows = await session.scalars(select(OrderRow).where(OrderRow.id.in_(order_ids), _live()))
    return {row.id: row for row in rows}


async def by_users(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[OrderRow]]:
    """Live orders of each user, newest first, in one `IN` query (users without any left out)."""
    rows = await session.scalars(
        select(OrderRow)
        .where(OrderRow.user_id.in_(user_ids), _live())
        .order_by(OrderRow.user_id, OrderRow.created_at.desc(), OrderRow.id.desc())
    )
    grouped: dict[int, list[OrderRow]] = {}
    for row in rows:
        grouped.setdefault(row.user_id, []).append(row)
    return grouped


async def list_page(
    session: AsyncSession,
    request: PageRequest,
    *,
    user_id: int | None = None,
    status: OrderStatus | None = None,
) -> Page[OrderRow]:
    """One page of live orders by id, filtered by user and status."""
    conditions = [_live()]
    if user_id is not None:
        conditions.append(OrderRow.user_id == user_id)
    if status is not None:
        conditions.append(OrderRow.status == status)
    total = await session.scalar(select(func.count()).select_from(OrderRow).where(*conditions))
    rows = await session.scalars(
        select(OrderRow)
        .where(*conditions)
        .order_by(OrderRow.id)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def count_all(session: AsyncSession) -> int:
    """Every row, soft-deleted ones included (the seed only fills an empty table)."""
    return await session.scalar(select(func.count()).select_from(OrderRow)) or 0


def add(session: AsyncSession, row: OrderRow) -> None:
    """Stage a new order; the caller's transaction flushes and commits it."""
    session.add(row)
