"""Finding 1 of issue 12: clients set their own prices.

An order's prices come from the catalogue (the products subgraph) when the inventory reserves its
stock, never from the client: the price fields of the original API (`unitPrice` of an item,
`totalPrice` of the single-product form) are still accepted and ignored. Until the inventory has
priced the order its prices are null; the payment is of the catalogue total. Checked through
GraphQL and REST, both order forms, and for any price and quantity a client may send.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.stack_events import eventually
from tests.security import shop
from tests.security.shop import new_user, rest
from tests.support.stack import RunningStack

#: What the catalogue asks for one unit of each product these tests create.
CATALOGUE_PRICE = Decimal("19.99")
ORDER = (
    "id status totalPrice totalAmount cancellationReason "
    "items { quantity unitPrice lineTotal product { sku } }"
)
CREATE_ORDER = f"mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ {ORDER} }} }}"
GET_ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER} }} }}"
CREATE_PAYMENT = """
mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id amount status } }
"""
PROCESS_PAYMENT = "mutation($id: ID!) { processPayment(id: $id) { id amount status } }"


def new_product(stack: RunningStack, stock: int = 1000) -> str:
    """A product of its own at `CATALOGUE_PRICE`; its sku."""
    return shop.new_product(stack, CATALOGUE_PRICE, stock)


def confirmed(stack: RunningStack, order_id: str, headers: dict[str, str]) -> dict[str, Any]:
    """The order once the inventory has answered it."""
    return eventually(
        lambda: stack.data(GET_ORDER, {"id": order_id}, headers=headers)["order"],
        lambda order: order["status"] != "PENDING",
    )


def assert_no_client_price(order: dict[str, Any], quantity: int) -> None:
    """Every price the answer shows is the catalogue's, or null while the order is unpriced."""
    total = CATALOGUE_PRICE * quantity
    for value in (order["totalPrice"], order["totalAmount"]):
        assert value is None or Decimal(str(value)) == total, order
    for item in order["items"]:
        assert item["unitPrice"] is None or Decimal(str(item["unitPrice"])) == CATALOGUE_PRICE
        assert item["lineTotal"] is None or Decimal(str(item["lineTotal"])) == total


def assert_catalogue_priced(order: dict[str, Any], quantity: int) -> None:
    """A confirmed order at the catalogue's prices."""
    total = float(CATALOGUE_PRICE * quantity)
    assert order["status"] == "CONFIRMED", order
    assert (order["totalPrice"], order["totalAmount"]) == (total, total), order
    assert [(i["unitPrice"], i["lineTotal"]) for i in order["items"]] == [
        (float(CATALOGUE_PRICE), total)
    ]


def pay(stack: RunningStack, order_id: str, headers: dict[str, str]) -> dict[str, Any]:
    """createPayment (retried while payments cannot take the order yet), then processPayment."""
    variables = {"input": {"orderId": order_id, "method": "WALLET"}}
    answer = eventually(
        lambda: stack.graphql(CREATE_PAYMENT, variables, headers=headers).json(),
        lambda p: not p.get("errors") or p["errors"][0]["extensions"]["code"] != "NOT_FOUND",
    )
    assert not answer.get("errors"), answer
    payment = answer["data"]["createPayment"]
    return stack.data(PROCESS_PAYMENT, {"id": payment["id"]}, headers=headers)["processPayment"]


def place_and_pay(
    stack: RunningStack,
    order_input: dict[str, Any],
    quantity: int,
    headers: dict[str, str] | None = None,
) -> None:
    """A user's order with a client price: priced and charged from the catalogue."""
    headers = headers or new_user(stack)
    placed = stack.data(CREATE_ORDER, {"input": order_input}, headers=headers)["createOrder"]
    assert_no_client_price(placed, quantity)

    order = confirmed(stack, placed["id"], headers)
    assert_catalogue_priced(order, quantity)
    payment = pay(stack, placed["id"], headers)
    assert (payment["status"], payment["amount"]) == (
        "SUCCEEDED",
        float(CATALOGUE_PRICE * quantity),
    )


def test_graphql_items_with_a_client_unit_price_are_charged_the_catalogue_price(
    target: RunningStack,
) -> None:
    sku = new_product(target)
    items = [{"productId": sku, "quantity": 2, "unitPrice": 0.01}]
    place_and_pay(target, {"items": items}, 2)


