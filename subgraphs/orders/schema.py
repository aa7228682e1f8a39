"""The orders subgraph's GraphQL schema: `Order @key(fields: "id")`, the `User` and `Product` stubs.

`User` here holds only its key and `orders`; the users subgraph owns the rest of it, and the
gateway joins the two. `Product` is named by its `sku` key only; the products subgraph resolves
it. Resolvers call the service (acting for the caller, `info.context.identity`) or the request's
DataLoaders, never the database; what the loaders find passes the service's read rule first.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from subgraphs.kit.cache_control import CacheHint
from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.identity import require_user_id
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, Page, PageInfo
from subgraphs.kit.schema import build_schema
from subgraphs.orders.live import watch_order
from subgraphs.orders.loaders import OrderLoaders
from subgraphs.orders.models import OrderItemRow, OrderRow, OrderStatus
from subgraphs.orders.service import OrderService

OrdersInfo = Info[RequestContext[OrderLoaders], None]

# The domain enum itself becomes the GraphQL enum, so rows and resolvers share one type.
strawberry.enum(
    OrderStatus,
    description="PENDING -> CONFIRMED -> SHIPPED -> DELIVERED; PENDING or CONFIRMED -> CANCELLED.",
)


# No description: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=["id"])
class User:
    """The users subgraph's entity; this subgraph adds `orders`."""

    id: strawberry.ID

    @strawberry.field(
        description="This user's orders, newest first (deleted ones left out). Only the user "
        "themselves, admins and services see them: for anyone else the list is empty."
    )
    async def orders(self, info: OrdersInfo) -> list[Order]:
        user_id = parse_id(self.id)
        if user_id is None:
            return []
        rows = await info.context.loaders.orders_by_user.load(user_id)
        return [Order.from_row(row) for row in _service(info).readable_rows(rows)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Any id: whether the user exists is for the users subgraph to say."""
        return cls(id=strawberry.ID(str(id)))


# No description: the products subgraph owns Product and describes it.
@strawberry.federation.type(keys=[Key(fields=FieldSet("sku"), resolvable=False)])
class Product:
    """The products subgraph's entity, named here by its sku only."""

    sku: str


@strawberry.type(description="One line of an order: a product, how many, at what price.")
class OrderItem:
    """An order line."""

    quantity: int
    unit_price: float | None = strawberry.field(
        description="The catalogue's price of one unit when the inventory reserved the stock; "
        "null until the order is priced (PENDING, or cancelled before)."
    )
    line_total: float | None = strawberry.field(
        description="quantity x unitPrice; null until the order is priced."
    )
    sku: strawberry.Private[str]

    @strawberry.field(
        description="The product ordered (resolved by the products subgraph through its sku); "
        "null when the catalogue has no such sku."
    )
    def product(self) -> Product | None:
        return Product(sku=self.sku)

    @classmethod
    def from_row(cls, row: OrderItemRow) -> OrderItem:
        """The GraphQL view of an item row."""
        price = row.unit_price
        return cls(
            sku=row.sku,
            quantity=row.quantity,
            unit_price=float(price) if price is not None else None,
            line_total=float(price * row.quantity) if price is not None else None,
        )


@strawberry.federation.type(
    keys=["id"], description="An order of one or more products by one user."
)
class Order:
    """A live order."""

    id: strawberry.ID
    user_id: strawberry.ID
    product_id: str = strawberry.field(description="The first item's sku.")
    quantity: int = strawberry.field(description="The first item's quantity.")
    total_price: float | None = strawberry.field(
        description="The order's total (same as totalAmount); null until the order is priced."
    )
    total_amount: float | None = strawberry.field(
        description="The order's total: the sum of its line totals at the catalogue's prices, "
        "set when the inventory reserves the stock and confirms the order. Null until then "
        "(PENDING, or cancelled before): a client never sets a price."
    )
    status: OrderStatus
    shipping_address: str | None
    notes: str | None
    cancellation_reason: str | None = strawberry.field(
        description="Why the order was cancelled: the inventory's rejection or the canceller's "
        "reason; null otherwise."
    )
    created_at: datetime
    updated_at: datetime
    #: the items, when loaded with the order (subscriptions: not through the loaders)
    loaded_items: strawberry.Private[list[OrderItemRow] | None] = None

    @strawberry.field(description="What was ordered, in the order given.")
    async def items(self, info: OrdersInfo) -> list[OrderItem]:
        if self.loaded_items is not None:
            return [OrderItem.from_row(row) for row in self.loaded_items]
        order_id = parse_id(self.id)
        if order_id is None:
            return []
        rows = await info.context.loaders.items_by_order.load(order_id)
        return [OrderItem.from_row(row) for row in rows]

    @strawberry.field(
        description="Who placed the order (resolved by the users subgraph); null once deleted."
    )
    def user(self) -> User | None:
        # Nullable on purpose: a soft-deleted user must not null the whole order in the answer.
        return User(id=self.user_id)

    @classmethod
    def from_row(cls, row: OrderRow, items: list[OrderItemRow] | None = None) -> Order:
        """The GraphQL view of an order row (with its items when they were loaded with it)."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            user_id=strawberry.ID(format_id(row.user_id)),
            product_id=row.product_id,
            quantity=row.quantity,
            total_price=_amount(row),
            total_amount=_amount(row),
            status=row.status,
            shipping_address=row.shipping_address,
            notes=row.notes,
            cancellation_reason=row.cancellation_reason,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
            loaded_items=items,
        )

    @classmethod
    async def resolve_reference(cls, info: OrdersInfo, id: strawberry.ID) -> Order | None:
        """The order an `_entities` representation names; None when missing, deleted or not the
        caller's to see (anonymous callers included)."""
        return await _load_order(info, _service(info), id)


def _amount(row: OrderRow) -> float | None:
    return float(row.total_price) if row.total_price is not None else None


def _service(info: OrdersInfo) -> OrderService:
    """The service acting for this request's caller."""
    return OrderService(info.context.db, info.context.identity)


async def _load_order(info: OrdersInfo, service: OrderService, order_id: object) -> Order | None:
    row_id = parse_id(order_id)
    if row_id is None:
        return None
    row = service.readable(await info.context.loaders.order_by_id.load(row_id))
    return Order.from_row(row) if row is not None else None


@strawberry.type(description="A page of orders.")
class OrderPage:
    """Orders of one page and where the page sits."""

    items: list[Order]
    page_info: PageInfo


@strawberry.input(description="One line of a new order.")
class OrderItemInput:
    """A product (by sku) and how many; the catalogue prices it."""

    product_id: str = strawberry.field(description="The product's sku.")
    quantity: int
    unit_price: float | None = strawberry.field(
        default=None,
        description="Ignored (kept for clients of the original API): the catalogue prices "
        "every line when the inventory reserves the stock.",
    )


@strawberry.input(
    description="A new order; it starts PENDING and unpriced, then the inventory prices it from "
    "the catalogue and confirms it, or cancels it. Give either `items`, or `productId` and "
    "`quantity` (one product). Prices sent are ignored. The user is not checked here."
)
class CreateOrderInput:
    """Fields of a new order."""

    user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who orders. Leave it out to order for yourself; only admins and services "
        "may name another user (and must name one when their token has no user).",
    )
    items: list[OrderItemInput] | None = None
    product_id: str | None = None
    quantity: int | None = None
    total_price: float | None = strawberry.field(
        default=None,
        description="Ignored (kept for clients of the original API): the catalogue prices the "
        "order.",
    )
    shipping_address: str | None = None
    notes: str | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A key of your choosing (a UUID) that makes a retry safe: the same key and "
        "input answer the order the first request placed, however that request ended, and "
        "never place a second one. Unique per caller; 1 to 255 printable ASCII characters "
        "without spaces. Errors: VALIDATION_FAILED (malformed), IDEMPOTENCY_KEY_REUSED (the "
        "key placed another order).",
    )


