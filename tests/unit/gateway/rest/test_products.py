"""The product endpoints: request validation, the operation each runs, the answer's shape.

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain (gateway, products subgraph, database) is exercised in
tests/integration/test_rest_products.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.rest.products import PRODUCT_FIELDS
from tests.unit.gateway.rest.support import answering, client, failing, refused_fields

PRODUCT = {
    "id": "3",
    "sku": "PROD-3",
    "name": "Blue mug",
    "description": None,
    "price": 19.99,
    "stock": 4,
    "active": True,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-02T00:00:00Z",
}
#: PRODUCT as the REST answer gives it.
ANSWERED = {
    "id": 3,
    "sku": "PROD-3",
    "name": "Blue mug",
    "description": None,
    "price": 19.99,
    "stock": 4,
    "active": True,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}
PAGE = {
    "items": [PRODUCT],
    "pageInfo": {"page": 1, "pageSize": 10, "totalPages": 1, "totalCount": 1},
}
META = {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 1}


async def test_list_passes_every_filter_and_answers_meta() -> None:
    runner = answering("products", PAGE)
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/products",
            params={
                "page": 1,
                "page_size": 10,
                "search": "mug",
                "min_price": 1,
                "max_price": 20.5,
                "in_stock": "true",
                "active": "false",
            },
        )
    assert response.json() == {"success": True, "data": [ANSWERED], "meta": META}
    [(query, variables, name)] = runner.calls
    assert name == "Products"
    assert variables == {
        "page": 1,
        "pageSize": 10,
        "search": "mug",
        "minPrice": 1.0,
        "maxPrice": 20.5,
        "inStock": True,
        "active": False,
    }
    assert f"items {{ {PRODUCT_FIELDS} }}" in query


async def test_search_is_not_taken_for_a_product_id() -> None:
    runner = answering("products", PAGE)
    async with client(runner) as http:
        response = await http.get("/api/v1/products/search", params={"q": "mug", "page_size": 5})
    assert response.status_code == 200
    assert response.json()["meta"] == META
    [(query, variables, name)] = runner.calls
    assert name == "SearchProducts"
    assert variables == {"page": 1, "pageSize": 5, "search": "mug"}
    assert "search: $search" in query


async def test_get_answers_the_product_or_404() -> None:
    runner = answering("product", PRODUCT)
    async with client(runner) as http:
        found = await http.get("/api/v1/products/3")
    async with client(answering("product", None)) as http:
        missing = await http.get("/api/v1/products/4")
    assert found.json() == {"success": True, "data": ANSWERED}
    assert runner.calls[0][1:] == ({"id": "3"}, "Product")
    assert missing.status_code == 404
    assert "product 4" in missing.json()["error"]["message"]


async def test_create_is_201_with_location_under_the_catalogue() -> None:
    runner = answering("createProduct", PRODUCT)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/admin/products", json={"sku": "prod-3", "name": "Blue mug", "price": 19.99}
        )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/v1/products/3"
    assert response.json() == {"success": True, "data": ANSWERED}
    [(_, variables, name)] = runner.calls
    assert name == "CreateProduct"
    assert variables == {"input": {"sku": "prod-3", "name": "Blue mug", "price": 19.99}}


async def test_update_sends_only_the_fields_given() -> None:
    runner = answering("updateProduct", PRODUCT)
    async with client(runner) as http:
        response = await http.put(
            "/api/v1/admin/products/3", json={"price": 12.5, "description": None}
        )
    assert response.status_code == 200
    assert runner.calls[0][1:] == (
        {"id": "3", "input": {"price": 12.5, "description": None}},
        "UpdateProduct",
    )


async def test_inventory_sends_delta_and_reason() -> None:
    runner = answering("adjustInventory", PRODUCT)
    async with client(runner) as http:
        response = await http.put(
            "/api/v1/admin/products/3/inventory", json={"delta": -2, "reason": "damaged"}
        )
    assert response.json()["data"]["stock"] == 4
    assert runner.calls[0][1:] == (
        {"id": "3", "delta": -2, "reason": "damaged"},
        "AdjustInventory",
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [("CONFLICT", 409), ("NOT_FOUND", 404), ("FORBIDDEN", 403), ("UNAUTHENTICATED", 401)],
)
async def test_graph_refusals_keep_their_status_and_field(code: str, status: int) -> None:
    async with client(failing("adjustInventory", code, field="delta")) as http:
        response = await http.put(
            "/api/v1/admin/products/3/inventory", json={"delta": -9, "reason": "x"}
        )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["details"] == {"field": "delta"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field_name"),
    [
        ("POST", "/api/v1/admin/products", {"name": "n", "price": 1}, "sku"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "price": 1}, "name"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "name": "n"}, "price"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "name": "n", "price": "1"}, "price"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "name": "n", "price": -1}, "price"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "name": "n", "price": 1e10}, "price"),
        ("POST", "/api/v1/admin/products", {"sku": "S" * 65, "name": "n", "price": 1}, "sku"),
        ("POST", "/api/v1/admin/products", {"sku": "", "name": "n", "price": 1}, "sku"),
        ("POST", "/api/v1/admin/products", {"sku": "S", "name": "n" * 201, "price": 1}, "name"),
        (
            "POST",
            "/api/v1/admin/products",
            {"sku": "S", "name": "n", "price": 1, "stock": -1},
            "stock",
        ),
        (
            "POST",
            "/api/v1/admin/products",
            {"sku": "S", "name": "n", "price": 1, "stock": 2**31},
            "stock",
        ),
        (
            "POST",
            "/api/v1/admin/products",
            {"sku": "S", "name": "n", "price": 1, "stock": 1.5},
            "stock",
        ),
        (
            "POST",
            "/api/v1/admin/products",
            {"sku": "S", "name": "n", "price": 1, "description": "d" * 2001},
            "description",
        ),
        (
            "POST",
            "/api/v1/admin/products",
            {"sku": "S", "name": "n", "price": 1, "colour": "blue"},
            "colour",
        ),
        ("PUT", "/api/v1/admin/products/3", {"stock": 5}, "stock"),
        ("PUT", "/api/v1/admin/products/3", {"active": 1}, "active"),
        ("PUT", "/api/v1/admin/products/0", {"active": True}, "product_id"),
        ("PUT", "/api/v1/admin/products/3/inventory", {"reason": "r"}, "delta"),
        ("PUT", "/api/v1/admin/products/3/inventory", {"delta": 1}, "reason"),
        ("PUT", "/api/v1/admin/products/3/inventory", {"delta": 1, "reason": ""}, "reason"),
        ("PUT", "/api/v1/admin/products/3/inventory", {"delta": "1", "reason": "r"}, "delta"),
        ("PUT", "/api/v1/admin/products/3/inventory", {"delta": 2**31, "reason": "r"}, "delta"),
        (
            "PUT",
            "/api/v1/admin/products/3/inventory",
            {"delta": -(10**9) - 1, "reason": "r"},
            "delta",
        ),
        (
            "PUT",
            "/api/v1/admin/products/3/inventory",
            {"delta": 1, "reason": "r" * 201},
            "reason",
        ),
        ("PUT", "/api/v1/admin/products/3/inventory", {"stock": 5, "reason": "r"}, "stock"),
        ("GET", "/api/v1/products/search", None, "q"),
        ("GET", "/api/v1/products/search?q=", None, "q"),
        ("GET", "/api/v1/products/search?q=%20%20", None, "q"),
        ("GET", f"/api/v1/products/search?q={'q' * 201}", None, "q"),
        ("GET", "/api/v1/products/search?q=mug&page_size=0", None, "page_size"),
        ("GET", "/api/v1/products?page_size=101", None, "page_size"),
        ("GET", "/api/v1/products?min_price=-1", None, "min_price"),
        ("GET", "/api/v1/products?max_price=nan", None, "max_price"),
        ("GET", "/api/v1/products?max_price=inf", None, "max_price"),
        ("GET", "/api/v1/products?in_stock=lots", None, "in_stock"),
        ("GET", "/api/v1/products/0", None, "product_id"),
    ],
)
async def test_invalid_requests_are_422_naming_the_field_and_never_reach_the_graph(
    method: str, path: str, body: Any, field_name: str
) -> None:
    runner = answering("product", PRODUCT)
    async with client(runner) as http:
        response = await http.request(method, path, json=body)
    assert field_name in refused_fields(response)
    assert runner.calls == []


async def test_openapi_documents_public_reads_and_admin_writes() -> None:
    async with client(answering("product", None)) as http:
        document = (await http.get("/openapi.json")).json()
    paths = document["paths"]
    reads = [
        paths["/api/v1/products"]["get"],
        paths["/api/v1/products/search"]["get"],
        paths["/api/v1/products/{product_id}"]["get"],
    ]
    writes = [
        paths["/api/v1/admin/products"]["post"],
        paths["/api/v1/admin/products/{product_id}"]["put"],
        paths["/api/v1/admin/products/{product_id}/inventory"]["put"],
    ]
    assert [read["security"] for read in reads] == [[], [], []]
    assert all("security" not in write for write in writes)
    assert [op["operationId"] for op in reads + writes] == [
        "listProducts",
        "searchProducts",
        "getProduct",
        "createProduct",
        "updateProduct",
        "adjustInventory",
    ]
    assert all(op["tags"] == ["products"] for op in reads + writes)
    assert "409" in writes[2]["responses"] and "404" in writes[2]["responses"]
    adjustment = document["components"]["schemas"]["InventoryAdjustment"]
    assert adjustment["required"] == ["delta", "reason"]
    assert "original docs" in adjustment["description"]
