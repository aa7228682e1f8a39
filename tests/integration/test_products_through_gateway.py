"""Products through the gateway: the seeded catalogue, filters, changes, stock that stays >= 0."""

from __future__ import annotations

from tests.integration.conftest import RunningStack
from tests.integration.test_orders_through_gateway import create_product
from tests.integration.test_users_through_gateway import only_error

ADJUST = """
mutation($id: ID!, $d: Int!) { adjustInventory(id: $id, delta: $d, reason: "test") { stock } }
"""


def test_the_seeded_catalogue_by_sku_and_by_filters(stack: RunningStack) -> None:
    data = stack.data(
        """
        { productBySku(sku: "prod-3") { sku name price stock active }
          products(search: "PROD-1", maxPrice: 20, pageSize: 50) {
            items { sku } pageInfo { totalCount } } }
        """
    )

    assert data["productBySku"]["sku"] == "PROD-3"
    assert data["productBySku"]["price"] == 19.99
    assert data["productBySku"]["active"] is True
    # PROD-1 (4.99), and PROD-10 .. PROD-12 cost more than 20.
    assert data["products"] == {"items": [{"sku": "PROD-1"}], "pageInfo": {"totalCount": 1}}


def test_create_update_and_adjust_a_product(stack: RunningStack) -> None:
    product = create_product(stack, stock=3)

    updated = stack.data(
        "mutation($id: ID!) { updateProduct(id: $id, input: {price: 12.5, active: false}) "
        "{ sku price active } }",
        {"id": product["id"]},
    )["updateProduct"]
    assert updated == {"sku": product["sku"], "price": 12.5, "active": False}
    assert stack.data(ADJUST, {"id": product["id"], "d": 4}) == {"adjustInventory": {"stock": 7}}

    error = only_error(stack, ADJUST, {"id": product["id"], "d": -8})
    assert error["extensions"] == {"code": "CONFLICT", "field": "delta", "serviceName": "products"}
    duplicate = only_error(
        stack,
        'mutation($sku: String!) { createProduct(input: {sku: $sku, name: "x", price: 1}) { id } }',
        {"sku": product["sku"].lower()},
    )
    assert duplicate["extensions"] == {
        "code": "CONFLICT",
        "field": "sku",
        "serviceName": "products",
    }
    listed = stack.data(
        "query($s: String) { products(search: $s, active: false, inStock: true) "
        "{ items { sku stock } } }",
        {"s": product["sku"]},
    )
    assert listed["products"]["items"] == [{"sku": product["sku"], "stock": 7}]
