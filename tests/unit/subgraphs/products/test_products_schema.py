"""The products schema run in-process: queries, mutations, entities by either key, client errors."""

from __future__ import annotations

from subgraphs.kit.schema import print_sdl
from subgraphs.products.schema import schema

PRODUCT = "fragment P on Product { id sku name description price stock active createdAt updatedAt }"
CREATE = "mutation($input: CreateProductInput!) { createProduct(input: $input) { ...P } }" + PRODUCT
UPDATE = (
    """
mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { ...P } }
"""
    + PRODUCT
)
ADJUST = """
mutation($id: ID!, $d: Int!, $r: String!) {
  adjustInventory(id: $id, delta: $d, reason: $r) { sku stock } }
"""
ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id sku stock } } }
"""


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def test_create_then_read_by_id_and_by_sku(execute) -> None:
    created = await execute(
        CREATE, {"input": {"sku": "mug-1", "name": "Mug", "price": 4.5, "stock": 3}}
    )

    assert created.errors is None
    product = created.data["createProduct"]
    assert {k: product[k] for k in ("id", "sku", "description", "price", "stock", "active")} == {
        "id": "1",
        "sku": "MUG-1",
        "description": None,
        "price": 4.5,
        "stock": 3,
        "active": True,
    }
    assert product["createdAt"].endswith("+00:00")
    by_id = await execute("{ product(id: 1) { ...P } }" + PRODUCT)
    by_sku = await execute('{ productBySku(sku: " Mug-1 ") { ...P } }' + PRODUCT)
    unknown = await execute('{ a: productBySku(sku: "no such") { id } b: product(id: "x") { id } }')
    assert by_id.data["product"] == by_sku.data["productBySku"] == product
    assert unknown.data == {"a": None, "b": None}


async def test_create_errors_name_the_fields(execute, add_product) -> None:
    await add_product(sku="TAKEN")

    invalid = await execute(CREATE, {"input": {"sku": "a b", "name": "", "price": -1}})
    taken = await execute(CREATE, {"input": {"sku": "taken", "name": "X", "price": 1}})

    error = error_of(invalid)
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [p["field"] for p in error["extensions"]["problems"]] == ["sku", "name", "price"]
    assert error_of(taken)["extensions"] == {"code": "CONFLICT", "field": "sku"}


async def test_update_is_partial(execute, add_product) -> None:
    await add_product(sku="MUG", description="Blue")

    result = await execute(UPDATE, {"id": "1", "input": {"name": "Big mug", "price": 7}})
    cleared = await execute(UPDATE, {"id": "1", "input": {"description": None}})
    missing = await execute(UPDATE, {"id": "5", "input": {"name": "x"}})

    product = result.data["updateProduct"]
    assert (product["sku"], product["name"], product["description"], product["price"]) == (
        "MUG",
        "Big mug",
        "Blue",
        7.0,
    )
    assert cleared.data["updateProduct"]["description"] is None
    assert error_of(missing)["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_adjust_inventory_and_its_conflict(execute, add_product) -> None:
    await add_product(sku="MUG", stock=2)

    added = await execute(ADJUST, {"id": "1", "d": 3, "r": "delivery"})
    refused = await execute(ADJUST, {"id": "1", "d": -6, "r": "stocktake"})
    invalid = await execute(ADJUST, {"id": "1", "d": 0, "r": ""})

    assert added.data == {"adjustInventory": {"sku": "MUG", "stock": 5}}
    error = error_of(refused)
    assert error["extensions"] == {"code": "CONFLICT", "field": "delta"}
    assert "only 5 in stock" in error["message"]
    assert [p["field"] for p in error_of(invalid)["extensions"]["problems"]] == [
        "delta",
        "reason",
    ]


async def test_products_filters_and_pages(execute, add_product) -> None:
    await add_product(sku="A", name="Red mug", price=5, stock=0)
    await add_product(sku="B", name="Blue mug", price=15)
    await add_product(sku="C", name="Lamp", price=25)

    result = await execute(
        '{ products(search: "MUG", minPrice: 5, inStock: true, pageSize: 1) '
        "{ items { sku } pageInfo { page pageSize totalPages totalCount } } }"
    )
    bad = await execute("{ products(minPrice: 10, maxPrice: 1) { items { sku } } }")

    assert result.data["products"] == {
        "items": [{"sku": "B"}],
        "pageInfo": {"page": 1, "pageSize": 1, "totalPages": 1, "totalCount": 1},
    }
    assert error_of(bad)["extensions"]["field"] == "maxPrice"


async def test_entities_resolve_by_id_and_by_sku_with_one_query_per_key(
    execute, add_product, engine, sql_statements
) -> None:
    for _ in range(3):
        await add_product()
    statements = sql_statements(engine)

    result = await execute(
        ENTITIES,
        {
            "r": [
                {"__typename": "Product", "sku": "PROD-3"},
                {"__typename": "Product", "id": "1"},
                {"__typename": "Product", "sku": "prod-1"},
                {"__typename": "Product", "sku": "NONE"},
                {"__typename": "Product", "id": "2"},
                {"__typename": "Product", "sku": "bad sku!"},
            ]
        },
    )

    assert result.errors is None
    assert [e["sku"] if e else None for e in result.data["_entities"]] == [
        "PROD-3",
        "PROD-1",
        "PROD-1",
        None,
        "PROD-2",
        None,
    ]
    assert statements.count == 2, statements.statements


def test_sdl_has_both_keys() -> None:
    sdl = print_sdl(schema)

    assert 'type Product @key(fields: "id") @key(fields: "sku")' in sdl
    assert "type PageInfo @shareable" in sdl
    assert "adjustInventory(id: ID!, delta: Int!, reason: String!): Product!" in sdl
