"""The payments subgraph's GraphQL schema: `Payment @key(fields: "id")`, `Order.payment`.

`Order` here holds only its key and `payment`; `User` only its key (this subgraph adds nothing to
users, so its key is not resolvable here). Resolvers call the service (acting for the caller,
`info.context.identity`) or the DataLoaders; what the loaders find passes the service's read rule
(owner, admin or service) first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.identity import require_user_id
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, Page, PageInfo
from subgraphs.kit.schema import build_schema
from subgraphs.payments.loaders import PaymentLoaders
from subgraphs.payments.models import PaymentMethod, PaymentRow, PaymentStatus
from subgraphs.payments.service import PaymentService
from subgraphs.payments.validation import DEFAULT_CURRENCY

PaymentsInfo = Info[RequestContext[PaymentLoaders], None]

# The domain enums themselves become the GraphQL enums, so rows and resolvers share one type.
strawberry.enum(
    PaymentStatus,
    description="PENDING -> PROCESSING -> SUCCEEDED or FAILED; SUCCEEDED -> REFUNDED.",
)
strawberry.enum(PaymentMethod, description="How the customer pays.")


# No description: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class User:
    """A reference to the users subgraph's entity; this subgraph adds no field to it."""

    id: strawberry.ID


# No description: the orders subgraph owns Order and describes it.
@strawberry.federation.type(keys=["id"])
class Order:
    """The orders subgraph's entity; this subgraph adds `payment`."""

    id: strawberry.ID

    @strawberry.field(
        description="The order's payment: the one that has not failed, else the latest failed one; "
        "null for anyone but the order's owner, admins and services."
    )
    async def payment(self, info: PaymentsInfo) -> Payment | None:
        return await _payment_of_order(info, _service(info), self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Order:
        """Any id: whether the order exists is for the orders subgraph to say."""
        return cls(id=strawberry.ID(str(id)))


@strawberry.federation.type(keys=["id"], description="A payment of one order's total.")
class Payment:
    """A payment."""

    id: strawberry.ID
    order_id: strawberry.ID
    user_id: strawberry.ID
    amount: float = strawberry.field(description="The order's total when the payment was made.")
    currency: str = strawberry.field(description="ISO 4217 code, like USD.")
    method: PaymentMethod
    status: PaymentStatus
    provider_reference: str | None = strawberry.field(
        description="The provider's reference of a successful charge."
    )
    failure_reason: str | None = strawberry.field(description="Why a FAILED payment failed.")
    refund_reason: str | None = strawberry.field(description="Why a REFUNDED payment was refunded.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The paid order (resolved by the orders subgraph).")
    def order(self) -> Order | None:
        # Nullable on purpose: a deleted order must not null the whole payment in the answer.
        return Order(id=self.order_id)

    @strawberry.field(description="Who pays (resolved by the users subgraph); null once deleted.")
    def user(self) -> User | None:
        return User(id=self.user_id)

    @classmethod
    def from_row(cls, row: PaymentRow) -> Payment:
        """The GraphQL view of a payment row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            order_id=strawberry.ID(format_id(row.order_id)),
            user_id=strawberry.ID(format_id(row.user_id)),
            amount=float(row.amount),
            currency=row.currency,
            method=row.method,
            status=row.status,
            provider_reference=row.provider_reference,
            failure_reason=row.failure_reason,
            refund_reason=row.refund_reason,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
        )

    @classmethod
    async def resolve_reference(cls, info: PaymentsInfo, id: strawberry.ID) -> Payment | None:
        """The payment an `_entities` representation names; None when missing or not the
        caller's to see (anonymous callers included)."""
        return await _load_payment(info, _service(info), id)


def _service(info: PaymentsInfo) -> PaymentService:
    """The service acting for this request's caller."""
    return PaymentService(info.context.db, info.context.identity)


async def _load_payment(
    info: PaymentsInfo, service: PaymentService, payment_id: object
) -> Payment | None:
    row_id = parse_id(payment_id)
    if row_id is None:
        return None
    row = service.readable(await info.context.loaders.payment_by_id.load(row_id))
    return Payment.from_row(row) if row is not None else None


async def _payment_of_order(
    info: PaymentsInfo, service: PaymentService, order_id: object
) -> Payment | None:
    row_id = parse_id(order_id)
    if row_id is None:
        return None
    row = service.readable(await info.context.loaders.payment_by_order.load(row_id))
    return Payment.from_row(row) if row is not None else None


@strawberry.type(description="A page of payments.")
class PaymentPage:
    """Payments of one page and where the page sits."""

    items: list[Payment]
    page_info: PageInfo


_KEY_DESCRIPTION = (
    "A key of your choosing (a UUID) that makes a retry safe: unique per caller, 1 to 255 "
    "printable ASCII characters without spaces. The same key and request answer the"
)


@strawberry.input(description="A payment of an order's whole total; it starts PENDING.")
class CreatePaymentInput:
    """Fields of a new payment (the amount is the order's total, not an input)."""

    order_id: strawberry.ID
    method: PaymentMethod
    currency: str = strawberry.field(
        default=DEFAULT_CURRENCY, description="ISO 4217 code: 3 capital letters."
    )
    card_token: str | None = strawberry.field(
        default=None, description="The provider's card token (`tok_...`); CARD payments only."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=f"{_KEY_DESCRIPTION} payment the first request created."
    )


def _page(result: Page[PaymentRow]) -> PaymentPage:
    return PaymentPage(
        items=[Payment.from_row(row) for row in result.items], page_info=PageInfo.of(result)
    )


@strawberry.type
class Query:
    """Read payments."""

    @strawberry.field(
        description="The payment with this id, for its owner, admins and services; null when "
        "missing or someone else's. Errors: UNAUTHENTICATED."
    )
    async def payment(self, info: PaymentsInfo, id: strawberry.ID) -> Payment | None:
        service = _service(info)
        service.require_caller()
        return await _load_payment(info, service, id)

    @strawberry.field(
        description="Payments by id, filtered by status, user and order. Admins and services see "
        "every payment; a user sees only their own (another userId gives an empty page). "
        "Errors: UNAUTHENTICATED, FORBIDDEN (a token with no user and no admin or service "
        "role), VALIDATION_FAILED (page, pageSize)."
    )
    async def payments(
        self,
        info: PaymentsInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        status: PaymentStatus | None = None,
        user_id: strawberry.ID | None = None,
        order_id: strawberry.ID | None = None,
    ) -> PaymentPage:
        result = await _service(info).list_page(
            page=page, page_size=page_size, status=status, user_id=user_id, order_id=order_id
        )
        return _page(result)

    @strawberry.field(
        description="The signed-in user's payments. Errors: UNAUTHENTICATED, FORBIDDEN (a token "
        "with no user)."
    )
    async def my_payments(
        self, info: PaymentsInfo, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
    ) -> PaymentPage:
        user_id = require_user_id(info.context)
        result = await _service(info).list_page(page=page, page_size=page_size, user_id=user_id)
        return _page(result)

    @strawberry.field(
        description="The order's payment (as `Order.payment`), for the order's owner, admins and "
        "services; null when none or someone else's. Errors: UNAUTHENTICATED."
    )
    async def payment_by_order(self, info: PaymentsInfo, order_id: strawberry.ID) -> Payment | None:
        service = _service(info)
        service.require_caller()
        return await _payment_of_order(info, service, order_id)


@strawberry.type
class Mutation:
    """Change payments."""

    @strawberry.mutation(
        description=(
            "Create a PENDING payment of the order's total, as the catalogue priced it. For your "
            "own order; admins and services for any order. Errors: UNAUTHENTICATED, FORBIDDEN "
            "(a token with no user and no admin or service role), VALIDATION_FAILED, NOT_FOUND "
            "(orderId: unknown to payments yet or not priced yet, retry shortly; or someone "
            "else's order), CONFLICT (orderId: cancelled or already paid), "
            "IDEMPOTENCY_KEY_REUSED."
        )
    )
    async def create_payment(self, info: PaymentsInfo, input: CreatePaymentInput) -> Payment:
        row = await _service(info).create(
            order_id=input.order_id,
            method=input.method,
            currency=input.currency,
            card_token=input.card_token,
            idempotency_key=input.idempotency_key,
        )
        return Payment.from_row(row)

    @strawberry.mutation(
        description=(
            "Charge a PENDING payment: it ends SUCCEEDED or FAILED (with failureReason). "
            "Owner, admin or service. Errors: UNAUTHENTICATED, NOT_FOUND (also someone else's "
            "payment), CONFLICT (status), VALIDATION_FAILED and IDEMPOTENCY_KEY_REUSED "
            "(idempotencyKey)."
        )
    )
    async def process_payment(
        self,
        info: PaymentsInfo,
        id: strawberry.ID,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(description=f"{_KEY_DESCRIPTION} payment as processed."),
        ] = None,
    ) -> Payment:
        row = await _service(info).process(id, idempotency_key)
        return Payment.from_row(row)

    @strawberry.mutation(
        description=(
            "Refund a SUCCEEDED payment. Admin or service. Errors: UNAUTHENTICATED, FORBIDDEN, "
            "VALIDATION_FAILED (reason, idempotencyKey), NOT_FOUND, CONFLICT (status), "
            "IDEMPOTENCY_KEY_REUSED."
        )
    )
    async def refund_payment(
        self,
        info: PaymentsInfo,
        id: strawberry.ID,
        reason: str,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(description=f"{_KEY_DESCRIPTION} payment as refunded."),
        ] = None,
    ) -> Payment:
        row = await _service(info).refund(id, reason, idempotency_key)
        return Payment.from_row(row)


schema = build_schema(query=Query, mutation=Mutation, types=[User])
