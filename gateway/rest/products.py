"""Products over REST, each endpoint one operation of the products subgraph:

`GET /api/v1/products`, `GET /api/v1/products/search`, `GET /api/v1/products/{id}` (anyone,
no token needed: the catalogue is public), and for admins `POST /api/v1/admin/products`,
`PUT /api/v1/admin/products/{id}` and `PUT /api/v1/admin/products/{id}/inventory` (the last
also for services).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.rest.case import graph_input
from gateway.rest.schemas import PUBLIC, WITH_BODY, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    PageNumber,
    PageSize,
    PathId,
    graph_id,
    page_variables,
)

PRODUCTS_PATH = "/api/v1/products"
ADMIN_PRODUCTS_PATH = "/api/v1/admin/products"
PRODUCT_FIELDS = "id sku name description price stock active createdAt updatedAt"
#: The products subgraph's bounds: Numeric(12, 2) prices, stock and deltas up to 10^9.
MAX_PRICE = 9_999_999_999.99
MAX_STOCK = 1_000_000_000

_Sku = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="A-Z, 0-9, - and _ (lower case is upper-cased).",
        examples=["PROD-123"],
    ),
]
_Name = Annotated[str, Field(min_length=1, max_length=200, examples=["Blue mug"])]
_Description = Annotated[str, Field(max_length=2000, examples=["A mug, blue."])]
_Price = Annotated[
    float,
    Field(
        ge=0,
        le=MAX_PRICE,
        allow_inf_nan=False,
        description="In whole cents (at most 2 decimal places).",
        examples=[9.99],
    ),
]


class Product(BaseModel):
    """Something we sell, and its stock."""

    id: int = Field(examples=[1])
    sku: str = Field(examples=["PROD-123"])
    name: str = Field(examples=["Blue mug"])
    description: str | None = Field(default=None, examples=["A mug, blue."])
    price: float = Field(examples=[9.99])
    stock: int = Field(description="Units in stock, not held for orders; never below 0.")
    active: bool = Field(description="False: listed, but orders for it are refused.")
    created_at: datetime
    updated_at: datetime


class CreateProduct(BaseModel):
    """A new product (admins only); no stock and active unless told otherwise."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "sku": "PROD-123",
                    "name": "Blue mug",
                    "price": 9.99,
                    "description": "A mug, blue.",
                    "stock": 10,
                }
            ]
        },
    )

    sku: _Sku
    name: _Name
    price: _Price
    description: _Description | None = None
    stock: Annotated[int, Field(ge=0, le=MAX_STOCK, examples=[10])] = 0
    active: bool = True


class UpdateProduct(BaseModel):
    """The fields to change; fields left out keep their value (`null` clears `description`).
    The stock changes with `PUT /api/v1/admin/products/{product_id}/inventory`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"price": 12.5, "active": False}]},
    )

    sku: _Sku | None = None
    name: _Name | None = None
    description: _Description | None = None
    price: _Price | None = None
    active: bool | None = None


class InventoryAdjustment(BaseModel):
    """A change of the stock: `delta` units are added (a negative `delta` removes them), and
    `reason` says why (the audit log keeps it with who did it).

    The original docs name this endpoint but not its body; this one is the products subgraph's
    `adjustInventory`: a relative change rather than a new absolute stock, so concurrent
    adjustments cannot overwrite each other. A change that would take the stock below 0 (or
    above 1000000000) is refused with 409 CONFLICT and the stock is left as it was."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"delta": 25, "reason": "Delivery from supplier"},
                {"delta": -2, "reason": "Damaged in the warehouse"},
            ]
        },
    )

    delta: int = Field(
        ge=-MAX_STOCK,
        le=MAX_STOCK,
        description=f"Units to add (negative: remove); not 0, at most {MAX_STOCK} either way.",
        examples=[25],
    )
    reason: str = Field(min_length=1, max_length=200, examples=["Delivery from supplier"])


