"""Products through the gateway: the seeded catalogue, filters, changes, stock that stays >= 0;
reads for everyone, product changes for admins, stock adjustments for admins and services."""

from __future__ import annotations

from dataclasses import replace

from tests.integration.test_orders_through_gateway import create_product
from tests.integration.test_users_through_gateway import only_error
from tests.support.stack import RunningStack

ADJUST = """
mutation($id: ID!, $d: Int!) { adjustInventory(id: $id, delta: $d, reason: "test") { stock } }
"""
UPDATE = "mutation($id: ID!) { updateProduct(id: $id, input: {price: 1.5}) { price } }"
CREATE = 'mutation { createProduct(input: {sku: "NEVER-MADE", name: "x", price: 1}) { id } }'
READ = "query($id: ID!) { product(id: $id) { price stock } }"


def as_caller(stack: RunningStack, headers: dict[str, str]) -> RunningStack:
    """The stack seen by a client sending `headers` ({} for an anonymous one)."""
    return replace(stack, default_headers=headers)


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
    admin = stack.as_admin()
    product = create_product(admin, stock=3)

    updated = admin.data(
        "mutation($id: ID!) { updateProduct(id: $id, input: {price: 12.5, active: false}) "
        "{ sku price active } }",
        {"id": product["id"]},
    )["updateProduct"]
    assert updated == {"sku": product["sku"], "price": 12.5, "active": False}
    assert admin.data(ADJUST, {"id": product["id"], "d": 4}) == {"adjustInventory": {"stock": 7}}

    error = only_error(admin, ADJUST, {"id": product["id"], "d": -8})
    assert error["extensions"] == {"code": "CONFLICT", "field": "delta", "serviceName": "products"}
    duplicate = only_error(
        admin,
        'mutation($sku: String!) { createProduct(input: {sku: $sku, name: "x", price: 1}) { id } }',
        {"sku": product["sku"].lower()},
    )
    assert duplicate["extensions"] == {
        "code": "CONFLICT",
        "field": "sku",
        "serviceName": "products",
    }
    assert product["sku"].lower() not in duplicate["message"]
    listed = stack.data(
        "query($s: String) { products(search: $s, active: false, inStock: true) "
        "{ items { sku stock } } }",
        {"s": product["sku"]},
    )
    assert listed["products"]["items"] == [{"sku": product["sku"], "stock": 7}]


def test_product_changes_need_an_admin_and_stock_adjustments_an_admin_or_a_service(
    stack: RunningStack,
) -> None:
    product = create_product(stack.as_admin(), stock=5, price=2.0)
    anonymous = as_caller(stack, {})
    user = as_caller(stack, stack.auth("user", user_id=1))
    service = as_caller(stack, stack.auth("service"))
    variables = {"id": product["id"], "d": 1}

    for operation, needed in ((CREATE, "admin"), (UPDATE, "admin"), (ADJUST, "admin or service")):
        refused = only_error(anonymous, operation, variables)
        assert refused["extensions"] == {"code": "UNAUTHENTICATED", "serviceName": "products"}
        assert f"needs a token with the role {needed}" in refused["message"]
        refused = only_error(user, operation, variables)
        assert refused["extensions"] == {"code": "FORBIDDEN", "serviceName": "products"}
        assert f"needs the role {needed};" in refused["message"]
    for operation in (CREATE, UPDATE):
        refused = only_error(service, operation, variables)
        assert refused["extensions"] == {"code": "FORBIDDEN", "serviceName": "products"}

    assert anonymous.data(READ, {"id": product["id"]}) == {"product": {"price": 2.0, "stock": 5}}, (
        "nothing changed, and anyone reads the catalogue"
    )
    assert service.data(ADJUST, variables) == {"adjustInventory": {"stock": 6}}
    assert user.data(READ, {"id": product["id"]}) == {"product": {"price": 2.0, "stock": 6}}
    assert anonymous.data('{ productBySku(sku: "NEVER-MADE") { id } }') == {"productBySku": None}
