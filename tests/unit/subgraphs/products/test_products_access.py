"""Who may do what with the catalogue: everyone reads, admins change products, admins and
services adjust the stock; an adjustment is an event carrying who did it."""

from __future__ import annotations

import pytest

from common.errors import Forbidden, Unauthenticated
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.products.service import ProductService

ADMIN = Identity("admin", roles=frozenset({"admin"}))
SERVICE = Identity("order-service", roles=frozenset({"service"}))
USER = Identity("user:7", user_id=7, roles=frozenset({"user"}))

CREATE = """
mutation { createProduct(input: {sku: "NEW-1", name: "New", price: 2.5}) { sku } }
"""
UPDATE = "mutation($id: ID!) { updateProduct(id: $id, input: {price: 1}) { price } }"
ADJUST = """
mutation($id: ID!, $d: Int!) { adjustInventory(id: $id, delta: $d, reason: "stocktake") {
  stock } }
"""
READ = """
query($id: ID!) { product(id: $id) { sku price stock }
  productBySku(sku: "prod-1") { sku }
  products { pageInfo { totalCount } } }
"""


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


@pytest.fixture
async def product_id(add_product) -> str:
    return str(await add_product(stock=5))


@pytest.mark.parametrize("identity", [None, USER, SERVICE, ADMIN], ids=str)
async def test_everyone_reads_the_catalogue(execute, product_id, identity) -> None:
    result = await execute(READ, {"id": product_id}, identity=identity)

    assert result.errors is None
    assert result.data == {
        "product": {"sku": "PROD-1", "price": 10.0, "stock": 5},
        "productBySku": {"sku": "PROD-1"},
        "products": {"pageInfo": {"totalCount": 1}},
    }


@pytest.mark.parametrize(
    ("operation", "roles"),
    [(CREATE, "admin"), (UPDATE, "admin"), (ADJUST, "admin or service")],
    ids=["create", "update", "adjust"],
)
async def test_changes_are_refused_without_the_role_naming_it(
    execute, product_id, operation, roles
) -> None:
    variables = {"id": product_id, "d": 1}
    anonymous = error_of(await execute(operation, variables, identity=None))
    as_user = error_of(await execute(operation, variables, identity=USER))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert f"needs a token with the role {roles}" in anonymous["message"]
    assert as_user["extensions"] == {"code": "FORBIDDEN"}
    assert f"needs the role {roles};" in as_user["message"]
    unchanged = await execute(READ, {"id": product_id}, identity=None)
    assert unchanged.data["product"] == {"sku": "PROD-1", "price": 10.0, "stock": 5}
    assert unchanged.data["products"]["pageInfo"]["totalCount"] == 1


async def test_services_adjust_the_stock_but_do_not_administer_products(
    execute, product_id
) -> None:
    adjusted = await execute(ADJUST, {"id": product_id, "d": 3}, identity=SERVICE)
    created = error_of(await execute(CREATE, identity=SERVICE))
    updated = error_of(await execute(UPDATE, {"id": product_id}, identity=SERVICE))

    assert adjusted.data == {"adjustInventory": {"stock": 8}}
    assert created["extensions"] == updated["extensions"] == {"code": "FORBIDDEN"}


async def test_admins_do_everything(execute, product_id) -> None:
    assert (await execute(CREATE, identity=ADMIN)).data == {"createProduct": {"sku": "NEW-1"}}
    assert (await execute(UPDATE, {"id": product_id}, identity=ADMIN)).data == {
        "updateProduct": {"price": 1.0}
    }
    assert (await execute(ADJUST, {"id": product_id, "d": -5}, identity=ADMIN)).data == {
        "adjustInventory": {"stock": 0}
    }


async def test_an_adjustment_emits_an_event_naming_who_did_it(execute, product_id, emitted) -> None:
    await execute(ADJUST, {"id": product_id, "d": 4}, identity=SERVICE)
    await execute(ADJUST, {"id": product_id, "d": -2}, identity=ADMIN)

    first, second = await emitted()

    assert (first.type, first.entity_type, first.entity_id) == (
        "product.stock_adjusted",
        "Product",
        product_id,
    )
    assert first.payload == {
        "product_id": product_id,
        "sku": "PROD-1",
        "delta": 4,
        "reason": "stocktake",
        "stock": 9,
    }
    assert (first.actor, first.source) == ("order-service", "products")
    assert (second.actor, second.payload["delta"], second.payload["stock"]) == ("admin", -2, 7)


async def test_a_refused_adjustment_emits_nothing(execute, product_id, emitted) -> None:
    too_many = error_of(await execute(ADJUST, {"id": product_id, "d": -6}, identity=ADMIN))
    forbidden = error_of(await execute(ADJUST, {"id": product_id, "d": 1}, identity=USER))

    assert too_many["extensions"] == {"code": "CONFLICT", "field": "delta"}
    assert forbidden["extensions"] == {"code": "FORBIDDEN"}
    assert await emitted() == []


async def test_the_service_checks_the_role_before_looking_anything_up(session) -> None:
    db = RequestDb(session)

    with pytest.raises(Unauthenticated):
        await ProductService(db).adjust_inventory("no such id", 1, "x")
    with pytest.raises(Forbidden) as caught:
        await ProductService(db, caller=USER).update("no such id", name="x")
    assert caught.value.message == (
        "Changing a product needs the role admin; "
        "ask an administrator to do it or to grant you the role."
    )
