"""Payment rules: who may pay, the amount is the order's catalogue total, one live payment per
order, the life cycle, idempotency keys.

A `PaymentService` acts for one caller (`Identity`, or None for an anonymous one) and enforces
the access rules with each operation:

- creating a payment: for the caller's own order (payments knows each order's user from the
  order events it consumes), or any order for admins and services; someone else's order is
  NOT_FOUND, exactly like an order payments never heard of;
- reading and processing (paying): the payment's owner, admin or service; to anyone else a
  payment does not exist (null, left out of lists, NOT_FOUND when acted on);
- refunding: admin or service. Anonymous callers are UNAUTHENTICATED.

PENDING -> PROCESSING -> SUCCEEDED or FAILED (one `process` call), SUCCEEDED -> REFUNDED. Each
status change that others must hear about stores its event in the same transaction, with the
caller's subject as its actor.

The amount is the order's total as the read model has it from the order's confirmation, which
the catalogue priced (`read_model.py`); an order without a total yet cannot be paid. Create,
process and refund take an idempotency key (`subgraphs.kit.idempotency`): a retry with the same
key answers the payment the first request made or acted on, as it is now. A keyed process whose
first request died between PROCESSING and the charge's outcome resumes the charge; the provider
is given the payment id as its own idempotency key, so it charges a payment at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, Forbidden, NotFound, Unauthenticated
from common.logging import get_logger
from subgraphs.kit import idempotency
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.idempotency import KeyedRequest, clean_idempotency_key
from subgraphs.kit.identity import ADMIN, SERVICE, Identity, is_privileged
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.validation import require_valid
from subgraphs.payments import repository
from subgraphs.payments.models import (
    PaymentMethod,
    PaymentRow,
    PaymentStatus,
    idempotency_keys,
    outbox,
)
from subgraphs.payments.provider import ChargeRequest, ChargeResult, FakeProvider, PaymentProvider
from subgraphs.payments.validation import (
    clean_card_token,
    clean_currency,
    clean_order_id,
    clean_reason,
)

logger = get_logger(__name__)

S = PaymentStatus
#: The only moves a payment's status may make; FAILED and REFUNDED are final.
NEXT_STATUSES: dict[PaymentStatus, tuple[PaymentStatus, ...]] = {
    S.PENDING: (S.PROCESSING,),
    S.PROCESSING: (S.SUCCEEDED, S.FAILED),
    S.SUCCEEDED: (S.REFUNDED,),
    S.FAILED: (),
    S.REFUNDED: (),
}
#: The order status (as the orders subgraph announces it) that refuses payment.
CANCELLED_ORDER = "CANCELLED"
PROVIDER_DOWN = "the payment provider did not answer; create a new payment to try again"
#: What each status change emits (`source` is always "payments").
EVENT_OF = {
    S.SUCCEEDED: "payment.succeeded",
    S.FAILED: "payment.failed",
    S.REFUNDED: "payment.refunded",
}


_DONE = {"process": "processed", "settle": "settled", "refund": "refunded"}


def unauthenticated() -> Unauthenticated:
    """The error for an anonymous caller of an operation on payments."""
    return Unauthenticated(
        "Sign in first: payments are only shown to and made by the order's owner, admins and "
        "services."
    )


def no_user(action: str) -> Forbidden:
    """The error for a caller who is neither a user (with a user id), an admin nor a service."""
    return Forbidden(
        f"{action} needs a signed-in user (a token with a user id and the role user), "
        "or the role admin or service."
    )


def may_read(caller: Identity | None, user_id: int) -> bool:
    """The read rule for a payment or an order of `user_id`: that user, an admin or a service."""
    if is_privileged(caller):
        return True
    return caller is not None and caller.user_id is not None and caller.user_id == user_id


def not_found(payment_id: object) -> NotFound:
    """The error for an id that names no payment."""
    return NotFound(f"No payment with id {payment_id!s}.", field="id")


def unknown_order(order_id: object) -> NotFound:
    """The error for an order the read model has not heard of."""
    return NotFound(
        f"No order with id {order_id!s} is known to payments. A new order reaches payments "
        "through its order.created event within moments: retry shortly if you just created it.",
        field="orderId",
    )


def refused(payment: PaymentRow, action: str, needed: PaymentStatus) -> Conflict:
    """The error for a status change the life cycle does not allow from the current status."""
    return Conflict(
        f"Cannot {action} payment {payment.id}: it is {payment.status}, "
        f"and only a {needed} payment can be {_DONE[action]}.",
        field="status",
    )


def already_paid(order_id: int, payment: PaymentRow) -> Conflict:
    """The error for a second payment of an order whose payment has not failed."""
    return Conflict(
        f"Order {order_id} already has payment {payment.id} ({payment.status}); "
        "only after a payment FAILED may the order be paid again.",
        field="orderId",
    )


def not_priced(order_id: object) -> NotFound:
    """The error for an order whose catalogue total payments has not heard of yet."""
    return NotFound(
        f"Order {order_id!s} has no total yet: the inventory prices an order from the catalogue "
        "when it confirms it, within moments of placing it. Retry shortly.",
        field="orderId",
    )


def order_cancelled(order_id: int) -> Conflict:
    """The error for paying a cancelled order."""
    return Conflict(f"Order {order_id} is CANCELLED and cannot be paid.", field="orderId")


class PaymentService:
    """What `caller` may do with payments, over the request's session.

    `get_many` and `latest_by_orders` are the DataLoaders' batch loads: they apply no rule, so
    what they find goes through `readable` before anyone sees it.
    """

    def __init__(
        self,
        db: RequestDb,
        caller: Identity | None,
        provider: PaymentProvider | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db
        self.caller = caller
        self.provider: PaymentProvider = provider or FakeProvider()
        self.clock = clock

    # --- the rules ----------------------------------------------------------------------------

    def require_caller(self) -> Identity:
        """The caller; UNAUTHENTICATED for an anonymous one."""
        if self.caller is None:
            raise unauthenticated()
        return self.caller

    def can_read(self, row: PaymentRow | None) -> bool:
        """True when `row` is a payment the caller may see (owner, admin or service)."""
        return row is not None and may_read(self.caller, row.user_id)

    def readable(self, row: PaymentRow | None) -> PaymentRow | None:
        """`row` when the caller may see it, else None (as if it did not exist)."""
        return row if row is not None and may_read(self.caller, row.user_id) else None

    def _actor(self) -> str | None:
        return self.caller.subject if self.caller is not None else None

    # --- batch loads (no rule: see `readable`) -------------------------------------------------

    async def get_many(self, payment_ids: Sequence[int]) -> list[PaymentRow | None]:
        """Payments in the order of `payment_ids` (None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(payment_ids)))
        return [found.get(payment_id) for payment_id in payment_ids]

    async def latest_by_orders(self, order_ids: Sequence[int]) -> list[PaymentRow | None]:
        """Each order's latest payment (None for orders without one), in one query."""
        async with self.db.read() as session:
            found = await repository.latest_by_orders(session, list(set(order_ids)))
        return [found.get(order_id) for order_id in order_ids]

    # --- operations -----------------------------------------------------------------------------

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        status: PaymentStatus | None = None,
        user_id: object | None = None,
        order_id: object | None = None,
    ) -> Page[PaymentRow]:
        """A page of payments by id, filtered by status, user and order.

        Admins and services see every payment; a user sees only their own, whatever `user_id`
        asks for (another user's id gives an empty page); UNAUTHENTICATED for anonymous callers.
        """
        caller = self.require_caller()
        request = page_request(page, page_size)
        ids = {"user_id": user_id, "order_id": order_id}
        parsed = {key: parse_id(value) for key, value in ids.items() if value is not None}
        if any(value is None for value in parsed.values()):
            # No user or order has a malformed id, so no payment matches.
            return Page(items=[], request=request, total=0)
        if not is_privileged(caller):
            if caller.user_id is None:
                raise no_user("Listing payments")
            if parsed.get("user_id", caller.user_id) != caller.user_id:
                return Page(items=[], request=request, total=0)
            parsed["user_id"] = caller.user_id
        async with self.db.read() as session:
            return await repository.list_page(session, request, status=status, **parsed)

    async def create(
        self,
        *,
        order_id: object,
        method: PaymentMethod,
        currency: str | None = None,
        card_token: str | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentRow:
        """A PENDING payment of the order's catalogue total, for the caller's own order (admins
        and services: any order); UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (also someone else's
        order, or one without a total yet), CONFLICT, VALIDATION_FAILED or
        IDEMPOTENCY_KEY_REUSED."""
        caller = self.require_caller()
        if not is_privileged(caller) and caller.user_id is None:
            raise no_user("Paying an order")
        values = require_valid(
            {
                "order_id": clean_order_id(order_id),
                "currency": clean_currency(currency),
                "card_token": clean_card_token(card_token, method),
                "idempotency_key": clean_idempotency_key(idempotency_key),
            }
        )
        keyed = KeyedRequest.of(
            caller,
            values.pop("idempotency_key"),
            "createPayment",
            {**values, "method": str(method)},
        )
        row_order_id: int = values["order_id"]
        now = self.clock()
        try:
            async with self.db.write() as session:
                earlier = await self._claim(session, keyed)
                if earlier is not None:
                    return earlier
                order = await repository.get_order(session, row_order_id)
                if order is None or not may_read(caller, order.user_id):
                    # Someone else's order answers as one payments never heard of: no leak.
                    raise unknown_order(order_id)
                if order.status == CANCELLED_ORDER:
                    raise order_cancelled(row_order_id)
                if order.total_amount is None:
                    raise not_priced(order_id)
                existing = await repository.not_failed_for_order(session, row_order_id)
                if existing is not None:
                    raise already_paid(row_order_id, existing)
                if order.total_amount <= 0:
                    raise Conflict(
                        f"Order {row_order_id} totals {order.total_amount}: nothing to pay.",
                        field="orderId",
                    )
                row = PaymentRow(
                    **values,
                    user_id=order.user_id,
                    amount=Decimal(order.total_amount),
                    method=method,
                    status=PaymentStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
                repository.add(session, row)
                await session.flush()
                await self._bind(session, keyed, row.id)
        except IntegrityError:
            # Another request created a payment for the order between our check and our insert.
            raise Conflict(
                f"Order {row_order_id} already has a payment that has not failed.",
                field="orderId",
            ) from None
        return row

    async def process(self, payment_id: object, idempotency_key: str | None = None) -> PaymentRow:
        """PENDING -> PROCESSING (committed), charge, then SUCCEEDED or FAILED with its event.

        The payment's owner, admin or service: NOT_FOUND for a payment the caller may not see.
        A retry with the key of an earlier call answers that payment; if that call died before
        the charge's outcome was stored (still PROCESSING), the retry completes the charge.
        """
        caller = self.require_caller()
        key = require_valid({"key": clean_idempotency_key(idempotency_key)})["key"]
        row_id = parse_id(payment_id)
        if row_id is None:
            raise not_found(payment_id)
        keyed = KeyedRequest.of(caller, key, "processPayment", {"payment_id": row_id})
        async with self.db.write() as session:
            earlier = await self._claim(session, keyed)
            if earlier is not None and earlier.status is not S.PROCESSING:
                return earlier
            if earlier is None:
                row = await self._start_charge(session, row_id, payment_id)
                await self._bind(session, keyed, row.id)
            else:
                row = earlier
            request = ChargeRequest(
                payment_id=row.id,
                amount=row.amount,
                currency=row.currency,
                method=row.method,
                card_token=row.card_token,
            )
        # The charge runs outside any transaction: PROCESSING is visible meanwhile.
        try:
            result = await self.provider.charge(request)
        except Exception:
            logger.exception("payment provider failed", extra={"payment_id": row_id})
            result = ChargeResult(False, failure_reason=PROVIDER_DOWN)
        outcome = S.SUCCEEDED if result.succeeded else S.FAILED
        async with self.db.write() as session:
            settled = await repository.move_status(
                session,
                row.id,
                S.PROCESSING,
                outcome,
                self.clock(),
                provider_reference=result.reference,
                failure_reason=result.failure_reason,
            )
            await session.refresh(row)
            if not settled:
                if earlier is not None:
                    return row  # the first call settled it meanwhile: its outcome is the answer
                raise refused(row, "settle", S.PROCESSING)
            await self._emit(session, row, outcome, reason=result.failure_reason)
        return row

    async def _start_charge(
        self, session: AsyncSession, row_id: int, payment_id: object
    ) -> PaymentRow:
        """The caller's PENDING payment, moved to PROCESSING; NOT_FOUND, CONFLICT otherwise."""
        row = await repository.get(session, row_id)
        if row is None or not self.can_read(row):
            raise not_found(payment_id)
        await self._move(session, row, S.PENDING, S.PROCESSING, "process")
        order = await repository.get_order(session, row.order_id)
        if order is not None and order.status == CANCELLED_ORDER:
            raise order_cancelled(row.order_id)
        return row

    async def refund(
        self, payment_id: object, reason: str, idempotency_key: str | None = None
    ) -> PaymentRow:
        """SUCCEEDED -> REFUNDED through the provider, with its event (admin or service);
        CONFLICT from any other status. A retry with the key of an earlier refund answers it."""
        caller = self.require_caller()
        if not is_privileged(caller):
            raise Forbidden(f"Refunding a payment needs the role {ADMIN} or {SERVICE}.")
        values = require_valid(
            {"reason": clean_reason(reason), "key": clean_idempotency_key(idempotency_key)}
        )
        row_id = parse_id(payment_id)
        if row_id is None:
            raise not_found(payment_id)
        keyed = KeyedRequest.of(
            caller,
            values["key"],
            "refundPayment",
            {"payment_id": row_id, "reason": values["reason"]},
        )
        async with self.db.write() as session:
            earlier = await self._claim(session, keyed)
            if earlier is not None:
                return earlier
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(payment_id)
            await self._move(
                session, row, S.SUCCEEDED, S.REFUNDED, "refund", refund_reason=values["reason"]
            )
            await self._bind(session, keyed, row.id)
            # Inside the transaction: should the provider refuse, the payment stays SUCCEEDED,
            # and the moved row stays locked against a second refund meanwhile.
            await self.provider.refund(row.provider_reference or "", row.amount, row.currency)
            await self._emit(session, row, S.REFUNDED, reason=values["reason"])
        return row

    async def _claim(self, session: AsyncSession, keyed: KeyedRequest | None) -> PaymentRow | None:
        """Claim the request's key: None when it is free (or there is none), else the payment
        the earlier request with the key made or acted on (NOT_FOUND if the caller may no longer
        see it)."""
        if keyed is None:
            return None
        payment_id = await idempotency.claim(session, idempotency_keys, keyed, now=self.clock())
        if payment_id is None:
            return None
        row = await repository.get(session, payment_id)
        if row is None or not self.can_read(row):
            raise not_found(payment_id)
        return row

    async def _bind(self, session: AsyncSession, keyed: KeyedRequest | None, row_id: int) -> None:
        if keyed is not None:
            await idempotency.bind(session, idempotency_keys, keyed, row_id)

    async def _move(
        self,
        session: AsyncSession,
        row: PaymentRow,
        current: PaymentStatus,
        new: PaymentStatus,
        action: str,
        **values: object,
    ) -> None:
        """Move `row` from `current` to `new` or raise the CONFLICT naming its actual status."""
        if row.status is not current or not await repository.move_status(
            session, row.id, current, new, self.clock(), **values
        ):
            await session.refresh(row)
            raise refused(row, action, current)
        await session.refresh(row)

    async def _emit(
        self, session: AsyncSession, row: PaymentRow, status: PaymentStatus, *, reason: str | None
    ) -> None:
        """Store the event of the status change in the session's transaction."""
        # Ids as GraphQL IDs and amounts as decimal strings, like every domain's events.
        payload: dict[str, object] = {
            "payment_id": format_id(row.id),
            "order_id": format_id(row.order_id),
            "user_id": format_id(row.user_id),
            "amount": str(row.amount),
            "currency": row.currency,
        }
        if reason is not None:
            payload["reason"] = reason
        await emit(
            session,
            outbox,
            source="payments",
            type=EVENT_OF[status],
            entity_type="Payment",
            entity_id=row.id,
            payload=payload,
            actor=self._actor(),
        )
