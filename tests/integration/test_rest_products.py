"""The product endpoints over REST through the running gateway and products subgraph: the
public catalogue (list, search, one product, no token needed), and admin create, update and
inventory adjustments in the original envelope; unique skus and a stock never below 0 (409)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.integration.rest_support import call, created_item, error_of
from tests.support.stack import RunningStack

PRODUCTS = "/api/v1/products"
ADMIN = "/api/v1/admin/products"
FIELDS = {
    "id",
    "sku",
    "name",
    "description",
    "price",
    "stock",
    "active",
    "created_at",
    "updated_at",
}


def fresh_sku() -> str:
    return f"REST-{uuid.uuid4().hex[:10].upper()}"


def create(stack: RunningStack, **fields: Any) -> dict[str, Any]:
    body = {"sku": fresh_sku(), "name": "Test product", "price": 9.99, **fields}
    return created_item(call(stack, "POST", ADMIN, stack.admin, json=body))


def test_the_catalogue_needs_no_token(stack: RunningStack) -> None:
    listed = call(stack, "GET", PRODUCTS, params={"search": "PROD-1", "max_price": 20})
    assert listed.status_code == 200, listed.json()
    body = listed.json()
    # PROD-1 (4.99) of the seeded catalogue; PROD-10 .. PROD-12 cost more than 20.
    assert [product["sku"] for product in body["data"]] == ["PROD-1"]
    assert body["meta"] == {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 1}
    product = body["data"][0]
    assert set(product) == FIELDS and isinstance(product["id"], int)

    one = call(stack, "GET", f"{PRODUCTS}/{product['id']}")
    assert one.json() == {"success": True, "data": product}
    found = call(stack, "GET", f"{PRODUCTS}/search", params={"q": "enamel coffee"}).json()
    assert [item["sku"] for item in found["data"]] == ["PROD-1"]
    with_a_token = call(
        stack, "GET", f"{PRODUCTS}/{product['id']}", stack.auth("user", user_id=1)
    ).json()
    assert with_a_token == one.json()

    error = error_of(call(stack, "GET", f"{PRODUCTS}/{2**31 - 1}"), 404, "NOT_FOUND")
    assert str(2**31 - 1) in error["message"]


def test_create_update_and_adjust_the_stock(stack: RunningStack) -> None:
    sku = fresh_sku()
    created = call(
        stack,
        "POST",
        ADMIN,
        stack.admin,
        json={"sku": sku.lower(), "name": "Blue mug", "price": 12.5, "stock": 3},
    )
    assert created.status_code == 201, created.json()
    product = created.json()["data"]
    assert created.headers["location"] == f"{PRODUCTS}/{product['id']}"
    assert set(product) == FIELDS
    assert (product["sku"], product["price"], product["stock"], product["active"]) == (
        sku,
        12.5,
        3,
        True,
    )
    assert product["description"] is None
    assert call(stack, "GET", created.headers["location"]).json()["data"] == product

    updated = call(
        stack,
        "PUT",
        f"{ADMIN}/{product['id']}",
        stack.admin,
        json={"price": 10, "active": False, "description": "A mug, blue."},
    )
    assert updated.status_code == 200, updated.json()
    changed = updated.json()["data"]
    assert (changed["price"], changed["active"], changed["description"], changed["stock"]) == (
        10.0,
        False,
        "A mug, blue.",
        3,
    )

    added = call(
        stack,
        "PUT",
        f"{ADMIN}/{product['id']}/inventory",
        stack.admin,
        json={"delta": 4, "reason": "Delivery"},
    )
    assert added.json()["data"]["stock"] == 7
    removed = call(
        stack,
        "PUT",
        f"{ADMIN}/{product['id']}/inventory",
        stack.auth("service"),
        json={"delta": -7, "reason": "Stock take"},
    )
    assert removed.status_code == 200, "services adjust the stock too"
    assert removed.json()["data"]["stock"] == 0

    below = call(
        stack,
        "PUT",
        f"{ADMIN}/{product['id']}/inventory",
        stack.admin,
        json={"delta": -1, "reason": "Damaged"},
    )
    error = error_of(below, 409, "CONFLICT")
    assert error["details"]["field"] == "delta"
    assert "below 0" in error["message"]
    assert call(stack, "GET", f"{PRODUCTS}/{product['id']}").json()["data"]["stock"] == 0


def test_pages_filters_and_meta(stack: RunningStack) -> None:
    tag = uuid.uuid4().hex[:10]
    made = [
        create(stack, name=f"Paged {tag} {n}", price=float(n), stock=n - 1) for n in range(1, 4)
    ]
    pages = [
        call(stack, "GET", PRODUCTS, params={"search": tag, "page": p, "page_size": 2}).json()
        for p in (1, 2)
    ]
    assert [page["meta"] for page in pages] == [
        {"page": p, "page_size": 2, "total_pages": 2, "total_count": 3} for p in (1, 2)
    ]
    assert pages[0]["data"] + pages[1]["data"] == made, "by id, nothing missed or repeated"

    searched = call(
        stack, "GET", f"{PRODUCTS}/search", params={"q": tag.upper(), "page": 2, "page_size": 1}
    ).json()
    assert searched["data"] == [made[1]]
    assert searched["meta"] == {"page": 2, "page_size": 1, "total_pages": 3, "total_count": 3}

    filtered = call(
        stack,
        "GET",
        PRODUCTS,
        params={"search": tag, "in_stock": "true", "min_price": 2.5, "active": "true"},
    ).json()
    assert filtered["data"] == [made[2]]


def test_only_admins_change_products_and_admins_or_services_the_stock(
    stack: RunningStack,
) -> None:
    product = create(stack, stock=5)
    user, service = stack.auth("user", user_id=1), stack.auth("service")
    new = {"sku": fresh_sku(), "name": "x", "price": 1}
    adjustment = {"delta": 1, "reason": "test"}
    for headers, status, code in ((None, 401, "UNAUTHENTICATED"), (user, 403, "FORBIDDEN")):
        error_of(call(stack, "POST", ADMIN, headers, json=new), status, code)
        error_of(
            call(stack, "PUT", f"{ADMIN}/{product['id']}", headers, json={"price": 1}),
            status,
            code,
        )
        error_of(
            call(stack, "PUT", f"{ADMIN}/{product['id']}/inventory", headers, json=adjustment),
            status,
            code,
        )
    error_of(call(stack, "POST", ADMIN, service, json=new), 403, "FORBIDDEN")
    error_of(
        call(stack, "PUT", f"{ADMIN}/{product['id']}", service, json={"price": 1}),
        403,
        "FORBIDDEN",
    )
    assert call(stack, "GET", f"{PRODUCTS}/{product['id']}").json()["data"] == product


def test_conflicts_missing_ids_and_the_subgraphs_own_validation(stack: RunningStack) -> None:
    first, second = create(stack), create(stack)
    duplicate = call(
        stack,
        "POST",
        ADMIN,
        stack.admin,
        json={"sku": first["sku"].lower(), "name": "x", "price": 1},
    )
    assert error_of(duplicate, 409, "CONFLICT")["details"]["field"] == "sku"
    renamed = call(stack, "PUT", f"{ADMIN}/{second['id']}", stack.admin, json={"sku": first["sku"]})
    assert error_of(renamed, 409, "CONFLICT")["details"]["field"] == "sku"

    missing = 2**31 - 1
    error_of(
        call(stack, "PUT", f"{ADMIN}/{missing}", stack.admin, json={"price": 1}), 404, "NOT_FOUND"
    )
    error_of(
        call(
            stack,
            "PUT",
            f"{ADMIN}/{missing}/inventory",
            stack.admin,
            json={"delta": 1, "reason": "x"},
        ),
        404,
        "NOT_FOUND",
    )

    # Allowed by the REST schema, refused by the domain's rules.
    def problems(response: httpx.Response) -> set[str]:
        error = error_of(response, 422, "VALIDATION_FAILED")
        return {problem["field"] for problem in error["details"]["problems"]}

    bad_create = call(
        stack, "POST", ADMIN, stack.admin, json={"sku": "not a sku", "name": "  ", "price": 1.234}
    )
    assert problems(bad_create) == {"sku", "name", "price"}
    zero = call(
        stack,
        "PUT",
        f"{ADMIN}/{first['id']}/inventory",
        stack.admin,
        json={"delta": 0, "reason": "nothing"},
    )
    assert problems(zero) == {"delta"}
    inverted = call(stack, "GET", PRODUCTS, params={"min_price": 5, "max_price": 1})
    assert problems(inverted) == {"max_price"}

    # Refused by the REST schema before reaching the graph.
    unknown = call(stack, "PUT", f"{ADMIN}/{first['id']}/inventory", stack.admin, json={"stock": 3})
    assert {"delta", "reason", "stock"} <= {
        problem["field"]
        for problem in error_of(unknown, 422, "VALIDATION_FAILED")["details"]["problems"]
    }
    no_query = call(stack, "GET", f"{PRODUCTS}/search")
    assert error_of(no_query, 422, "VALIDATION_FAILED")["details"]["problems"] == [
        {"field": "q", "in": "query", "message": "Field required"}
    ]
