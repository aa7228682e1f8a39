"""Payments through the gateway: Order.payment and Payment.order/user across subgraphs, the read
model of orders filled from real `order.created` events, the fake provider's success and failure,
refunds and the rules on which orders may be paid."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import RunningStack
from tests.integration.stack_events import eventually
from tests.integration.test_users_through_gateway import create_user, only_error

PAYMENT = "id status amount currency method providerReference failureReason refundReason"
CREATE = f"""
mutation($input: CreatePaymentInput!) {{ createPayment(input: $input) {{ {PAYMENT} }} }}
"""
PROCESS = f"mutation($id: ID!) {{ processPayment(id: $id) {{ {PAYMENT} }} }}"
REFUND = f"mutation($id: ID!, $r: String!) {{ refundPayment(id: $id, reason: $r) {{ {PAYMENT} }} }}"
CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id totalAmount status } }
"""
#: The products seed holds 200 of PROD-3 at 19.99: the saga confirms such an order.
ORDER_ITEM = {"productId": "PROD-3", "quantity": 1, "unitPrice": 19.99}


def create_payment_when_known(stack: RunningStack, order_id: str, **fields: Any) -> dict:
    """createPayment, retried while payments has not yet heard of the order (NOT_FOUND)."""
    variables = {"input": {"orderId": order_id, "method": "CARD", **fields}}
    unknown_order = {"code": "NOT_FOUND", "field": "orderId", "serviceName": "payments"}
    payload = eventually(
        lambda: stack.graphql(CREATE, variables).json(),
        lambda p: not p.get("errors") or p["errors"][0]["extensions"] != unknown_order,
    )
    assert not payload.get("errors"), payload
    return payload["data"]["createPayment"]


def test_seeded_payments_resolve_their_order_and_user_across_subgraphs(
    stack: RunningStack,
) -> None:
    data = stack.data(
        """
        {
          order(id: "1") { id totalPrice payment { id status amount order { id } } }
          payment(id: "5") { status refundReason order { id totalPrice } user { id name } }
          unpaid: order(id: "12") { id payment { id } }
        }
        """
    )

    order = data["order"]
    assert order["payment"]["status"] == "SUCCEEDED"
    assert order["payment"]["amount"] == pytest.approx(order["totalPrice"])
    assert order["payment"]["order"] == {"id": "1"}
    refunded = data["payment"]
    assert refunded["status"] == "REFUNDED"
    assert refunded["order"]["id"] == "5"
    assert refunded["user"] == {"id": "9", "name": "Frances Allen"}
    assert data["unpaid"] == {"id": "12", "payment": None}


def test_a_new_order_is_paid_after_its_event_reached_payments(stack: RunningStack) -> None:
    user = create_user(stack, name="Paying Customer")
    order = stack.data(CREATE_ORDER, {"input": {"userId": user["id"], "items": [ORDER_ITEM]}})[
        "createOrder"
    ]

    # Declined first: the fake provider fails tok_fail... tokens.
    declined = create_payment_when_known(stack, order["id"], cardToken="tok_fail_expired")
    assert declined["status"] == "PENDING"
    assert declined["amount"] == pytest.approx(order["totalAmount"]) == pytest.approx(19.99)
    assert declined["currency"] == "USD"
    failed = stack.data(PROCESS, {"id": declined["id"]})["processPayment"]
    assert failed["status"] == "FAILED"
    assert "tok_fail_expired" in failed["failureReason"]

    # A failed payment may be retried; this one succeeds.
    retry = stack.data(
        CREATE, {"input": {"orderId": order["id"], "method": "WALLET", "currency": "EUR"}}
    )["createPayment"]
    paid = stack.data(PROCESS, {"id": retry["id"]})["processPayment"]
    assert paid["status"] == "SUCCEEDED"
    assert paid["providerReference"] == f"fake_ch_{retry['id']}"

    error = only_error(stack, CREATE, {"input": {"orderId": order["id"], "method": "CARD"}})
    assert error["extensions"] == {
        "code": "CONFLICT",
        "field": "orderId",
        "serviceName": "payments",
    }

    refunded = stack.data(REFUND, {"id": retry["id"], "r": "Customer changed their mind"})
    assert refunded["refundPayment"]["status"] == "REFUNDED"
    error = only_error(stack, REFUND, {"id": retry["id"], "r": "again"})
    assert error["extensions"] == {"code": "CONFLICT", "field": "status", "serviceName": "payments"}
    assert "REFUNDED" in error["message"]

    seen = stack.data(
        """
        query($id: ID!, $u: ID) {
          order(id: $id) { payment { id status user { name } } }
          payments(userId: $u) { items { id status } pageInfo { totalCount } }
        }
        """,
        {"id": order["id"], "u": user["id"]},
    )
    assert seen["order"]["payment"] == {
        "id": retry["id"],
        "status": "REFUNDED",
        "user": {"name": "Paying Customer"},
    }
    assert seen["payments"]["items"] == [
        {"id": declined["id"], "status": "FAILED"},
        {"id": retry["id"], "status": "REFUNDED"},
    ]


def test_which_orders_may_be_paid(stack: RunningStack) -> None:
    # Demo order 3 is CANCELLED; order 999999 was never announced.
    cancelled = only_error(stack, CREATE, {"input": {"orderId": "3", "method": "CARD"}})
    unknown = only_error(stack, CREATE, {"input": {"orderId": "999999", "method": "CARD"}})
    invalid = only_error(
        stack, CREATE, {"input": {"orderId": "12", "method": "CARD", "currency": "usd"}}
    )
    processed_twice = only_error(stack, PROCESS, {"id": "1"})

    assert cancelled["extensions"] == {
        "code": "CONFLICT",
        "field": "orderId",
        "serviceName": "payments",
    }
    assert unknown["extensions"] == {
        "code": "NOT_FOUND",
        "field": "orderId",
        "serviceName": "payments",
    }
    assert invalid["extensions"]["code"] == "VALIDATION_FAILED"
    assert invalid["extensions"]["field"] == "currency"
    assert processed_twice["extensions"] == {
        "code": "CONFLICT",
        "field": "status",
        "serviceName": "payments",
    }
    assert "SUCCEEDED" in processed_twice["message"]


def test_my_payments_needs_a_signed_in_user(stack: RunningStack) -> None:
    error = only_error(stack, "{ myPayments { items { id } } }", {})

    assert error["extensions"]["code"] == "UNAUTHENTICATED"
