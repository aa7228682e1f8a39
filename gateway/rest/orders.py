"""Orders over REST, each endpoint one operation of the orders subgraph:

`POST /api/v1/orders` (the original single-product body, or `items`; `Idempotency-Key`),
`GET /api/v1/orders/my-orders`, `GET /api/v1/orders/{id}`, `GET /api/v1/orders`,
`PUT /api/v1/orders/{id}`, `PATCH` (and `PUT`) `/api/v1/orders/{id}/status`,
`POST /api/v1/orders/{id}/cancel`, `DELETE /api/v1/orders/{id}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.rest.case import graph_input, reference_as_id
from gateway.rest.idempotent import IdempotencyKey, with_key
from gateway.rest.schemas import WITH_BODY, Deleted, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    MAX_INT,
    IdFilter,
    Lowered,
    PageNumber,
    PageSize,
    PathId,
    RowId,
    graph_id,
    page_variables,
)

ORDERS_PATH = "/api/v1/orders"
Status = Literal["pending", "confirmed", "shipped", "delivered", "cancelled"]
_Sku = Annotated[str, Field(min_length=1, max_length=64, examples=["PROD-123"])]
_Quantity = Annotated[int, Field(ge=1, le=MAX_INT, examples=[2])]
_Money = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False, examples=[99.99])]
_Text = Annotated[str, Field(max_length=1000)]


class OrderItem(BaseModel):
    """One line of an order."""

    product_id: str | None = Field(description="The product's sku.", examples=["PROD-123"])
    quantity: int
    unit_price: float | None = Field(
        description="The catalogue's price of one unit; null until the order is priced."
    )
    line_total: float | None = Field(description="quantity x unit_price; null until priced.")

    @model_validator(mode="before")
    @classmethod
    def _sku(cls, value: Any) -> Any:
        return reference_as_id(value, "product", "product_id", "sku")


class Order(BaseModel):
    """An order of one or more products by one user."""

    id: int = Field(examples=[1])
    user_id: int = Field(examples=[1])
    product_id: str = Field(description="The first item's sku.", examples=["PROD-123"])
    quantity: int = Field(description="The first item's quantity.", examples=[2])
    total_price: float | None = Field(
        description="The order's total at the catalogue's prices, set when the inventory "
        "confirms the order; null until then (pending, or cancelled before).",
        examples=[99.99],
    )
    total_amount: float | None = Field(description="The same as total_price.", examples=[99.99])
    status: Annotated[Status, Lowered]
    shipping_address: str | None = None
    notes: str | None = None
    cancellation_reason: str | None = None
    items: list[OrderItem]
    created_at: datetime
    updated_at: datetime


class NewItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    product_id: _Sku
    quantity: _Quantity
    unit_price: _Money | None = Field(
        default=None, description="Ignored: the catalogue prices the order (kept for clients)."
    )


class NewOrder(BaseModel):
    """Either one product (`product_id` and `quantity`, as the original API) or `items`.
    `user_id` names whom the order is for: yourself when left out; only admins and services may
    name another user. Prices are the catalogue's: `total_price` and the items' `unit_price`
    are accepted for the original API's clients and ignored."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"user_id": 1, "product_id": "PROD-123", "quantity": 2},
                {
                    "items": [
                        {"product_id": "PROD-123", "quantity": 2},
                        {"product_id": "PROD-456", "quantity": 1},
                    ],
                    "shipping_address": "1 Main Street, Springfield",
                },
            ]
        },
    )

    user_id: RowId | None = None
    product_id: _Sku | None = None
    quantity: _Quantity | None = None
    total_price: _Money | None = Field(
        default=None, description="Ignored: the catalogue prices the order (kept for clients)."
    )
    items: list[NewItem] | None = Field(default=None, min_length=1, max_length=100)
    shipping_address: _Text | None = None
    notes: _Text | None = None

    @model_validator(mode="after")
    def _one_form(self) -> NewOrder:
        single = (self.product_id, self.quantity, self.total_price)
        if self.items is not None:
            if any(value is not None for value in single):
                raise ValueError("give items, or product_id and quantity; not both")
        elif self.product_id is None or self.quantity is None:
            raise ValueError("give product_id and quantity together, or items")
        return self


