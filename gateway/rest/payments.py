"""Payments over REST, each endpoint one operation of the payments subgraph:

`POST /api/v1/payments` (`Idempotency-Key`), `GET /api/v1/payments`,
`GET /api/v1/payments/my-payments`, `GET /api/v1/payments/order/{order_id}`,
`GET /api/v1/payments/{id}`, `POST /api/v1/payments/{id}/process` (`Idempotency-Key`),
`POST /api/v1/payments/{id}/refund` (`Idempotency-Key`).

A payment is of an order the payments subgraph has heard of (it learns orders from their
events, so a just-placed order may answer 404 for a moment); it starts pending, `process`
charges it (succeeded or failed), `refund` (admins and services) refunds a succeeded one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.rest.case import graph_input
from gateway.rest.idempotent import IdempotencyKey, with_key
from gateway.rest.schemas import WITH_BODY, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    IdFilter,
    Lowered,
    PageNumber,
    PageSize,
    PathId,
    RowId,
    graph_id,
    page_variables,
)

PAYMENTS_PATH = "/api/v1/payments"
Method = Literal["card", "bank_transfer", "wallet"]
Status = Literal["pending", "processing", "succeeded", "failed", "refunded"]
#: Answers to a new payment that are not kept under its Idempotency-Key: payments has not heard
#: of the order or of its total yet, and says to retry shortly.
NOT_PAYABLE_YET = frozenset({404})
#: The subgraph's own limits (subgraphs/payments/validation.py).
MAX_CARD_TOKEN_LENGTH = 64
MAX_REASON_LENGTH = 500


class Payment(BaseModel):
    """A payment of one order's whole total."""

    id: int = Field(examples=[1])
    order_id: int = Field(examples=[1])
    user_id: int = Field(description="Who pays: the order's user.", examples=[1])
    amount: float = Field(description="The order's total when the payment was made.")
    currency: str = Field(description="ISO 4217 code.", examples=["USD"])
    method: Annotated[Method, Lowered]
    status: Annotated[Status, Lowered] = Field(
        description="pending -> processing -> succeeded or failed; succeeded -> refunded."
    )
    provider_reference: str | None = Field(
        default=None, description="The provider's reference of a successful charge."
    )
    failure_reason: str | None = Field(default=None, description="Why a failed payment failed.")
    refund_reason: str | None = Field(
        default=None, description="Why a refunded payment was refunded."
    )
    created_at: datetime
    updated_at: datetime


class NewPayment(BaseModel):
    """A payment of the order's whole total. For your own order; admins and services for any
    order. `card_token` (`tok_...`) only with the `card` method."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"order_id": 1, "method": "card", "currency": "USD", "card_token": "tok_visa"},
                {"order_id": 2, "method": "wallet"},
            ]
        },
    )

    order_id: RowId
    method: Method
    currency: str = Field(
        default="USD",
        min_length=3,
        max_length=3,
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code: 3 capital letters.",
        examples=["USD"],
    )
    card_token: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CARD_TOKEN_LENGTH,
        pattern=r"^tok_[A-Za-z0-9_]+$",
        description="The provider's card token; `card` payments only.",
        examples=["tok_visa"],
    )


class Refund(BaseModel):
    """Why the payment is refunded."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"reason": "Customer request"}]},
    )

    reason: str = Field(
        min_length=1,
        max_length=MAX_REASON_LENGTH,
        # Control characters (NUL above all) have no place in a reason and some databases
        # refuse them.
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        description=f"1 to {MAX_REASON_LENGTH} characters, not blank.",
    )


_PAYMENT = (
    "{ id orderId userId amount currency method status providerReference failureReason"
    " refundReason createdAt updatedAt }"
)
_PAGE = f"{{ items {_PAYMENT} pageInfo {{ page pageSize totalPages totalCount }} }}"
CREATE = Operation(
    "CreatePayment",
    "mutation CreatePayment($input: CreatePaymentInput!) {"
    f" createPayment(input: $input) {_PAYMENT} }}",
    "createPayment",
)
GET = Operation("Payment", f"query Payment($id: ID!) {{ payment(id: $id) {_PAYMENT} }}", "payment")
BY_ORDER = Operation(
    "PaymentByOrder",
    f"query PaymentByOrder($orderId: ID!) {{ paymentByOrder(orderId: $orderId) {_PAYMENT} }}",
    "paymentByOrder",
)
LIST = Operation(
    "Payments",
    "query Payments($page: Int!, $pageSize: Int!, $status: PaymentStatus, $userId: ID,"
    " $orderId: ID) { payments(page: $page, pageSize: $pageSize, status: $status,"
    f" userId: $userId, orderId: $orderId) {_PAGE} }}",
    "payments",
)
MINE = Operation(
    "MyPayments",
    "query MyPayments($page: Int!, $pageSize: Int!) {"
    f" myPayments(page: $page, pageSize: $pageSize) {_PAGE} }}",
    "myPayments",
)
PROCESS = Operation(
    "ProcessPayment",
    "mutation ProcessPayment($id: ID!, $idempotencyKey: String) {"
    f" processPayment(id: $id, idempotencyKey: $idempotencyKey) {_PAYMENT} }}",
    "processPayment",
)
REFUND = Operation(
    "RefundPayment",
    "mutation RefundPayment($id: ID!, $reason: String!, $idempotencyKey: String) {"
    f" refundPayment(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {_PAYMENT} }}",
    "refundPayment",
)


