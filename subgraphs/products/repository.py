"""SQL for products and reservations; stock changes are conditional updates, not read-then-write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.kit.text import contains_pattern
from subgraphs.products.models import ProductRow, ReservationRow, ReservationStatus


async def get(session: AsyncSession, product_id: int) -> ProductRow | None:
    """The product with this id."""
    return await session.scalar(select(ProductRow).where(ProductRow.id == product_id))


async def get_many(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, ProductRow]:
    """Products by id, in one `IN` query."""
    rows = await session.scalars(select(ProductRow).where(ProductRow.id.in_(product_ids)))
    return {row.id: row for row in rows}


async def get_many_by_sku(
    session: AsyncSession, skus: Sequence[str], *, lock: bool = False
) -> dict[str, ProductRow]:
    """Products by sku, in one `IN` query; `lock` holds their rows until the commit (PostgreSQL)."""
    query = select(ProductRow).where(ProductRow.sku.in_(skus)).order_by(ProductRow.id)
    if lock:
        # Rows locked in id order, so two reservations cannot deadlock each other.
        query = query.with_for_update()
    rows = await session.scalars(query)
    return {row.sku: row for row in rows}


async def find_by_sku(session: AsyncSession, sku: str) -> ProductRow | None:
    """The product with this (normalised) sku."""
    return await session.scalar(select(ProductRow).where(ProductRow.sku == sku))


async def list_page(
    session: AsyncSession,
    request: PageRequest,
    *,
    search: str | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    in_stock: bool | None = None,
    active: bool | None = None,
) -> Page[ProductRow]:
    """One page of products by id, filtered by text, price range, stock and `active`."""
    conditions: list[ColumnElement[bool]] = []
    if search:
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                func.lower(ProductRow.name).like(pattern, escape="\\"),
                func.lower(ProductRow.sku).like(pattern, escape="\\"),
                func.lower(func.coalesce(ProductRow.description, "")).like(pattern, escape="\\"),
            )
        )
    if min_price is not None:
        conditions.append(ProductRow.price >= min_price)
    if max_price is not None:
        conditions.append(ProductRow.price <= max_price)
    if in_stock is not None:
        conditions.append(ProductRow.stock > 0 if in_stock else ProductRow.stock == 0)
    if active is not None:
        conditions.append(ProductRow.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(ProductRow).where(*conditions))
    rows = await session.scalars(
        select(ProductRow)
        .where(*conditions)
        .order_by(ProductRow.id)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def count_all(session: AsyncSession) -> int:
    """Every product (the seed only fills an empty table)."""
    return await session.scalar(select(func.count()).select_from(ProductRow)) or 0


def add(session: AsyncSession, row: ProductRow) -> None:
    """Stage a new product; the caller's transaction flushes and commits it."""
    session.add(row)


async def change_stock(
    session: AsyncSession, product_id: int, delta: int, *, now: datetime, maximum: int
) -> bool:
    """Add `delta` to the stock in one statement, unless it would leave 0..maximum; True if done.

    A single conditional UPDATE is atomic on every backend: two concurrent changes can never
    both pass a check made on a stale read.
    """
    result = await session.execute(
        update(ProductRow)
        .where(
            ProductRow.id == product_id,
            ProductRow.stock + delta >= 0,
            ProductRow.stock + delta <= maximum,
        )
        .values(stock=ProductRow.stock + delta, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def reservations_of(session: AsyncSession, order_id: int) -> list[ReservationRow]:
    """Every reservation row of an order (reserved or released), by id."""
    rows = await session.scalars(
        select(ReservationRow)
        .where(ReservationRow.order_id == order_id)
        .order_by(ReservationRow.id)
    )
    return list(rows)


async def mark_released(session: AsyncSession, reservation_id: int, *, now: datetime) -> bool:
    """Flip one reservation from reserved to released; False when it was released already."""
    result = await session.execute(
        update(ReservationRow)
        .where(
            ReservationRow.id == reservation_id,
            ReservationRow.status == ReservationStatus.RESERVED,
        )
        .values(status=ReservationStatus.RELEASED, released_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