class StatusChange(BaseModel):
    """The order's next status."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"status": "confirmed"}]}
    )

    status: Status


class Cancellation(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"reason": "Changed my mind"}]}
    )

    reason: _Text | None = None


_ORDER = (
    "{ id userId productId quantity totalPrice totalAmount status shippingAddress notes"
    " cancellationReason createdAt updatedAt items { quantity unitPrice lineTotal"
    " product { sku } } }"
)
_PAGE = f"{{ items {_ORDER} pageInfo {{ page pageSize totalPages totalCount }} }}"
CREATE = Operation(
    "CreateOrder",
    f"mutation CreateOrder($input: CreateOrderInput!) {{ createOrder(input: $input) {_ORDER} }}",
    "createOrder",
)
GET = Operation("Order", f"query Order($id: ID!) {{ order(id: $id) {_ORDER} }}", "order")
LIST = Operation(
    "Orders",
    "query Orders($page: Int!, $pageSize: Int!, $userId: ID, $status: OrderStatus) {"
    f" orders(page: $page, pageSize: $pageSize, userId: $userId, status: $status) {_PAGE} }}",
    "orders",
)
MINE = Operation(
    "MyOrders",
    "query MyOrders($page: Int!, $pageSize: Int!, $status: OrderStatus) {"
    f" myOrders(page: $page, pageSize: $pageSize, status: $status) {_PAGE} }}",
    "myOrders",
)
UPDATE = Operation(
    "UpdateOrder",
    "mutation UpdateOrder($id: ID!, $status: OrderStatus!) {"
    f" updateOrder(id: $id, status: $status) {_ORDER} }}",
    "updateOrder",
)
CANCEL = Operation(
    "CancelOrder",
    f"mutation CancelOrder($id: ID!, $reason: String) {{ cancelOrder(id: $id, reason: $reason)"
    f" {_ORDER} }}",
    "cancelOrder",
)
DELETE = Operation(
    "DeleteOrder", "mutation DeleteOrder($id: ID!) { deleteOrder(id: $id) }", "deleteOrder"
)


def orders_router(shim: Shim) -> APIRouter:
    """The order endpoints; `/my-orders` before `/{order_id}`."""
    router = APIRouter(prefix=ORDERS_PATH, tags=["orders"])

    @router.post(
        "",
        status_code=201,
        operation_id="createOrder",
        summary="Place an order (it starts pending)",
        responses=responses(One[Order], status=201, errors=(*WITH_BODY, 409), created=True),
    )
    async def create_order(
        request: Request, body: NewOrder, idempotency_key: IdempotencyKey = None
    ) -> Response:
        async def act() -> JSONResponse:
            variables = {"input": with_key(graph_input(body), idempotency_key)}
            return await shim.created(
                request, CREATE, variables, Order, lambda order: f"{ORDERS_PATH}/{order['id']}"
            )

        return await shim.idempotent(request, idempotency_key, body, act)

    @router.get(
        "/my-orders",
        operation_id="myOrders",
        summary="The signed-in user's orders",
        responses=responses(Many[Order]),
    )
    async def my_orders(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        status: Status | None = None,
    ) -> JSONResponse:
        variables = page_variables(page, page_size, status=_graph_status(status))
        return await shim.page(request, MINE, variables, Order)

    @router.get(
        "/{order_id:int}",
        operation_id="getOrder",
        summary="One order (its owner, admins and services)",
        responses=responses(One[Order], errors=(404,)),
    )
    async def get_order(request: Request, order_id: PathId) -> JSONResponse:
        return await shim.one(
            request, GET, {"id": graph_id(order_id)}, Order, missing=("order", order_id)
        )

    @router.get(
        "",
        operation_id="listOrders",
        summary="Orders (every one for admins and services, a user's own for a user)",
        responses=responses(Many[Order]),
    )
    async def list_orders(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        user_id: IdFilter = None,
        status: Status | None = None,
    ) -> JSONResponse:
        variables = page_variables(
            page, page_size, userId=graph_id(user_id), status=_graph_status(status)
        )
        return await shim.page(request, LIST, variables, Order)

    async def change_status(request: Request, order_id: int, body: StatusChange) -> JSONResponse:
        variables = {"id": graph_id(order_id), "status": body.status.upper()}
        return await shim.one(request, UPDATE, variables, Order)

    status_docs = responses(One[Order], errors=(*WITH_BODY, 404, 409))

    @router.put(
        "/{order_id:int}",
        operation_id="updateOrder",
        summary="Update an order: its status is all that changes (admins and services)",
        responses=status_docs,
    )
    async def update_order(request: Request, order_id: PathId, body: StatusChange) -> JSONResponse:
        return await change_status(request, order_id, body)

    @router.patch(
        "/{order_id:int}/status",
        operation_id="patchOrderStatus",
        summary="Move an order along its life cycle (admins and services)",
        responses=status_docs,
    )
    async def patch_status(request: Request, order_id: PathId, body: StatusChange) -> JSONResponse:
        return await change_status(request, order_id, body)

    @router.put(
        "/{order_id:int}/status",
        operation_id="putOrderStatus",
        summary="As PATCH /api/v1/orders/{order_id}/status (the original gateway's form)",
        responses=status_docs,
    )
    async def put_status(request: Request, order_id: PathId, body: StatusChange) -> JSONResponse:
        return await change_status(request, order_id, body)

    @router.post(
        "/{order_id:int}/cancel",
        operation_id="cancelOrder",
        summary="Cancel a pending or confirmed order (its owner, admins and services)",
        responses=responses(One[Order], errors=(*WITH_BODY, 404, 409)),
    )
    async def cancel_order(
        request: Request,
        order_id: PathId,
        body: Annotated[Cancellation | None, Body()] = None,
    ) -> JSONResponse:
        reason = body.reason if body is not None else None
        variables = {"id": graph_id(order_id), "reason": reason}
        return await shim.one(request, CANCEL, variables, Order)

    @router.delete(
        "/{order_id:int}",
        operation_id="deleteOrder",
        summary="Delete an order (admins)",
        responses=responses(One[Deleted], errors=(404,)),
    )
    async def delete_order(request: Request, order_id: PathId) -> JSONResponse:
        return await shim.deleted(request, DELETE, {"id": graph_id(order_id)}, "order", order_id)

    return router


def _graph_status(status: str | None) -> str | None:
    return status.upper() if status is not None else None
