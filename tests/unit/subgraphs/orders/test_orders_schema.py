"""The orders schema run in-process: queries, mutations, User stubs, entities, client errors."""

from __future__ import annotations

import pytest

from subgraphs.kit.schema import print_sdl
from subgraphs.orders.schema import schema

ORDER = (
    "fragment O on Order { id userId productId quantity totalPrice status createdAt updatedAt "
    "user { id } }"
)
CREATE = "mutation($input: CreateOrderInput!) { createOrder(input: $input) { ...O } }" + ORDER
UPDATE = "mutation($id: ID!, $s: OrderStatus!) { updateOrder(id: $id, status: $s) { id status } }"
DELETE = "mutation($id: ID!) { deleteOrder(id: $id) }"
USER_ORDERS = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id orders { id } } }
}
"""


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def test_create_order_then_fetch_it(execute) -> None:
    created = await execute(
        CREATE,
        {"input": {"userId": "4", "productId": "PROD-9", "quantity": 2, "totalPrice": 25.5}},
    )

    assert created.errors is None
    order = created.data["createOrder"]
    assert {key: order[key] for key in ("id", "userId", "productId", "quantity")} == {
        "id": "1",
        "userId": "4",
        "productId": "PROD-9",
        "quantity": 2,
    }
    # The total sent is ignored: the order is unpriced until the inventory prices it.
    assert (order["totalPrice"], order["status"], order["user"]) == (None, "PENDING", {"id": "4"})
    assert order["createdAt"].endswith("+00:00")

    fetched = await execute("{ order(id: 1) { ...O } }" + ORDER)
    assert fetched.data["order"] == order


async def test_create_order_validation_error_names_every_field(execute) -> None:
    result = await execute(
        CREATE,
        {
            "input": {
                "userId": "me",
                "productId": "",
                "quantity": 0,
                "totalPrice": 0.125,
                "idempotencyKey": "",
            }
        },
    )

    error = error_of(result)
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "userId"
    assert [p["field"] for p in error["extensions"]["problems"]] == [
        "userId",
        "productId",
        "quantity",
        "idempotencyKey",
    ]


async def test_update_order_moves_status_and_refuses_other_moves(execute, add_order) -> None:
    await add_order()

    confirmed = await execute(UPDATE, {"id": "1", "s": "CONFIRMED"})
    refused = await execute(UPDATE, {"id": "1", "s": "CONFIRMED"})
    missing = await execute(UPDATE, {"id": "9", "s": "CONFIRMED"})

    assert confirmed.data == {"updateOrder": {"id": "1", "status": "CONFIRMED"}}
    error = error_of(refused)
    assert error["extensions"] == {"code": "CONFLICT", "field": "status"}
    assert "from CONFIRMED to CONFIRMED" in error["message"]
    assert "SHIPPED, CANCELLED" in error["message"]
    assert error_of(missing)["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_orders_filters_and_pages(execute, add_order) -> None:
    for user in ("1", "2", "1", "3", "1"):
        await add_order(user_id=user)
    await execute(UPDATE, {"id": "3", "s": "CANCELLED"})

    by_user = await execute(
        '{ orders(userId: "1", pageSize: 2) { items { id } '
        "pageInfo { page pageSize totalPages totalCount } } }"
    )
    by_status = await execute("{ orders(status: CANCELLED) { items { id status } } }")
    malformed = await execute('{ orders(userId: "x") { items { id } pageInfo { totalCount } } }')
    bad_page = await execute("{ orders(pageSize: 0) { items { id } } }")

    assert by_user.data["orders"] == {
        "items": [{"id": "1"}, {"id": "3"}],
        "pageInfo": {"page": 1, "pageSize": 2, "totalPages": 2, "totalCount": 3},
    }
    assert by_status.data["orders"]["items"] == [{"id": "3", "status": "CANCELLED"}]
    assert malformed.data["orders"] == {"items": [], "pageInfo": {"totalCount": 0}}
    assert error_of(bad_page)["extensions"]["field"] == "pageSize"


async def test_deleted_order_is_gone(execute, add_order) -> None:
    await add_order()

    assert (await execute(DELETE, {"id": "1"})).data == {"deleteOrder": True}
    assert (await execute("{ order(id: 1) { id } }")).data == {"order": None}
    assert error_of(await execute(DELETE, {"id": "1"}))["extensions"]["code"] == "NOT_FOUND"
    assert error_of(await execute(UPDATE, {"id": "1", "s": "CONFIRMED"}))["extensions"] == {
        "code": "NOT_FOUND",
        "field": "id",
    }
    entities = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id } } }",
        {"r": [{"__typename": "Order", "id": "1"}]},
    )
    assert entities.data == {"_entities": [None]}


async def test_user_entities_carry_their_orders_newest_first_in_one_query(
    execute, add_order, engine, sql_statements
) -> None:
    for user in ("1", "2", "1", "1"):
        await add_order(user_id=user)
    await execute(DELETE, {"id": "3"})
    statements = sql_statements(engine)

    result = await execute(
        USER_ORDERS,
        {
            "representations": [
                {"__typename": "User", "id": "1"},
                {"__typename": "User", "id": "2"},
                {"__typename": "User", "id": "77"},
                {"__typename": "User", "id": 1},
            ]
        },
    )

    assert result.errors is None
    assert result.data["_entities"] == [
        {"id": "1", "orders": [{"id": "4"}, {"id": "1"}]},
        {"id": "2", "orders": [{"id": "2"}]},
        {"id": "77", "orders": []},
        {"id": "1", "orders": [{"id": "4"}, {"id": "1"}]},
    ]
    assert statements.count == 1, statements.statements


async def test_order_entities_resolve_with_one_query(
    execute, add_order, engine, sql_statements
) -> None:
    for _ in range(4):
        await add_order()
    statements = sql_statements(engine)

    result = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }",
        {"r": [{"__typename": "Order", "id": str(n)} for n in (4, 2, 9, 1)]},
    )

    assert [order["id"] if order else None for order in result.data["_entities"]] == [
        "4",
        "2",
        None,
        "1",
    ]
    assert statements.count == 1


async def test_order_user_stub_costs_no_query(execute, add_order, engine, sql_statements):
    for user in ("1", "2", "3"):
        await add_order(user_id=user)
    statements = sql_statements(engine)

    without_user = await execute("{ orders { items { id } } }")
    count_without = statements.count
    with_user = await execute("{ orders { items { id user { id } } } }")

    assert without_user.errors is None and with_user.errors is None
    assert [item["user"] for item in with_user.data["orders"]["items"]] == [
        {"id": "1"},
        {"id": "2"},
        {"id": "3"},
    ]
    assert statements.count - count_without == count_without


@pytest.mark.parametrize(
    "enum_value", ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"]
)
def test_sdl_is_federation_v2_with_keys_and_statuses(enum_value) -> None:
    sdl = print_sdl(schema)

    assert '@link(url: "https://specs.apollo.dev/federation/v2' in sdl
    assert 'type Order @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "type PageInfo @shareable" in sdl
    assert f"  {enum_value}\n" in sdl.split("enum OrderStatus")[1]


ITEMS = """
{ orders { items { id totalAmount shippingAddress items {
    quantity unitPrice lineTotal product { sku } } } } }
