"""Order rules: validation, the status life cycle, soft delete; one transaction per change.

Every change others must hear about stores its event in the same transaction: `order.created`
when an order is placed, `order.status_changed` for every move of its status (by a client, by a
cancellation, or by the inventory's answer, see `saga.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.orders import repository
from subgraphs.orders.models import OrderItemRow, OrderRow, OrderStatus, outbox
from subgraphs.orders.validation import (
    MAX_NOTES_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SHIPPING_ADDRESS_LENGTH,
    MAX_TOTAL_PRICE,
    CleanItem,
    ItemInput,
    clean_items,
    clean_optional_text,
    clean_product_id,
    clean_quantity,
    clean_total_price,
    clean_user_id,
    unit_price_of,
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


#: Statuses from which an order may still be cancelled.
CANCELLABLE = (S.PENDING, S.CONFIRMED)
SINGLE_PRODUCT_FIELDS = ("productId", "quantity", "totalPrice")


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


def not_cancellable(order_id: object, current: OrderStatus) -> Conflict:
    """The error for cancelling an order past CONFIRMED (or cancelled already)."""
    return Conflict(
        f"Order {order_id!s} is {current}; only PENDING or CONFIRMED orders can be cancelled.",
        field="id",
    )


def money(amount: Decimal) -> str:
    """An amount in an event payload: a decimal string with cents ("19.99"), exact."""
    return str(amount.quantize(Decimal("0.01")))


async def move_status(
    session: AsyncSession,
    row: OrderRow,
    status: OrderStatus,
    *,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Move a (locked) order to `status` and store `order.status_changed` with the move."""
    previous = row.status
    row.status = status
    row.updated_at = now
    if status is OrderStatus.CANCELLED:
        row.cancellation_reason = reason
    await emit(
        session,
        outbox,
        source="orders",
        type="order.status_changed",
        entity_type="Order",
        entity_id=format_id(row.id),
        payload={
            "order_id": format_id(row.id),
            "user_id": format_id(row.user_id),
            "from": str(previous),
            "to": str(status),
            "reason": reason,
        },
    )


def _order_values(
    user_id: object,
    product_id: str | None,
    quantity: int | None,
    total_price: float | None,
    items: Sequence[ItemInput] | None,
    shipping_address: str | None,
    notes: str | None,
) -> tuple[dict[str, Any], list[CleanItem]]:
    """The order's columns and lines from either input form, or VALIDATION_FAILED naming fields."""
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}

    def take(name: str, value: Any) -> None:
        if isinstance(value, FieldProblem):
            problems.append(value)
        else:
            values[name] = value

    take("user_id", clean_user_id(user_id))
    single = {"productId": product_id, "quantity": quantity, "totalPrice": total_price}
    given = [name for name, value in single.items() if value is not None]
    lines: list[CleanItem] = []
    if items is not None and given:
        problems.append(
            FieldProblem(
                "items", f"give either items or {', '.join(SINGLE_PRODUCT_FIELDS)}, not both"
            )
        )
    elif items is not None:
        clean = clean_items(items)
        if clean and isinstance(clean[0], FieldProblem):
            problems.extend(p for p in clean if isinstance(p, FieldProblem))
        else:
            lines = [line for line in clean if isinstance(line, CleanItem)]
            total = sum((line.unit_price * line.quantity for line in lines), Decimal("0.00"))
            if total > MAX_TOTAL_PRICE:
                problems.append(
                    FieldProblem("items", f"the total must be at most {MAX_TOTAL_PRICE}")
                )
            values["total_price"] = total
    elif not given:
        problems.append(FieldProblem("items", f"give items, or {', '.join(SINGLE_PRODUCT_FIELDS)}"))
    else:
        for name, value in single.items():
            if value is None:
                problems.append(FieldProblem(name, "is required with the single-product form"))
        sku = clean_product_id(product_id) if product_id is not None else None
        count = clean_quantity(quantity) if quantity is not None else None
        price = clean_total_price(total_price) if total_price is not None else None
        for value in (sku, count, price):
            if isinstance(value, FieldProblem):
                problems.append(value)
        if not problems:
            assert isinstance(sku, str) and isinstance(count, int) and isinstance(price, Decimal)
            lines = [CleanItem(sku, count, unit_price_of(price, count))]
            values["total_price"] = price
    take(
        "shipping_address",
        clean_optional_text(shipping_address, "shippingAddress", MAX_SHIPPING_ADDRESS_LENGTH),
    )
    take("notes", clean_optional_text(notes, "notes", MAX_NOTES_LENGTH))
    if problems:
        # userId first, then the fields in input order, as clients read them.
        raise ValidationFailed.of(problems)
    return values, lines


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

    async def items_of(self, order_ids: Sequence[int]) -> list[list[OrderItemRow]]:
        """Each order's items in their order, in the order of `order_ids`, in one query."""
        async with self.db.read() as session:
            found = await repository.items_of(session, list(set(order_ids)))
        return [found.get(order_id, []) for order_id in order_ids]

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
        self,
        *,
        user_id: object,
        product_id: str | None = None,
        quantity: int | None = None,
        total_price: float | None = None,
        items: Sequence[ItemInput] | None = None,
        shipping_address: str | None = None,
        notes: str | None = None,
    ) -> OrderRow:
        """A new PENDING order from `items` or the single-product form; emits `order.created`.

        VALIDATION_FAILED for bad input or for both forms (or neither); the user and the
        products are not checked here: the inventory answers asynchronously (see `saga.py`).
        """
        values, lines = _order_values(
            user_id, product_id, quantity, total_price, items, shipping_address, notes
        )
        now = self.clock()
        row = OrderRow(
            **values,
            product_id=lines[0].sku,
            quantity=lines[0].quantity,
            status=OrderStatus.PENDING,
            created_at=now,
            updated_at=now,
        )
        async with self.db.write() as session:
            repository.add(session, row)
            await session.flush()
            for position, line in enumerate(lines):
                session.add(
                    OrderItemRow(
                        order_id=row.id,
                        position=position,
                        sku=line.sku,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                    )
                )
            await emit(
                session,
                outbox,
                source="orders",
                type="order.created",
                entity_type="Order",
                entity_id=format_id(row.id),
                payload={
                    "order_id": format_id(row.id),
                    "user_id": format_id(row.user_id),
                    "items": [
                        {
                            "sku": line.sku,
                            "quantity": line.quantity,
                            "unit_price": money(line.unit_price),
                        }
                        for line in lines
                    ],
                    "total_amount": money(row.total_price),
                },
            )
        return row

    async def change_status(self, order_id: object, status: OrderStatus) -> OrderRow:
        """Move an order along its life cycle; CONFLICT for any other move."""
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id, lock=True)
            if row is None:
                raise not_found(order_id)
            if status not in NEXT_STATUSES[row.status]:
                raise refused_transition(row.status, status)
            await move_status(session, row, status, now=self.clock())
        return row

    async def cancel(self, order_id: object, reason: str | None = None) -> OrderRow:
        """Cancel a PENDING or CONFIRMED order, keeping the reason; CONFLICT for any other."""
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        clean_reason = clean_optional_text(reason, "reason", MAX_REASON_LENGTH)
        if isinstance(clean_reason, FieldProblem):
            raise ValidationFailed.of([clean_reason])
        async with self.db.write() as session:
            row = await repository.get(session, row_id, lock=True)
            if row is None:
                raise not_found(order_id)
            if row.status not in CANCELLABLE:
                raise not_cancellable(order_id, row.status)
            await move_status(
                session, row, OrderStatus.CANCELLED, now=self.clock(), reason=clean_reason
            )
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
