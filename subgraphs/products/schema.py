"""The products subgraph's GraphQL schema: `Product @key(fields: "id") @key(fields: "sku")`.

Other subgraphs name a product by its sku (an order's items) or its id; both keys resolve here
through the request's DataLoaders. Resolvers call the service or the loaders, never the database.
Reads are public; the service enforces who may change the catalogue, for the caller the
resolvers hand it (`info.context.identity`).
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from subgraphs.kit.cache_control import CacheHint
from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, PageInfo
from subgraphs.kit.schema import build_schema
from subgraphs.kit.updates import given
from subgraphs.products.loaders import ProductLoaders
from subgraphs.products.models import ProductRow
from subgraphs.products.service import ProductService
from subgraphs.products.validation import clean_sku

ProductsInfo = Info[RequestContext[ProductLoaders], None]


@strawberry.federation.type(keys=["id", "sku"], description="Something we sell, and its stock.")
class Product:
    """A product of the catalogue."""

    id: strawberry.ID
    sku: str = strawberry.field(description="Stock-keeping unit: upper-case A-Z, 0-9, - and _.")
    name: str
    description: str | None
    price: float
    stock: int = strawberry.field(description="Units in stock, not held for orders; never below 0.")
    active: bool = strawberry.field(description="False: listed, but orders for it are rejected.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ProductRow) -> Product:
        """The GraphQL view of a product row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            sku=row.sku,
            name=row.name,
            description=row.description,
            price=float(row.price),
            stock=row.stock,
            active=row.active,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
        )

    @classmethod
    async def resolve_reference(
        cls, info: ProductsInfo, id: strawberry.ID | None = None, sku: str | None = None
    ) -> Product | None:
        """The product a representation names by id or by sku; None when there is none."""
        if id is not None:
            return await _load_product(info, id)
        return await _load_by_sku(info, sku)


async def _load_product(info: ProductsInfo, product_id: object) -> Product | None:
    row_id = parse_id(product_id)
    if row_id is None:
        return None
    row = await info.context.loaders.product_by_id.load(row_id)
    return Product.from_row(row) if row is not None else None


async def _load_by_sku(info: ProductsInfo, sku: object) -> Product | None:
    clean = clean_sku(sku) if isinstance(sku, str) else None
    if not isinstance(clean, str):
        return None  # malformed: no product has it
    row = await info.context.loaders.product_by_sku.load(clean)
    return Product.from_row(row) if row is not None else None


def _service(info: ProductsInfo) -> ProductService:
    """The service acting for this request's caller."""
    return ProductService(info.context.db, caller=info.context.identity)


@strawberry.type(description="A page of products.")
class ProductPage:
    """Products of one page and where the page sits."""

    items: list[Product]
    page_info: PageInfo


@strawberry.input(description="A new product; `stock` defaults to 0, `active` to true.")
class CreateProductInput:
    """Fields of a new product."""

    sku: str
    name: str
    price: float
    description: str | None = None
    stock: int = 0
    active: bool = True


@strawberry.input(
    description="Fields to change; fields left out keep their value. Stock: adjustInventory."
)
class UpdateProductInput:
    """A partial update of a product."""

    sku: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    price: float | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type
class Query:
    """Read the catalogue."""

    @strawberry.field(description="The product with this id; null when there is none.")
    async def product(self, info: ProductsInfo, id: strawberry.ID) -> Product | None:
        return await _load_product(info, id)

    @strawberry.field(description="The product with this sku (any case); null when there is none.")
    async def product_by_sku(self, info: ProductsInfo, sku: str) -> Product | None:
        return await _load_by_sku(info, sku)

    @strawberry.field(
        description="Products by id; `search` matches name, sku or description, any case; "
        "`inStock` true means stock above 0. Errors: VALIDATION_FAILED."
    )
    async def products(
        self,
        info: ProductsInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        search: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        in_stock: bool | None = None,
        active: bool | None = None,
    ) -> ProductPage:
        result = await _service(info).list_page(
            page=page,
            page_size=page_size,
            search=search,
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
            active=active,
        )
        return ProductPage(
            items=[Product.from_row(row) for row in result.items], page_info=PageInfo.of(result)
        )


@strawberry.type
class Mutation:
    """Change the catalogue: admins; the stock also services."""

    @strawberry.mutation(
        description="Create a product. Admin only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, CONFLICT."
    )
    async def create_product(self, info: ProductsInfo, input: CreateProductInput) -> Product:
        row = await _service(info).create(
            sku=input.sku,
            name=input.name,
            description=input.description,
            price=input.price,
            stock=input.stock,
            active=input.active,
        )
        return Product.from_row(row)

    @strawberry.mutation(
        description="Change the given fields. Admin only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT."
    )
    async def update_product(
        self, info: ProductsInfo, id: strawberry.ID, input: UpdateProductInput
    ) -> Product:
        row = await _service(info).update(
            id,
            sku=given(input.sku),
            name=given(input.name),
            description=given(input.description),
            price=given(input.price),
            active=given(input.active),
        )
        return Product.from_row(row)

    @strawberry.mutation(
        description="Add `delta` units to the stock (negative removes them); the stock never "
        "goes below 0. The audit log keeps who did it and `reason` (event "
        "`product.stock_adjusted`). Admins and services only. Errors: UNAUTHENTICATED, "
        "FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT (field delta)."
    )
    async def adjust_inventory(
        self, info: ProductsInfo, id: strawberry.ID, delta: int, reason: str
    ) -> Product:
        row = await _service(info).adjust_inventory(id, delta, reason)
        return Product.from_row(row)


#: What the gateway may cache (docs/caching.md): the catalogue reads the same for every caller.
CACHE_HINTS = {
    "Product": CacheHint(max_age=60),
    "ProductPage": CacheHint.inherit(),
    "PageInfo": CacheHint.inherit(),
}

schema = build_schema(query=Query, mutation=Mutation, cache_hints=CACHE_HINTS)
