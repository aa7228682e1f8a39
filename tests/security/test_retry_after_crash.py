"""Finding 10 of issue 12: a duplicate order after a crash.

The orders (payments) subgraph commits, then is SIGKILLed before it answers (the test hook holds
the answer: `ORDER_SERVICE_TEST_HOLD_ANSWER_FILE`, `PAYMENT_SERVICE_TEST_HOLD_ANSWER_FILE`); the
gateway answers with an error, and the client retries with the same idempotency key. The key is
kept with the write, unique per caller and key, so the retry answers the first order (payment)
instead of placing (charging, refunding) again. Through GraphQL (`idempotencyKey`) and REST
(`Idempotency-Key`, passed on by the shim), on the suite's `crash_stack`.
"""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from typing import Any

import httpx

from tests.integration.stack_events import eventually
from tests.security import shop
from tests.security.crash import hook_flag, killed_at_hook
from tests.security.shop import new_user, rest
from tests.support.stack import RunningStack

CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }
"""
MY_ORDERS = "{ myOrders(pageSize: 100) { items { id } } }"
STOCK = "query($sku: String!) { productBySku(sku: $sku) { stock } }"
PAYMENT = "id orderId status amount"
PROCESS = f"""
mutation($id: ID!, $key: String) {{ processPayment(id: $id, idempotencyKey: $key) {{ {PAYMENT} }} }}
"""
PAYMENTS_OF_ORDER = f"query($o: ID) {{ payments(orderId: $o) {{ items {{ {PAYMENT} }} }} }}"
AUDIT = """
query($id: String!) { auditLogs(entityType: "Payment", entityId: $id) { items { action } } }
"""


def new_product(stack: RunningStack) -> str:
    return shop.new_product(stack, Decimal("12.50"), stock=10)


def my_orders(stack: RunningStack, headers: dict[str, str]) -> list[str]:
    return [o["id"] for o in stack.data(MY_ORDERS, headers=headers)["myOrders"]["items"]]


def stock_of(stack: RunningStack, sku: str) -> int:
    return int(stack.data(STOCK, {"sku": sku})["productBySku"]["stock"])


def key() -> str:
    return f"crash-{uuid.uuid4()}"


def test_create_order_retried_after_a_crash_answers_the_first_order(
    crash_stack: RunningStack,
) -> None:
    """The issue's case: REST with an Idempotency-Key, orders killed after its commit, the
    gateway answers 5xx (and keeps nothing); retries answer the order the first placed, over
    REST and over GraphQL alike (the key is the caller's, whichever API carries it)."""
    headers, sku = new_user(crash_stack), new_product(crash_stack)
    order_key = key()
    keyed = {**headers, "Idempotency-Key": order_key}
    body = {"product_id": sku, "quantity": 2, "total_price": 0.02}

    lost = killed_at_hook(
        crash_stack,
        "orders",
        hook_flag(crash_stack, "orders"),
        lambda: rest(crash_stack, "POST", "/api/v1/orders", keyed, json=body),
    )
    assert lost.status_code >= 500, lost.text
    assert len(my_orders(crash_stack, headers)) == 1, "the order was committed before the kill"

    over_rest = rest(crash_stack, "POST", "/api/v1/orders", keyed, json=body)
    graph_input = {"productId": sku, "quantity": 2, "idempotencyKey": order_key}
    over_graphql = crash_stack.data(CREATE_ORDER, {"input": graph_input}, headers=headers)

    assert over_rest.status_code == 201, over_rest.text
    first = str(over_rest.json()["data"]["id"])
    assert over_graphql["createOrder"]["id"] == first
    assert my_orders(crash_stack, headers) == [first], "one order, the first one"
    eventually(lambda: stock_of(crash_stack, sku), lambda stock: stock == 8)
    assert stock_of(crash_stack, sku) == 8, "stock taken once"


def test_payment_create_process_and_refund_retried_after_crashes_act_once(
    crash_stack: RunningStack,
) -> None:
    headers, sku = new_user(crash_stack), new_product(crash_stack)
    order = crash_stack.data(
        CREATE_ORDER, {"input": {"items": [{"productId": sku, "quantity": 2}]}}, headers=headers
    )["createOrder"]
    payments = hook_flag(crash_stack, "payments")

    # create (REST). Payments answers 404 ("retry shortly") until it knows the order's total;
    # the gateway keeps no such 404, so the retries keep their key.
    body = {"order_id": int(order["id"]), "method": "wallet"}
    create_key = {**headers, "Idempotency-Key": key()}

    def create_when_payable() -> httpx.Response:
        for _attempt in range(300):
            answer = rest(crash_stack, "POST", "/api/v1/payments", create_key, json=body)
            if answer.status_code != 404:
                return answer
            time.sleep(0.1)
        raise AssertionError(f"payments never took order {order['id']}: {answer.text}")

    lost = killed_at_hook(crash_stack, "payments", payments, create_when_payable)
    assert lost.status_code >= 500, lost.text
    created = rest(crash_stack, "POST", "/api/v1/payments", create_key, json=body)
    assert created.status_code == 201, created.text
    payment_id = str(created.json()["data"]["id"])

    # process (GraphQL): killed after the charge was committed.
    process_key = key()
    lost_process = killed_at_hook(
        crash_stack,
        "payments",
        payments,
        lambda: crash_stack.graphql(
            PROCESS, {"id": payment_id, "key": process_key}, headers=headers
        ),
    )
    assert not (lost_process.json().get("data") or {}).get("processPayment"), lost_process.text
    processed = crash_stack.data(PROCESS, {"id": payment_id, "key": process_key}, headers=headers)
    assert processed["processPayment"]["status"] == "SUCCEEDED"

    # refund (REST, an admin).
    refund_key = {**crash_stack.admin, "Idempotency-Key": key()}
    path = f"/api/v1/payments/{payment_id}/refund"
    lost_refund = killed_at_hook(
        crash_stack,
        "payments",
        payments,
        lambda: rest(crash_stack, "POST", path, refund_key, json={"reason": "crash test"}),
    )
    assert lost_refund.status_code >= 500, lost_refund.text
    refunded = rest(crash_stack, "POST", path, refund_key, json={"reason": "crash test"})
    assert refunded.status_code == 200, refunded.text
    assert refunded.json()["data"]["status"] == "refunded"

    of_order = crash_stack.data(PAYMENTS_OF_ORDER, {"o": order["id"]}, headers=headers)
    assert [p["id"] for p in of_order["payments"]["items"]] == [payment_id], "one payment"
    actions = eventually(
        lambda: sorted(
            row["action"]
            for row in crash_stack.data(AUDIT, {"id": payment_id}, headers=crash_stack.admin)[
                "auditLogs"
            ]["items"]
        ),
        lambda found: len(found) >= 2,
    )
    assert actions == ["payment.refunded", "payment.succeeded"], "charged once, refunded once"


# --- what a key may be, and whose it is --------------------------------------------------------


def error_of(answer: httpx.Response) -> dict[str, Any]:
    payload = answer.json()
    assert payload.get("errors"), payload
    extensions: dict[str, Any] = payload["errors"][0]["extensions"]
    return extensions


def test_a_key_is_the_callers_and_names_one_request(crash_stack: RunningStack) -> None:
    sku = new_product(crash_stack)
    ada, bob = new_user(crash_stack), new_user(crash_stack)
    shared = key()
    first = {"items": [{"productId": sku, "quantity": 1}], "idempotencyKey": shared}

    adas = crash_stack.data(CREATE_ORDER, {"input": first}, headers=ada)["createOrder"]
    bobs = crash_stack.data(CREATE_ORDER, {"input": first}, headers=bob)["createOrder"]
    other = {**first, "items": [{"productId": sku, "quantity": 3}]}
    refused = crash_stack.graphql(CREATE_ORDER, {"input": other}, headers=ada)
    over_rest = rest(
        crash_stack,
        "POST",
        "/api/v1/orders",
        {**ada, "Idempotency-Key": shared},
        json={"product_id": sku, "quantity": 2},
    )

    assert adas["id"] != bobs["id"], "keys are per caller"
    assert error_of(refused)["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert over_rest.status_code == 422, over_rest.text
    assert over_rest.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert my_orders(crash_stack, ada) == [adas["id"]]


def test_a_malformed_key_is_validation_failed(crash_stack: RunningStack) -> None:
    headers = new_user(crash_stack)
    for bad in ["", "has space", "x" * 256, "caf\u00e9", "line\nbreak"]:
        order = {"items": [{"productId": "PROD-1", "quantity": 1}], "idempotencyKey": bad}

        refused = crash_stack.graphql(CREATE_ORDER, {"input": order}, headers=headers)

        assert error_of(refused)["code"] == "VALIDATION_FAILED", bad
        assert error_of(refused)["problems"][0]["field"] == "idempotencyKey"
    assert my_orders(crash_stack, headers) == []