@strawberry.type
class Query:
    """Read orders."""

    @strawberry.field(
        description="The order with this id, for its owner, admins and services; null when "
        "missing, deleted or someone else's. Errors: UNAUTHENTICATED."
    )
    async def order(self, info: OrdersInfo, id: strawberry.ID) -> Order | None:
        service = _service(info)
        service.require_caller()
        return await _load_order(info, service, id)

    @strawberry.field(
        description="Live orders by id, filtered by user and status. Admins and services see "
        "every order; a user sees only their own (another userId gives an empty page). "
        "Errors: UNAUTHENTICATED, FORBIDDEN (a token with no user and no admin or service "
        "role), VALIDATION_FAILED (page, pageSize)."
    )
    async def orders(
        self,
        info: OrdersInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        user_id: strawberry.ID | None = None,
        status: OrderStatus | None = None,
    ) -> OrderPage:
        result = await _service(info).list_page(
            page=page, page_size=page_size, user_id=user_id, status=status
        )
        return _page(result)

    @strawberry.field(
        description="The signed-in user's live orders by id, filtered by status. "
        "Errors: UNAUTHENTICATED, FORBIDDEN (a token with no user)."
    )
    async def my_orders(
        self,
        info: OrdersInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        status: OrderStatus | None = None,
    ) -> OrderPage:
        user_id = require_user_id(info.context)
        result = await _service(info).list_page(
            page=page, page_size=page_size, user_id=user_id, status=status
        )
        return _page(result)


