"""Order rules: who may do what, validation, the status life cycle, soft delete.

An `OrderService` acts for one caller (`Identity`, or None for an anonymous one) and enforces
the access rules with each operation:

- placing an order: a user for themselves, admin or service for anyone; anonymous callers are
  UNAUTHENTICATED, a user placing one for another user is FORBIDDEN;
- reading: the owner, admin or service; to anyone else an order does not exist (null, left out
  of lists, NOT_FOUND when acted on), so ids leak nothing;
- cancelling: the owner (PENDING or CONFIRMED orders), admin or service;
- any other status change: admin or service; deleting: admin.

Every change others must hear about stores its event in the same transaction, with the caller's
subject as its actor: `order.created` when an order is placed, `order.status_changed` for every
move of its status (by a client, by a cancellation, or by the inventory's answer, see `saga.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.identity import ADMIN, SERVICE, Identity, is_privileged
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


def unauthenticated() -> Unauthenticated:
    """The error for an anonymous caller of an operation on orders."""
    return Unauthenticated(
        "Sign in first: orders are only shown to and changed by their owner, admins and services."
    )


def needs_roles(action: str, *roles: str) -> Forbidden:
    """The error for a caller without any of `roles`."""
    return Forbidden(f"{action} needs the role {' or '.join(roles)}.")


def no_user(action: str) -> Forbidden:
    """The error for a caller who is neither a user (with a user id), an admin nor a service."""
    return Forbidden(
        f"{action} needs a signed-in user (a token with a user id and the role user), "
        "or the role admin or service."
    )


def may_read(caller: Identity | None, row: OrderRow) -> bool:
    """The read rule: the order's owner, an admin or a service."""
    if is_privileged(caller):
        return True
    return caller is not None and caller.user_id is not None and caller.user_id == row.user_id


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
    actor: str | None = None,
) -> None:
    """Move a (locked) order to `status` and store `order.status_changed` with the move.

    `actor` is the subject of whoever made the move (None when unknown).
    """
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
        actor=actor,
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

    take("user_id", user_id if isinstance(user_id, FieldProblem) else clean_user_id(user_id))
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
    """What `caller` may do with orders, over the request's session.

    `get_many`, `by_users` and `items_of` are the DataLoaders' batch loads: they apply no rule,
    so what they find goes through `readable` before anyone sees it.
    """

    def __init__(self, db: RequestDb, caller: Identity | None, clock: Clock = utc_now) -> None:
        self.db = db
        self.caller = caller
        self.clock = clock

    # --- the rules ----------------------------------------------------------------------------

    def require_caller(self) -> Identity:
        """The caller; UNAUTHENTICATED for an anonymous one."""
        if self.caller is None:
            raise unauthenticated()
        return self.caller

    def require_roles(self, action: str, *roles: str) -> Identity:
        """The caller when it holds one of `roles`; UNAUTHENTICATED or FORBIDDEN otherwise."""
        caller = self.require_caller()
        if not any(caller.has_role(role) for role in roles):
            raise needs_roles(action, *roles)
        return caller

    def can_read(self, row: OrderRow | None) -> bool:
        """True when `row` is an order the caller may see (owner, admin or service)."""
        return row is not None and may_read(self.caller, row)

    def readable(self, row: OrderRow | None) -> OrderRow | None:
        """`row` when the caller may see it, else None (as if it did not exist)."""
        return row if row is not None and may_read(self.caller, row) else None

    def readable_rows(self, rows: Sequence[OrderRow]) -> list[OrderRow]:
        """The rows the caller may see, in their order."""
        return [row for row in rows if may_read(self.caller, row)]

    def _actor(self) -> str | None:
        return self.caller.subject if self.caller is not None else None

    def _user_of_new_order(self, user_id: object | None) -> object:
        """The user a new order is for: admins and services name anyone, users only themselves.

        A FieldProblem when a caller without a user id names nobody.
        """
        caller = self.require_caller()
        if is_privileged(caller):
            if user_id is None:
                if caller.user_id is not None:
                    return caller.user_id
                # Reported with every other bad field, as VALIDATION_FAILED.
                return FieldProblem(
                    "userId", "is required for a caller without a user id: name who orders"
                )
            return user_id
        if caller.user_id is None:
            raise no_user("Placing an order")
        if user_id is None:
            return caller.user_id
        wanted = parse_id(user_id)
        if wanted is not None and wanted != caller.user_id:
            raise Forbidden(
                "Users place orders for themselves only: leave userId out (or give your own id); "
                "ordering for another user needs the role admin or service.",
                field="userId",
            )
        return user_id

    async def _visible_for_change(self, session: AsyncSession, order_id: object) -> OrderRow:
        """The live order, locked, when the caller may see it; NOT_FOUND otherwise."""
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        row = await repository.get(session, row_id, lock=True)
        if row is None or not may_read(self.caller, row):
            raise not_found(order_id)
        return row

    # --- batch loads (no rule: see `readable`) -------------------------------------------------

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

    # --- operations -----------------------------------------------------------------------------

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        user_id: object | None = None,
        status: OrderStatus | None = None,
    ) -> Page[OrderRow]:
        """A page of live orders by id, filtered by user and status.

        Admins and services see every order; a user sees only their own, whatever `user_id`
        asks for (another user's id gives an empty page); UNAUTHENTICATED for anonymous callers.
        """
        caller = self.require_caller()
        request = page_request(page, page_size)
        row_user_id = None if user_id is None else parse_id(user_id)
        if user_id is not None and row_user_id is None:
            # No user has a malformed id, so no order matches.
            return Page(items=[], request=request, total=0)
        if not is_privileged(caller):
            if caller.user_id is None:
                raise no_user("Listing orders")
            if row_user_id is not None and row_user_id != caller.user_id:
                return Page(items=[], request=request, total=0)
            row_user_id = caller.user_id
        async with self.db.read() as session:
            return await repository.list_page(session, request, user_id=row_user_id, status=status)

    async def create(
        self,
        *,
        user_id: object | None = None,
        product_id: str | None = None,
        quantity: int | None = None,
        total_price: float | None = None,
        items: Sequence[ItemInput] | None = None,
        shipping_address: str | None = None,
        notes: str | None = None,
    ) -> OrderRow:
        """A new PENDING order from `items` or the single-product form; emits `order.created`.

        A user orders for themselves (`user_id` None means the caller), admins and services for
        anyone: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED for bad input or for both forms
        (or neither). The user and the products are not checked here: the inventory answers
        asynchronously (see `saga.py`).
        """
        owner = self._user_of_new_order(user_id)
        values, lines = _order_values(
            owner, product_id, quantity, total_price, items, shipping_address, notes
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
                actor=self._actor(),
            )
        return row

    async def change_status(self, order_id: object, status: OrderStatus) -> OrderRow:
        """Move an order along its life cycle (admin or service); CONFLICT for any other move."""
        self.require_roles("Changing an order's status", ADMIN, SERVICE)
        async with self.db.write() as session:
            row = await self._visible_for_change(session, order_id)
            if status not in NEXT_STATUSES[row.status]:
                raise refused_transition(row.status, status)
            await move_status(session, row, status, now=self.clock(), actor=self._actor())
        return row

    async def cancel(self, order_id: object, reason: str | None = None) -> OrderRow:
        """Cancel a PENDING or CONFIRMED order (owner, admin or service), keeping the reason.

        NOT_FOUND for an order the caller may not see, CONFLICT for one past CONFIRMED.
        """
        self.require_caller()
        clean_reason = clean_optional_text(reason, "reason", MAX_REASON_LENGTH)
        if isinstance(clean_reason, FieldProblem):
            raise ValidationFailed.of([clean_reason])
        async with self.db.write() as session:
            row = await self._visible_for_change(session, order_id)
            if row.status not in CANCELLABLE:
                raise not_cancellable(order_id, row.status)
            await move_status(
                session,
                row,
                OrderStatus.CANCELLED,
                now=self.clock(),
                reason=clean_reason,
                actor=self._actor(),
            )
        return row

    async def delete(self, order_id: object) -> bool:
        """Soft-delete a live order (admin); NOT_FOUND when missing or already deleted."""
        self.require_roles("Deleting an order", ADMIN)
        row_id = parse_id(order_id)
        if row_id is None:
            raise not_found(order_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(order_id)
            row.deleted_at = row.updated_at = self.clock()
        return True
