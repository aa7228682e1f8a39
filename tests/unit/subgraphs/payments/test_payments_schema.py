"""The payments schema run in-process: mutations, queries, Order and Payment entities, errors."""

from __future__ import annotations

from subgraphs.kit.identity import Identity
from subgraphs.kit.schema import print_sdl
from subgraphs.payments.schema import schema

PAYMENT = (
    "fragment P on Payment { id orderId userId amount currency method status providerReference "
    "failureReason refundReason createdAt updatedAt order { id } user { id } }"
)
CREATE = "mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ...P } }" + PAYMENT
PROCESS = "mutation($id: ID!) { processPayment(id: $id) { ...P } }" + PAYMENT
REFUND = "mutation($id: ID!, $r: String!) { refundPayment(id: $id, reason: $r) { ...P } }" + PAYMENT
ORDER_PAYMENTS = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Order { id payment { id status amount } } }
}
"""


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def pay(execute, order_id: str = "1", **fields) -> dict:
    result = await execute(CREATE, {"input": {"orderId": order_id, "method": "CARD", **fields}})
    assert result.errors is None, result.errors
    return result.data["createPayment"]


async def test_create_process_refund(execute, known_order) -> None:
    await known_order(order_id=3, user_id=8, total="42.50")

    created = await pay(execute, "3", cardToken="tok_visa")
    processed = await execute(PROCESS, {"id": created["id"]})
    refunded = await execute(REFUND, {"id": created["id"], "r": "duplicate order"})

    assert {k: created[k] for k in ("id", "orderId", "userId", "amount", "currency", "status")} == {
        "id": "1",
        "orderId": "3",
        "userId": "8",
        "amount": 42.5,
        "currency": "USD",
        "status": "PENDING",
    }
    assert (created["order"], created["user"]) == ({"id": "3"}, {"id": "8"})
    assert created["createdAt"].endswith("+00:00")
    payment = processed.data["processPayment"]
    assert (payment["status"], payment["providerReference"]) == ("SUCCEEDED", "fake_ch_1")
    assert payment["updatedAt"].endswith("+00:00")
    payment = refunded.data["refundPayment"]
    assert (payment["status"], payment["refundReason"]) == ("REFUNDED", "duplicate order")


async def test_a_declined_card_fails_the_payment(execute, known_order) -> None:
    await known_order()
    created = await pay(execute, cardToken="tok_fail_stolen")

    result = await execute(PROCESS, {"id": created["id"]})

    payment = result.data["processPayment"]
    assert payment["status"] == "FAILED"
    assert "tok_fail_stolen" in payment["failureReason"]
    assert payment["providerReference"] is None


async def test_errors_carry_code_and_field(execute, known_order) -> None:
    await known_order(order_id=1)
    await known_order(order_id=2, status="CANCELLED")
    await pay(execute, "1")

    unknown = await execute(CREATE, {"input": {"orderId": "77", "method": "WALLET"}})
    cancelled = await execute(CREATE, {"input": {"orderId": "2", "method": "WALLET"}})
    twice = await execute(CREATE, {"input": {"orderId": "1", "method": "WALLET"}})
    invalid = await execute(
        CREATE, {"input": {"orderId": "x", "method": "WALLET", "currency": "dollars"}}
    )
    refund_pending = await execute(REFUND, {"id": "1", "r": "no"})
    process_missing = await execute(PROCESS, {"id": "9"})

    assert error_of(unknown)["extensions"] == {"code": "NOT_FOUND", "field": "orderId"}
    assert error_of(cancelled)["extensions"] == {"code": "CONFLICT", "field": "orderId"}
    assert error_of(twice)["extensions"] == {"code": "CONFLICT", "field": "orderId"}
    assert [p["field"] for p in error_of(invalid)["extensions"]["problems"]] == [
        "orderId",
        "currency",
    ]
    error = error_of(refund_pending)
    assert error["extensions"] == {"code": "CONFLICT", "field": "status"}
    assert "it is PENDING" in error["message"]
    assert error_of(process_missing)["extensions"] == {"code": "NOT_FOUND", "field": "id"}


async def test_second_process_is_a_conflict_naming_the_status(execute, known_order) -> None:
    await known_order()
    created = await pay(execute)
    await execute(PROCESS, {"id": created["id"]})

    error = error_of(await execute(PROCESS, {"id": created["id"]}))

    assert error["extensions"] == {"code": "CONFLICT", "field": "status"}
    assert "it is SUCCEEDED" in error["message"]


async def test_payments_filters_and_pages(execute, known_order) -> None:
    for order, user in ((1, 1), (2, 2), (3, 1)):
        await known_order(order_id=order, user_id=user)
        await pay(execute, str(order))
    await execute(PROCESS, {"id": "3"})

    by_user = await execute(
        '{ payments(userId: "1", pageSize: 1) { items { id } '
        "pageInfo { page pageSize totalPages totalCount } } }"
    )
    by_status = await execute("{ payments(status: SUCCEEDED) { items { id status } } }")
    by_order = await execute('{ payments(orderId: "2") { items { id orderId } } }')
    bad_page = await execute("{ payments(page: 0) { items { id } } }")

    assert by_user.data["payments"] == {
        "items": [{"id": "1"}],
        "pageInfo": {"page": 1, "pageSize": 1, "totalPages": 2, "totalCount": 2},
    }
    assert by_status.data["payments"]["items"] == [{"id": "3", "status": "SUCCEEDED"}]
    assert by_order.data["payments"]["items"] == [{"id": "2", "orderId": "2"}]
    assert error_of(bad_page)["extensions"]["field"] == "page"


async def test_payment_and_payment_by_order(execute, known_order) -> None:
    await known_order(order_id=5)
    await pay(execute, "5")

    by_id = await execute("{ payment(id: 1) { id orderId } missing: payment(id: 2) { id } }")
    by_order = await execute(
        '{ paymentByOrder(orderId: "5") { id } none: paymentByOrder(orderId: "6") { id } }'
    )

    assert by_id.data == {"payment": {"id": "1", "orderId": "5"}, "missing": None}
    assert by_order.data == {"paymentByOrder": {"id": "1"}, "none": None}


async def test_my_payments_needs_a_signed_in_user(execute, known_order) -> None:
    await known_order(order_id=1, user_id=4)
    await known_order(order_id=2, user_id=5)
    await pay(execute, "1")
    await pay(execute, "2")
    query = "{ myPayments { items { id userId } pageInfo { totalCount } } }"

    anonymous = await execute(query, identity=None)
    signed_in = await execute(query, identity=Identity(subject="user:4", user_id=4))
    service = await execute(query, identity=Identity(subject="svc", roles=frozenset({"service"})))

    assert error_of(anonymous)["extensions"]["code"] == "UNAUTHENTICATED"
    assert signed_in.data["myPayments"] == {
        "items": [{"id": "1", "userId": "4"}],
        "pageInfo": {"totalCount": 1},
    }
    assert error_of(service)["extensions"]["code"] == "FORBIDDEN"


async def test_order_entities_get_their_payment_in_one_query(
    execute, known_order, engine, sql_statements
) -> None:
    for order in (1, 2, 3):
        await known_order(order_id=order)
    await pay(execute, "1", cardToken="tok_fail")
    await execute(PROCESS, {"id": "1"})
    await pay(execute, "1")
    await pay(execute, "2")
    statements = sql_statements(engine)

    result = await execute(
        ORDER_PAYMENTS,
        {"r": [{"__typename": "Order", "id": str(order)} for order in (1, 2, 3, 1)]},
    )

    assert result.errors is None
    assert result.data["_entities"] == [
        {"id": "1", "payment": {"id": "2", "status": "PENDING", "amount": 59.97}},
        {"id": "2", "payment": {"id": "3", "status": "PENDING", "amount": 59.97}},
        {"id": "3", "payment": None},
        {"id": "1", "payment": {"id": "2", "status": "PENDING", "amount": 59.97}},
    ]
    assert statements.count == 1


async def test_payment_entities_in_one_query(execute, known_order, engine, sql_statements):
    for order in (1, 2):
        await known_order(order_id=order)
        await pay(execute, str(order))
    statements = sql_statements(engine)

    result = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id orderId } } }",
        {"r": [{"__typename": "Payment", "id": i} for i in ("2", "1", "9", "x")]},
    )

    assert result.data["_entities"] == [
        {"id": "2", "orderId": "2"},
        {"id": "1", "orderId": "1"},
        None,
        None,
    ]
    assert statements.count == 1


def test_sdl_declares_the_entities_and_stubs() -> None:
    sdl = print_sdl(schema)

    assert 'type Payment @key(fields: "id")' in sdl
    assert 'type Order @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id", resolvable: false)' in sdl
    assert 'currency: String! = "USD"' in sdl
    assert "cardToken" not in sdl.split("type Payment")[1].split("}")[0]
