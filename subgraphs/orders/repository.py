"""SQL for orders and their items; live orders only (soft-deleted rows are invisible here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.orders.models import OrderItemRow, OrderRow, OrderStatus


def _live() -> ColumnElement[bool]:
    return OrderRow.deleted_at.is_(None)


async def get(session: AsyncSession, order_id: int, *, lock: bool = False) -> OrderRow | None:
    """The live order with this id; `lock` holds its row until the commit (PostgreSQL).

    Status changes lock: a cancellation and the inventory's answer must not both move the same
    PENDING order (SQLite serialises writers anyway).
    """
    query = select(OrderRow).where(OrderRow.id == order_id, _live())
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


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


async def items_of(
    session: AsyncSession, order_ids: Sequence[int]
) -> dict[int, list[OrderItemRow]]:
    """The items of each order in their order, in one `IN` query (orders without any left out)."""
    rows = await session.scalars(
        select(OrderItemRow)
        .where(OrderItemRow.order_id.in_(order_ids))
        .order_by(OrderItemRow.order_id, OrderItemRow.position)
    )
    grouped: dict[int, list[OrderItemRow]] = {}
    for row in rows:
        grouped.setdefault(row.order_id, []).append(row)
    return grouped
