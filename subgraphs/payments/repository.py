"""SQL for the payments and order_totals tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.payments.models import OrderTotalRow, PaymentRow, PaymentStatus


async def get(session: AsyncSession, payment_id: int) -> PaymentRow | None:
    """The payment with this id."""
    return await session.get(PaymentRow, payment_id)


async def get_many(session: AsyncSession, payment_ids: Sequence[int]) -> dict[int, PaymentRow]:
    """Payments by id, in one `IN` query."""
    rows = await session.scalars(select(PaymentRow).where(PaymentRow.id.in_(payment_ids)))
    return {row.id: row for row in rows}


async def latest_by_orders(
    session: AsyncSession, order_ids: Sequence[int]
) -> dict[int, PaymentRow]:
    """Each order's latest payment, in one `IN` query (orders without any left out).

    A new payment is refused while another one has not failed, so the latest one is the one
    that counts: the live one if any, else the last failure.
    """
    rows = await session.scalars(
        select(PaymentRow).where(PaymentRow.order_id.in_(order_ids)).order_by(PaymentRow.id)
    )
    return {row.order_id: row for row in rows}


async def not_failed_for_order(session: AsyncSession, order_id: int) -> PaymentRow | None:
    """The order's payment that has not failed, if any (there is at most one)."""
    return await session.scalar(
        select(PaymentRow).where(
            PaymentRow.order_id == order_id, PaymentRow.status != PaymentStatus.FAILED
        )
    )


async def list_page(
    session: AsyncSession,
    request: PageRequest,
    *,
    status: PaymentStatus | None = None,
    user_id: int | None = None,
    order_id: int | None = None,
) -> Page[PaymentRow]:
    """One page of payments by id, filtered by status, user and order."""
    conditions: list[Any] = []
    if status is not None:
        conditions.append(PaymentRow.status == status)
    if user_id is not None:
        conditions.append(PaymentRow.user_id == user_id)
    if order_id is not None:
        conditions.append(PaymentRow.order_id == order_id)
    total = await session.scalar(select(func.count()).select_from(PaymentRow).where(*conditions))
    rows = await session.scalars(
        select(PaymentRow)
        .where(*conditions)
        .order_by(PaymentRow.id)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def move_status(
    session: AsyncSession,
    payment_id: int,
    current: PaymentStatus,
    new: PaymentStatus,
    now: datetime,
    **values: Any,
) -> bool:
    """Set the status (and `values`) only if it still is `current`; False when it was not.

    The condition in the UPDATE makes two concurrent moves of one payment settle on one winner.
    """
    result = await session.execute(
        update(PaymentRow)
        .where(PaymentRow.id == payment_id, PaymentRow.status == current)
        .values(status=new, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def count_all(session: AsyncSession) -> int:
    """Every payment (the seed only fills an empty table)."""
    return await session.scalar(select(func.count()).select_from(PaymentRow)) or 0


def add(session: AsyncSession, row: PaymentRow | OrderTotalRow) -> None:
    """Stage a new row; the caller's transaction flushes and commits it."""
    session.add(row)


async def get_order(session: AsyncSession, order_id: int) -> OrderTotalRow | None:
    """What the read model knows of an order."""
    return await session.get(OrderTotalRow, order_id)