def test_graphql_single_product_with_a_client_total_is_charged_the_catalogue_price(
    target: RunningStack,
) -> None:
    sku = new_product(target)
    place_and_pay(target, {"productId": sku, "quantity": 2, "totalPrice": 0.01}, 2)


def test_graphql_an_order_without_any_price_is_priced_by_the_catalogue(
    target: RunningStack,
) -> None:
    sku = new_product(target)
    place_and_pay(target, {"items": [{"productId": sku, "quantity": 3}]}, 3)


# --- REST -------------------------------------------------------------------------------------


def rest_place_and_pay(stack: RunningStack, body: dict[str, Any], quantity: int) -> None:
    """POST /api/v1/orders with a client price, then pay it over REST: the catalogue total."""
    headers = new_user(stack)
    created = rest(stack, "POST", "/api/v1/orders", headers, json=body)
    assert created.status_code == 201, created.text
    placed = created.json()["data"]
    total = CATALOGUE_PRICE * quantity
    assert placed["total_price"] is None or Decimal(str(placed["total_price"])) == total, placed
    for item in placed["items"]:
        assert item["unit_price"] is None or Decimal(str(item["unit_price"])) == CATALOGUE_PRICE

    order_path = f"/api/v1/orders/{placed['id']}"
    order = eventually(
        lambda: rest(stack, "GET", order_path, headers).json()["data"],
        lambda o: o["status"] != "pending",
    )
    assert (order["status"], order["total_price"], order["total_amount"]) == (
        "confirmed",
        float(total),
        float(total),
    ), order
    assert [(i["unit_price"], i["line_total"]) for i in order["items"]] == [
        (float(CATALOGUE_PRICE), float(total))
    ]
    payment_body = {"order_id": placed["id"], "method": "wallet"}
    created_payment = eventually(
        lambda: rest(stack, "POST", "/api/v1/payments", headers, json=payment_body),
        lambda answer: answer.status_code != 404,
    )
    assert created_payment.status_code == 201, created_payment.text
    payment = created_payment.json()["data"]
    processed = rest(stack, "POST", f"/api/v1/payments/{payment['id']}/process", headers)
    assert processed.status_code == 200, processed.text
    assert (processed.json()["data"]["status"], processed.json()["data"]["amount"]) == (
        "succeeded",
        float(total),
    )


def test_rest_items_with_a_client_unit_price_are_charged_the_catalogue_price(
    target: RunningStack,
) -> None:
    sku = new_product(target)
    body = {"items": [{"product_id": sku, "quantity": 2, "unit_price": 0.01}]}
    rest_place_and_pay(target, body, 2)


def test_rest_single_product_with_a_client_total_is_charged_the_catalogue_price(
    target: RunningStack,
) -> None:
    sku = new_product(target)
    rest_place_and_pay(target, {"product_id": sku, "quantity": 2, "total_price": 0.01}, 2)


# --- any price a client may send ----------------------------------------------------------------

client_prices = st.one_of(
    st.none(),
    st.just(0.0),
    st.decimals(min_value=0, max_value=10**9, places=2).map(float),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
)


@pytest.fixture(scope="module")
def buyer(target: RunningStack) -> tuple[dict[str, str], str]:
    """One user and one well-stocked product for every example of the property."""
    return new_user(target), new_product(target)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    quantity=st.integers(min_value=1, max_value=5),
    unit_price=client_prices,
    total_price=client_prices,
    single=st.booleans(),
)
def test_no_price_or_quantity_a_client_sends_changes_what_is_charged(
    target: RunningStack,
    buyer: tuple[dict[str, str], str],
    quantity: int,
    unit_price: float | None,
    total_price: float | None,
    single: bool,
) -> None:
    """Whatever price a client names (none, zero, cents, absurd), the charge is the catalogue's
    price times the quantity ordered. (The unit tests run the same property over many more
    values: tests/unit/subgraphs/orders/test_orders_items.py and
    tests/unit/subgraphs/products/test_products_inventory.py.)"""
    headers, sku = buyer
    if single:
        order_input: dict[str, Any] = {"productId": sku, "quantity": quantity}
        if total_price is not None:
            order_input["totalPrice"] = total_price
    else:
        item: dict[str, Any] = {"productId": sku, "quantity": quantity}
        if unit_price is not None:
            item["unitPrice"] = unit_price
        order_input = {"items": [item]}
    place_and_pay(target, order_input, quantity, headers)