def payments_router(shim: Shim) -> APIRouter:
    """The payment endpoints; `/my-payments` and `/order/{order_id}` before `/{payment_id}`."""
    router = APIRouter(prefix=PAYMENTS_PATH, tags=["payments"])

    @router.post(
        "",
        status_code=201,
        operation_id="createPayment",
        summary="Create a pending payment of an order (its owner, admins and services)",
        responses=responses(One[Payment], status=201, errors=(*WITH_BODY, 404, 409), created=True),
    )
    async def create_payment(
        request: Request, body: NewPayment, idempotency_key: IdempotencyKey = None
    ) -> Response:
        async def act() -> JSONResponse:
            variables = {"input": with_key(graph_input(body, enums=("method",)), idempotency_key)}
            return await shim.created(
                request,
                CREATE,
                variables,
                Payment,
                lambda payment: f"{PAYMENTS_PATH}/{payment['id']}",
            )

        # 404 on a new order means "not payable yet, retry shortly": not kept, so the retry may
        # keep its key (the payments subgraph keeps the key with the payment it makes).
        return await shim.idempotent(request, idempotency_key, body, act, NOT_PAYABLE_YET)

    @router.get(
        "",
        operation_id="listPayments",
        summary="Payments (every one for admins and services, a user's own for a user)",
        responses=responses(Many[Payment]),
    )
    async def list_payments(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        status: Status | None = None,
        user_id: IdFilter = None,
        order_id: IdFilter = None,
    ) -> JSONResponse:
        variables = page_variables(
            page,
            page_size,
            status=status.upper() if status is not None else None,
            userId=graph_id(user_id),
            orderId=graph_id(order_id),
        )
        return await shim.page(request, LIST, variables, Payment)

    @router.get(
        "/my-payments",
        operation_id="myPayments",
        summary="The signed-in user's payments",
        responses=responses(Many[Payment]),
    )
    async def my_payments(
        request: Request, page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE
    ) -> JSONResponse:
        return await shim.page(request, MINE, page_variables(page, page_size), Payment)

    @router.get(
        "/order/{order_id:int}",
        operation_id="getPaymentByOrder",
        summary="An order's payment: the one that has not failed, else the latest failed one "
        "(the order's owner, admins and services)",
        responses=responses(One[Payment], errors=(404,)),
    )
    async def payment_by_order(request: Request, order_id: PathId) -> JSONResponse:
        return await shim.one(
            request,
            BY_ORDER,
            {"orderId": graph_id(order_id)},
            Payment,
            missing=("payment of order", order_id),
        )

    @router.get(
        "/{payment_id:int}",
        operation_id="getPayment",
        summary="One payment (its owner, admins and services)",
        responses=responses(One[Payment], errors=(404,)),
    )
    async def get_payment(request: Request, payment_id: PathId) -> JSONResponse:
        return await shim.one(
            request, GET, {"id": graph_id(payment_id)}, Payment, missing=("payment", payment_id)
        )

    @router.post(
        "/{payment_id:int}/process",
        operation_id="processPayment",
        summary="Charge a pending payment: it ends succeeded or failed (its owner, admins and "
        "services)",
        responses=responses(One[Payment], errors=(404, 409)),
    )
    async def process_payment(
        request: Request, payment_id: PathId, idempotency_key: IdempotencyKey = None
    ) -> Response:
        async def act() -> JSONResponse:
            variables = with_key({"id": graph_id(payment_id)}, idempotency_key)
            return await shim.one(request, PROCESS, variables, Payment)

        return await shim.idempotent(request, idempotency_key, None, act)

    @router.post(
        "/{payment_id:int}/refund",
        operation_id="refundPayment",
        summary="Refund a succeeded payment (admins and services)",
        responses=responses(One[Payment], errors=(*WITH_BODY, 404, 409)),
    )
    async def refund_payment(
        request: Request,
        payment_id: PathId,
        body: Refund,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        async def act() -> JSONResponse:
            variables = {"id": graph_id(payment_id), "reason": body.reason}
            return await shim.one(request, REFUND, with_key(variables, idempotency_key), Payment)

        return await shim.idempotent(request, idempotency_key, body, act)

    return router
