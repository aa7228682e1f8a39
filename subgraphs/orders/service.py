"""Order rules: validation, the status life cycle, soft delete; one transaction per change."""

from __future__ import annotations

from collections.abc import Sequence

from common.errors import Conflict, NotFound
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.ids import parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.validation import require_valid
from subgraphs.orders import repository
from subgraphs.orders.models import OrderRow, OrderStatus
from subgraphs.orders.validation import (
    clean_product_id,
    clean_quantity,
    clean_total_price,
    clean_user_id,
)

S = OrderStatus
#: The only moves an order's status may make; DELIVERED and CANCELLED are final.
NEXT_STATUSES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    S.PENDING: (S.CONFIRMED, S.CANCELLED),
    S.CONFIRMED: (S.SHIPPED, S.CANCELLED),
    S.SHIPPED: (S.DELIVERED,),
    S.DELIVERED: (),
    S.CANCELLED: (),
}


def not_found(order_id: object) -> NotFound:
    """The error for an id that names no live order."""
    return NotFound(f"No order with id {order_id!s}; it may have been deleted.", field="id")


def refused_transition(current: OrderStatus, requested: OrderStatus) -> Conflict:
    """The error for a status change the life cycle does not allow."""
    allowed = ", ".join(NEXT_STATUSES[current]) or f"none ({current} is final)"
    return Conflict(
        f"Cannot change the status of an order from {current} to {requested}; "
        f"allowed next statuses: {allowed}.",
        field="status",
    )


class OrderService:
    """What the schema may do with orders, over the request's session."""

    def __init__(self, db: RequestDb, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def get_many(self, order_ids: Sequence[int]) -> list[OrderRow | None]:
        """Live orders in the order of `order_ids` (None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(order_ids)))
        return [found.get(order_id) for order_id in order_ids]

    async def by_users(self, user_ids: Sequence[int]) -> list[list[OrderRow]]:
        """Each user's live orders, newest first, in the order of `user_ids`, in one query."""
        async with self.db.read() as session:
            found = await repository.by_users(session, list(set(user_ids)))
        return [found.get(user_id, []) for user_id in user_ids]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        user_id: object | None = None,
        status: OrderStatus | None = None,
    ) -> Page[OrderRow]:
        """A page of live orders by id, filtered by user and status."""
        request = page_request(page, page_size)
        row_user_id = None if user_id is None else parse_id(user_id)
        if user_id is not None and row_user_id is None:
            # No user has a malformed id, so no order matches.
            return Page(items=[], request=request, total=0)
        async with self.db.read() as session:
            return await repository.list_page(session, request, user_id=row_user_id, status=status)

    async def create(
        self, *, user_id: object, product_id: str, quantity: int, total_price: float
    ) -> OrderRow:
        """A new PENDING order; VALIDATION_FAILED for bad input (the user is not checked)."""
        values = require_valid(
            {
                "user_id": clean_user_id(user_id),
                "product_id": clean_product_id(product_id),
                "quantity": clean_quantity(quantity),
                "total_price": clean_total_price(total_price),
            }
        )
        now = self.clock()
        row = OrderRow(**values, status=OrderStatus.PENDING, created_at=now, updated_at=now)
        async with self.db.write() as session:
            repository.add(session, row)
            await session.flush()
        return row

    async def change_status(self, order_id: object, status: OrderStatus) -> OrderRow:
        """Move an order along its life cycle; CONFLICT for any other move."""
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(order_id)
            if status not in NEXT_STATUSES[row.status]:
                raise refused_transition(row.status, status)
            row.status = status
            row.updated_at = self.clock()
        return row

    async def delete(self, order_id: object) -> bool:
        """Soft-delete a live order; NOT_FOUND when missing or already deleted."""
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(order_id)
            row.deleted_at = row.updated_at = self.clock()
        return True
