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

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from subgraphs.kit import idempotency
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.idempotency import KeyedRequest
from subgraphs.kit.identity import ADMIN, SERVICE, Identity, is_privileged
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.text import optional_text
from subgraphs.orders import repository
from subgraphs.orders.models import (
    OrderItemRow,
    OrderRow,
    OrderStatus,
    idempotency_keys,
    outbox,
)
from subgraphs.orders.validation import (
    MAX_REASON_LENGTH,
    ItemInput,
    clean_order,
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
            # The catalogue total once the inventory priced the order (it does so as it
            # confirms it), else null: payments takes the amount to charge from here.
            "total_amount": money(row.total_price) if row.total_price is not None else None,
        },
        actor=actor,
    )


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
        items: Sequence[ItemInput] | None = None,
        shipping_address: str | None = None,
        notes: str | None = None,
        idempotency_key: str | None = None,
    ) -> OrderRow:
        """A new PENDING order from `items` or the single-product form; emits `order.created`.

        A user orders for themselves (`user_id` None means the caller), admins and services for
        anyone: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED for bad input or for both forms
        (or neither). The order has no prices yet: the inventory prices it from the catalogue
        when it reserves the stock, and the user and products are checked then (`saga.py`).

        With `idempotency_key`, the caller's earlier order placed with the same key and request
        is the answer (as it is now), IDEMPOTENCY_KEY_REUSED if the key named another request.
        """
        owner = self._user_of_new_order(user_id)
        values, lines = clean_order(
            owner, product_id, quantity, items, shipping_address, notes, idempotency_key
        )
        keyed = KeyedRequest.of(
            self.require_caller(),
            values.pop("idempotency_key"),
            "createOrder",
            {
                "user_id": values["user_id"],
                "items": [[line.sku, line.quantity] for line in lines],
                "shipping_address": values["shipping_address"],
                "notes": values["notes"],
            },
        )
        now = self.clock()
        row = OrderRow(
            **values,
            product_id=lines[0].sku,
            quantity=lines[0].quantity,
            total_price=None,
            status=OrderStatus.PENDING,
            created_at=now,
            updated_at=now,
        )
        async with self.db.write() as session:
            if keyed is not None:
                earlier = await idempotency.claim(session, idempotency_keys, keyed, now=now)
                if earlier is not None:
                    return await self._earlier_order(session, earlier)
            repository.add(session, row)
            await session.flush()
            if keyed is not None:
                await idempotency.bind(session, idempotency_keys, keyed, row.id)
            for position, line in enumerate(lines):
                session.add(
                    OrderItemRow(
                        order_id=row.id,
                        position=position,
                        sku=line.sku,
                        quantity=line.quantity,
                        unit_price=None,
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
                    "items": [{"sku": line.sku, "quantity": line.quantity} for line in lines],
                },
                actor=self._actor(),
            )
        return row

    async def _earlier_order(self, session: AsyncSession, order_id: int) -> OrderRow:
        """The order an earlier request with the same key placed; NOT_FOUND once deleted."""
        row = await repository.get(session, order_id)
        if row is None or not may_read(self.caller, row):
            raise not_found(order_id)
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
        clean_reason = optional_text(reason, "reason", MAX_REASON_LENGTH)
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
