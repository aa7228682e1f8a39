"""Payments through the gateway: who may pay and see what, Order.payment and Payment.order/user
across subgraphs, the read model of orders filled from real `order.created` events, the fake
provider's success and failure, refunds and the rules on which orders may be paid.

Callers are real client tokens: a user's (`stack.auth("user", user_id=N)`), an admin's
(`stack.admin`), a service's (`stack.auth("service")`), or none (anonymous).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.stack_events import eventually
from tests.integration.test_orders_through_gateway import new_user, only_error
from tests.support.stack import RunningStack

PAYMENT = "id status amount currency method providerReference failureReason refundReason"
CREATE = f"""
mutation($input: CreatePaymentInput!) {{ createPayment(input: $input) {{ {PAYMENT} }} }}
"""
PROCESS = f"mutation($id: ID!) {{ processPayment(id: $id) {{ {PAYMENT} }} }}"
REFUND = f"mutation($id: ID!, $r: String!) {{ refundPayment(id: $id, reason: $r) {{ {PAYMENT} }} }}"
CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id totalAmount status } }
"""
#: The products seed holds 200 of PROD-3 at 19.99: the saga confirms such an order and prices it.
ORDER_ITEM = {"productId": "PROD-3", "quantity": 1}


def place_order(stack: RunningStack, user: dict[str, Any]) -> dict[str, Any]:
    """An order of one PROD-3, placed by `user` themselves."""
    return stack.data(CREATE_ORDER, {"input": {"items": [ORDER_ITEM]}}, headers=user["headers"])[
        "createOrder"
    ]


def create_payment_when_known(
    stack: RunningStack, order_id: str, headers: dict[str, str], **fields: Any
) -> dict:
    """createPayment, retried while payments has not yet heard of the order or of its total
    (NOT_FOUND)."""
    variables = {"input": {"orderId": order_id, "method": "CARD", **fields}}
    unknown_order = {"code": "NOT_FOUND", "field": "orderId", "serviceName": "payments"}
    payload = eventually(
        lambda: stack.graphql(CREATE, variables, headers=headers).json(),
        lambda p: not p.get("errors") or p["errors"][0]["extensions"] != unknown_order,
    )
    assert not payload.get("errors"), payload
    return payload["data"]["createPayment"]


# --- who may do what ----------------------------------------------------------------------------


def test_a_user_pays_and_reads_their_own_order(stack: RunningStack) -> None:
    ada = new_user(stack, "Ada Byron")
    order = place_order(stack, ada)

    created = create_payment_when_known(stack, order["id"], ada["headers"])
    paid = stack.data(PROCESS, {"id": created["id"]}, headers=ada["headers"])["processPayment"]

    assert paid["status"] == "SUCCEEDED"
    seen = stack.data(
        """
        query($p: ID!, $o: ID!) {
          payment(id: $p) { id status user { name } order { id } }
          paymentByOrder(orderId: $o) { id }
          order(id: $o) { payment { id } }
          payments { items { id } }
          myPayments { items { id } }
        }
        """,
        {"p": created["id"], "o": order["id"]},
        headers=ada["headers"],
    )
    assert seen == {
        "payment": {
            "id": created["id"],
            "status": "SUCCEEDED",
            "user": {"name": "Ada Byron"},
            "order": {"id": order["id"]},
        },
        "paymentByOrder": {"id": created["id"]},
        "order": {"payment": {"id": created["id"]}},
        "payments": {"items": [{"id": created["id"]}]},
        "myPayments": {"items": [{"id": created["id"]}]},
    }


def test_a_user_cannot_see_pay_or_refund_another_users_payment(stack: RunningStack) -> None:
    ada, bob = new_user(stack), new_user(stack)
    order = place_order(stack, ada)
    # Bob paying Ada's order is told what an order payments never heard of would tell him.
    unknown = {"code": "NOT_FOUND", "field": "orderId", "serviceName": "payments"}
    payment = create_payment_when_known(stack, order["id"], ada["headers"])
    theirs = bob["headers"]

    seen = stack.data(
        """
        query($p: ID!, $o: ID!, $u: ID) {
          payment(id: $p) { id }
          paymentByOrder(orderId: $o) { id }
          payments(userId: $u) { items { id } pageInfo { totalCount } }
        }
        """,
        {"p": payment["id"], "o": order["id"], "u": ada["id"]},
        headers=theirs,
    )
    assert seen == {
        "payment": None,
        "paymentByOrder": None,
        "payments": {"items": [], "pageInfo": {"totalCount": 0}},
    }
    pay_for_ada = only_error(
        stack, CREATE, {"input": {"orderId": order["id"], "method": "CARD"}}, theirs
    )
    assert pay_for_ada["extensions"] == unknown
    process = only_error(stack, PROCESS, {"id": payment["id"]}, theirs)
    assert process["extensions"] == {"code": "NOT_FOUND", "field": "id", "serviceName": "payments"}

    stack.data(PROCESS, {"id": payment["id"]}, headers=ada["headers"])
    for who in (theirs, ada["headers"]):
        refund = only_error(stack, REFUND, {"id": payment["id"], "r": "please"}, who)
        assert refund["extensions"] == {"code": "FORBIDDEN", "serviceName": "payments"}
        assert "admin or service" in refund["message"]


