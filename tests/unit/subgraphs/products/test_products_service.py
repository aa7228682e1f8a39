"""Product rules: validation, unique skus, partial updates, a stock that never goes below 0."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from common.errors import Conflict, NotFound, ValidationFailed
from subgraphs.kit.clock import as_utc
from subgraphs.kit.updates import KEEP


async def test_create_normalises_the_sku_and_stores_an_exact_price(service, clock) -> None:
    row = await service.create(
        sku=" prod-x_1 ", name="  Mug ", price=19.99, description="  ", stock=3
    )

    assert (row.id, row.sku, row.name, row.description) == (1, "PROD-X_1", "Mug", None)
    assert (row.price, row.stock, row.active) == (Decimal("19.99"), 3, True)
    assert row.created_at == row.updated_at == clock.now


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sku": ""}, "sku"),
        ({"sku": "PROD 1"}, "sku"),
        ({"sku": "PROD.1"}, "sku"),
        ({"sku": "P" * 65}, "sku"),
        ({"name": " "}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"description": "d" * 2001}, "description"),
        ({"price": -0.01}, "price"),
        ({"price": 1.234}, "price"),
        ({"price": math.nan}, "price"),
        ({"price": 1e10}, "price"),
        ({"stock": -1}, "stock"),
        ({"stock": 1_000_000_001}, "stock"),
    ],
)
async def test_create_refuses_each_bad_field(service, fields, field) -> None:
    values = {"sku": "PROD-1", "name": "Mug", "price": 1.0}

    with pytest.raises(ValidationFailed) as caught:
        await service.create(**(values | fields))

    assert [problem.field for problem in caught.value.problems] == [field]


async def test_a_taken_sku_is_a_conflict_in_any_case(service, add_product) -> None:
    await add_product(sku="PROD-7")

    with pytest.raises(Conflict) as caught:
        await service.create(sku="prod-7", name="Other", price=1.0)

    assert caught.value.field == "sku"
    assert "prod-7" not in caught.value.message.lower()


async def test_update_changes_only_the_given_fields(service, add_product, clock) -> None:
    product_id = await add_product(description="Old")
    later = clock.advance(hours=1)

    row = await service.update(
        str(product_id), sku="new-sku", name=KEEP, description=None, price=2.5, active=False
    )

    assert (row.sku, row.name, row.description) == ("NEW-SKU", "Product 1", None)
    assert (row.price, row.active, row.stock, row.updated_at) == (Decimal("2.50"), False, 10, later)


async def test_update_refuses_a_taken_sku_a_null_name_and_a_missing_product(
    service, add_product
) -> None:
    first = await add_product()
    await add_product()

    with pytest.raises(Conflict):
        await service.update(first, sku="PROD-2")
    with pytest.raises(ValidationFailed) as caught:
        await service.update(first, name=None, price=None)
    assert [p.field for p in caught.value.problems] == ["name", "price"]
    with pytest.raises(NotFound):
        await service.update("99", name="x")
    assert (await service.update(first, sku="prod-1")).sku == "PROD-1", "its own sku is fine"


async def test_adjust_inventory_adds_and_removes(service, add_product, clock) -> None:
    product_id = await add_product(stock=5)
    later = clock.advance(minutes=5)

    assert (await service.adjust_inventory(product_id, 7, "delivery")).stock == 12
    row = await service.adjust_inventory(str(product_id), -12, "stocktake")

    assert (row.stock, as_utc(row.updated_at)) == (0, later)


async def test_adjust_inventory_never_goes_below_zero(service, add_product) -> None:
    product_id = await add_product(sku="LOW", stock=2)

    with pytest.raises(Conflict) as caught:
        await service.adjust_inventory(product_id, -3, "broken")

    assert caught.value.field == "delta"
    assert "only 2 in stock" in caught.value.message and "LOW" in caught.value.message
    assert (await service.get_many([product_id]))[0].stock == 2


@pytest.mark.parametrize(
    ("delta", "reason", "fields"),
    [
        (0, "x", ["delta"]),
        (2_000_000_000, "x", ["delta"]),
        (1, " ", ["reason"]),
        (0, "", ["delta", "reason"]),
    ],
)
async def test_adjust_inventory_validates_its_input(
    service, add_product, delta, reason, fields
) -> None:
    product_id = await add_product()

    with pytest.raises(ValidationFailed) as caught:
        await service.adjust_inventory(product_id, delta, reason)

    assert [p.field for p in caught.value.problems] == fields


@pytest.mark.parametrize("product_id", ["99", "abc", "", None])
async def test_adjust_inventory_of_an_unknown_product(service, add_product, product_id) -> None:
    await add_product()

    with pytest.raises(NotFound):
        await service.adjust_inventory(product_id, 1, "x")


async def test_list_page_filters(service, add_product) -> None:
    await add_product(sku="MUG-1", name="Coffee Mug", price=9.5, stock=0)
    await add_product(sku="TEA-100", name="Tea", description="Green tea from Japan", price=20)
    await add_product(sku="LAMP", name="Desk lamp", price=35.0, active=False)

    async def skus(**filters) -> list[str]:
        return [row.sku for row in (await service.list_page(**filters)).items]

    assert await skus(search="mug") == ["MUG-1"]
    assert await skus(search="JAPAN") == ["TEA-100"]
    assert await skus(search="tea-1") == ["TEA-100"]
    assert await skus(search="%") == []
    assert await skus(min_price=9.5, max_price=20) == ["MUG-1", "TEA-100"]
    assert await skus(in_stock=True) == ["TEA-100", "LAMP"]
    assert await skus(in_stock=False) == ["MUG-1"]
    assert await skus(active=False) == ["LAMP"]


async def test_list_page_validates_every_argument(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.list_page(page=0, min_price=-1, max_price=0.001)
    assert [p.field for p in caught.value.problems] == ["page", "minPrice", "maxPrice"]

    with pytest.raises(ValidationFailed) as caught:
        await service.list_page(min_price=5, max_price=4)
    assert [p.field for p in caught.value.problems] == ["maxPrice"]