_ONE = f"{{ {PRODUCT_FIELDS} }}"
_PAGE = f"{{ items {_ONE} pageInfo {{ page pageSize totalPages totalCount }} }}"
GET = Operation("Product", f"query Product($id: ID!) {{ product(id: $id) {_ONE} }}", "product")
LIST = Operation(
    "Products",
    "query Products($page: Int!, $pageSize: Int!, $search: String, $minPrice: Float,"
    " $maxPrice: Float, $inStock: Boolean, $active: Boolean) {"
    " products(page: $page, pageSize: $pageSize, search: $search, minPrice: $minPrice,"
    f" maxPrice: $maxPrice, inStock: $inStock, active: $active) {_PAGE} }}",
    "products",
)
SEARCH = Operation(
    "SearchProducts",
    "query SearchProducts($page: Int!, $pageSize: Int!, $search: String!) {"
    f" products(page: $page, pageSize: $pageSize, search: $search) {_PAGE} }}",
    "products",
)
CREATE = Operation(
    "CreateProduct",
    "mutation CreateProduct($input: CreateProductInput!) {"
    f" createProduct(input: $input) {_ONE} }}",
    "createProduct",
)
UPDATE = Operation(
    "UpdateProduct",
    "mutation UpdateProduct($id: ID!, $input: UpdateProductInput!) {"
    f" updateProduct(id: $id, input: $input) {_ONE} }}",
    "updateProduct",
)
ADJUST = Operation(
    "AdjustInventory",
    "mutation AdjustInventory($id: ID!, $delta: Int!, $reason: String!) {"
    f" adjustInventory(id: $id, delta: $delta, reason: $reason) {_ONE} }}",
    "adjustInventory",
)

_PriceFilter = Annotated[float | None, Query(ge=0, le=MAX_PRICE, allow_inf_nan=False)]


def products_router(shim: Shim) -> APIRouter:
    """The catalogue (`/api/v1/products`, `/search` before `/{product_id}`) and its admin
    endpoints (`/api/v1/admin/products`)."""
    catalogue = APIRouter(prefix=PRODUCTS_PATH, tags=["products"])
    admin = APIRouter(prefix=ADMIN_PRODUCTS_PATH, tags=["products"])

    @catalogue.get(
        "",
        operation_id="listProducts",
        summary="Products, a page at a time (anyone)",
        responses=responses(Many[Product]),
        openapi_extra=PUBLIC,
    )
    async def list_products(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        search: Annotated[
            str | None,
            Query(max_length=200, description="In name, sku or description, any case."),
        ] = None,
        min_price: _PriceFilter = None,
        max_price: _PriceFilter = None,
        in_stock: Annotated[
            bool | None, Query(description="true: stock above 0; false: none in stock.")
        ] = None,
        active: bool | None = None,
    ) -> JSONResponse:
        variables = page_variables(
            page,
            page_size,
            search=search,
            minPrice=min_price,
            maxPrice=max_price,
            inStock=in_stock,
            active=active,
        )
        return await shim.page(request, LIST, variables, Product)

    @catalogue.get(
        "/search",
        operation_id="searchProducts",
        summary="Products whose name, sku or description holds `q` (anyone)",
        responses=responses(Many[Product]),
        openapi_extra=PUBLIC,
    )
    async def search_products(
        request: Request,
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=200,
                pattern=r"\S",
                description="Text to find in name, sku or description, any case.",
            ),
        ],
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
    ) -> JSONResponse:
        variables = page_variables(page, page_size, search=q)
        return await shim.page(request, SEARCH, variables, Product)

    @catalogue.get(
        "/{product_id:int}",
        operation_id="getProduct",
        summary="One product (anyone)",
        responses=responses(One[Product], errors=(404,)),
        openapi_extra=PUBLIC,
    )
    async def get_product(request: Request, product_id: PathId) -> JSONResponse:
        return await shim.one(
            request, GET, {"id": graph_id(product_id)}, Product, missing=("product", product_id)
        )

    @admin.post(
        "",
        status_code=201,
        operation_id="createProduct",
        summary="Create a product (admin)",
        responses=responses(One[Product], status=201, errors=(*WITH_BODY, 409), created=True),
    )
    async def create_product(request: Request, body: CreateProduct) -> JSONResponse:
        return await shim.created(
            request,
            CREATE,
            {"input": graph_input(body)},
            Product,
            lambda product: f"{PRODUCTS_PATH}/{product['id']}",
        )

    @admin.put(
        "/{product_id:int}",
        operation_id="updateProduct",
        summary="Change a product (admin)",
        responses=responses(One[Product], errors=(*WITH_BODY, 404, 409)),
    )
    async def update_product(
        request: Request, product_id: PathId, body: UpdateProduct
    ) -> JSONResponse:
        variables = {"id": graph_id(product_id), "input": graph_input(body)}
        return await shim.one(request, UPDATE, variables, Product)

    @admin.put(
        "/{product_id:int}/inventory",
        operation_id="adjustInventory",
        summary="Add to or remove from a product's stock (admins and services)",
        responses=responses(One[Product], errors=(*WITH_BODY, 404, 409)),
    )
    async def adjust_inventory(
        request: Request, product_id: PathId, body: InventoryAdjustment
    ) -> JSONResponse:
        variables = {"id": graph_id(product_id), "delta": body.delta, "reason": body.reason}
        return await shim.one(request, ADJUST, variables, Product)

    router = APIRouter()
    router.include_router(catalogue)
    router.include_router(admin)
    return router