"""


async def test_create_order_with_items_and_read_them_back_unpriced(execute) -> None:
    created = await execute(
        "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id productId quantity "
        "totalPrice totalAmount shippingAddress notes cancellationReason "
        "items { quantity unitPrice lineTotal product { sku } } } }",
        {
            "input": {
                "userId": "1",
                "items": [
                    {"productId": "PROD-1", "quantity": 3, "unitPrice": 4.99},
                    {"productId": "PROD-7", "quantity": 1, "unitPrice": 49.99},
                ],
                "shippingAddress": "1 Main St",
                "notes": "ring twice",
            }
        },
    )

    assert created.errors is None
    assert created.data["createOrder"] == {
        "id": "1",
        "productId": "PROD-1",
        "quantity": 3,
        "totalPrice": None,
        "totalAmount": None,
        "shippingAddress": "1 Main St",
        "notes": "ring twice",
        "cancellationReason": None,
        "items": [
            {"quantity": 3, "unitPrice": None, "lineTotal": None, "product": {"sku": "PROD-1"}},
            {"quantity": 1, "unitPrice": None, "lineTotal": None, "product": {"sku": "PROD-7"}},
        ],
    }


async def test_both_forms_at_once_is_a_validation_error_naming_items(execute) -> None:
    result = await execute(
        CREATE,
        {
            "input": {
                "userId": "1",
                "productId": "PROD-1",
                "items": [{"productId": "PROD-1", "quantity": 1, "unitPrice": 1}],
            }
        },
    )

    error = error_of(result)
    assert error["extensions"] == {
        "code": "VALIDATION_FAILED",
        "field": "items",
        "problems": [
            {
                "field": "items",
                "message": "give either items or productId, quantity, not both",
            }
        ],
    }


async def test_items_of_many_orders_load_with_one_query(
    execute, add_order, engine, sql_statements
) -> None:
    for _ in range(4):
        await add_order()
    statements = sql_statements(engine)

    without_items = await execute("{ orders { items { id totalAmount } } }")
    count_without = statements.count
    with_items = await execute(ITEMS)

    assert without_items.errors is None and with_items.errors is None
    assert [o["items"] for o in with_items.data["orders"]["items"]] == [
        [{"quantity": 1, "unitPrice": None, "lineTotal": None, "product": {"sku": "PROD-1"}}]
    ] * 4
    assert statements.count - count_without == count_without + 1


async def test_my_orders_needs_a_signed_in_user(execute) -> None:
    result = await execute("{ myOrders { items { id } } }", identity=None)

    assert error_of(result)["extensions"]["code"] == "UNAUTHENTICATED"


async def test_cancel_order_keeps_the_reason_and_refuses_a_second_time(execute, add_order) -> None:
    await add_order()
    cancel = "mutation($r: String) { cancelOrder(id: 1, reason: $r) { status cancellationReason } }"

    first = await execute(cancel, {"r": "found it cheaper"})
    second = await execute(cancel, {"r": None})

    assert first.data == {
        "cancelOrder": {"status": "CANCELLED", "cancellationReason": "found it cheaper"}
    }
    error = error_of(second)
    assert error["extensions"] == {"code": "CONFLICT", "field": "id"}
    assert "is CANCELLED" in error["message"]


def test_sdl_names_products_by_sku_without_resolving_them() -> None:
    sdl = print_sdl(schema)

    assert 'type Product @key(fields: "sku", resolvable: false) {\n  sku: String!\n}' in sdl