def test_anonymous_callers_are_asked_to_sign_in(stack: RunningStack) -> None:
    for query, variables in (
        ('{ payment(id: "1") { id } }', None),
        ('{ paymentByOrder(orderId: "1") { id } }', None),
        ("{ payments { items { id } } }", None),
        ("{ myPayments { items { id } } }", None),
        (CREATE, {"input": {"orderId": "12", "method": "CARD"}}),
        (PROCESS, {"id": "1"}),
        (REFUND, {"id": "1", "r": "because"}),
    ):
        error = only_error(stack, query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", (query, error)


def test_admins_and_services_refund_and_see_every_payment(stack: RunningStack) -> None:
    ada, bob = new_user(stack), new_user(stack)
    payments = []
    for user in (ada, bob):
        order = place_order(stack, user)
        # A service pays on the user's behalf; the user's payment list shows it.
        created = create_payment_when_known(stack, order["id"], stack.auth("service"))
        stack.data(PROCESS, {"id": created["id"]}, headers=user["headers"])
        payments.append(created["id"])

    for user, payment_id in zip((ada, bob), payments, strict=True):
        listed = stack.data(
            "query($u: ID) { payments(userId: $u) { items { id } } }",
            {"u": user["id"]},
            headers=stack.admin,
        )
        assert listed["payments"]["items"] == [{"id": payment_id}]
    by_admin = stack.data(REFUND, {"id": payments[0], "r": "damaged"}, headers=stack.admin)
    by_service = stack.data(
        REFUND, {"id": payments[1], "r": "order cancelled"}, headers=stack.auth("service")
    )
    assert (
        by_admin["refundPayment"]["status"] == by_service["refundPayment"]["status"] == "REFUNDED"
    )


# --- payments as an admin -------------------------------------------------------------------------


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
        """,
        headers=stack.admin,
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
    user = new_user(stack, name="Paying Customer")
    admin = stack.admin
    order = stack.data(
        CREATE_ORDER, {"input": {"userId": user["id"], "items": [ORDER_ITEM]}}, headers=admin
    )["createOrder"]

    # Declined first: the fake provider fails tok_fail... tokens.
    declined = create_payment_when_known(stack, order["id"], admin, cardToken="tok_fail_expired")
    assert declined["status"] == "PENDING"
    assert order["totalAmount"] is None, "placed unpriced"
    assert declined["amount"] == pytest.approx(19.99), "the catalogue's price of PROD-3"
    assert declined["currency"] == "USD"
    failed = stack.data(PROCESS, {"id": declined["id"]}, headers=admin)["processPayment"]
    assert failed["status"] == "FAILED"
    assert "tok_fail_expired" in failed["failureReason"]

    # A failed payment may be retried; this one succeeds.
    retry = stack.data(
        CREATE,
        {"input": {"orderId": order["id"], "method": "WALLET", "currency": "EUR"}},
        headers=admin,
    )["createPayment"]
    paid = stack.data(PROCESS, {"id": retry["id"]}, headers=admin)["processPayment"]
    assert paid["status"] == "SUCCEEDED"
    assert paid["providerReference"] == f"fake_ch_{retry['id']}"

    error = only_error(stack, CREATE, {"input": {"orderId": order["id"], "method": "CARD"}}, admin)
    assert error["extensions"] == {
        "code": "CONFLICT",
        "field": "orderId",
        "serviceName": "payments",
    }

    refunded = stack.data(
        REFUND, {"id": retry["id"], "r": "Customer changed their mind"}, headers=admin
    )
    assert refunded["refundPayment"]["status"] == "REFUNDED"
    error = only_error(stack, REFUND, {"id": retry["id"], "r": "again"}, admin)
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
        headers=admin,
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
    admin = stack.admin
    # Demo order 3 is CANCELLED; order 999999 was never announced.
    cancelled = only_error(stack, CREATE, {"input": {"orderId": "3", "method": "CARD"}}, admin)
    unknown = only_error(stack, CREATE, {"input": {"orderId": "999999", "method": "CARD"}}, admin)
    invalid = only_error(
        stack, CREATE, {"input": {"orderId": "12", "method": "CARD", "currency": "usd"}}, admin
    )
    processed_twice = only_error(stack, PROCESS, {"id": "1"}, admin)

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


def test_my_payments_needs_a_user(stack: RunningStack) -> None:
    service = only_error(stack, "{ myPayments { items { id } } }", None, stack.auth("service"))

    assert service["extensions"]["code"] == "FORBIDDEN"