def _page(result: Page[OrderRow]) -> OrderPage:
    return OrderPage(
        items=[Order.from_row(row) for row in result.items], page_info=PageInfo.of(result)
    )


@strawberry.type
class Mutation:
    """Change orders."""

    @strawberry.mutation(
        description="Place a PENDING order; the inventory then prices it from the catalogue and "
        "confirms it, or cancels it. A user orders for themselves, admins and services for "
        "anyone. Errors: UNAUTHENTICATED, FORBIDDEN (userId names another user), "
        "VALIDATION_FAILED, IDEMPOTENCY_KEY_REUSED."
    )
    async def create_order(self, info: OrdersInfo, input: CreateOrderInput) -> Order:
        row = await _service(info).create(
            user_id=input.user_id,
            items=input.items,
            product_id=input.product_id,
            quantity=input.quantity,
            shipping_address=input.shipping_address,
            notes=input.notes,
            idempotency_key=input.idempotency_key,
        )
        return Order.from_row(row)

    @strawberry.mutation(
        description="Cancel a PENDING or CONFIRMED order; reserved stock goes back to the "
        "inventory. Owner, admin or service. Errors: UNAUTHENTICATED, NOT_FOUND (also for "
        "someone else's order), VALIDATION_FAILED, CONFLICT."
    )
    async def cancel_order(
        self, info: OrdersInfo, id: strawberry.ID, reason: str | None = None
    ) -> Order:
        row = await _service(info).cancel(id, reason)
        return Order.from_row(row)

    @strawberry.mutation(
        description="Move an order along its life cycle. Admin or service. Errors: "
        "UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT."
    )
    async def update_order(self, info: OrdersInfo, id: strawberry.ID, status: OrderStatus) -> Order:
        row = await _service(info).change_status(id, status)
        return Order.from_row(row)

    @strawberry.mutation(
        description="Soft-delete an order. Admin. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND."
    )
    async def delete_order(self, info: OrdersInfo, id: strawberry.ID) -> bool:
        return await _service(info).delete(id)


@strawberry.type
class Subscription:
    """Live orders (graphql-transport-ws; through the gateway, or GraphQL over SSE)."""

    @strawberry.subscription(
        description="The order each time its status changes (CONFIRMED, SHIPPED, CANCELLED...), "
        "for its owner, admins and services; ends when the order is deleted. Errors: "
        "UNAUTHENTICATED, NOT_FOUND (also for another user's order)."
    )
    async def order_status_changed(
        self, info: OrdersInfo, order_id: strawberry.ID
    ) -> AsyncGenerator[Order, None]:
        async for row, items in watch_order(info.context, order_id):
            yield Order.from_row(row, items)


#: What the gateway may cache (docs/caching.md): orders are the caller's (another user's read as
#: missing), so for the caller only.
CACHE_HINTS = {
    "Order": CacheHint(max_age=30, private=True),
    "User": CacheHint(max_age=30, private=True),
    "OrderItem": CacheHint.inherit(),
    "OrderPage": CacheHint.inherit(),
    "PageInfo": CacheHint.inherit(),
    "Product": CacheHint.inherit(),
}

schema = build_schema(
    query=Query, mutation=Mutation, subscription=Subscription, cache_hints=CACHE_HINTS
)
