"""Payments over REST through the running gateway and subgraphs: create (201, Location), read
by id and by order, lists with meta, process (the fake provider's success and decline), refund,
role rules, the subgraph's own 404/409/422, and `Idempotency-Key` on create and process.

The payments subgraph learns orders from their events: a payment of a just-placed order is
retried while payments answers 404 for its `orderId` (`pay_when_known`).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.integration.rest_support import call, created_item, error_of, new_user
from tests.integration.stack_events import eventually
from tests.integration.test_orders_through_gateway import create_product
from tests.support.stack import RunningStack

PAYMENTS = "/api/v1/payments"
FIELDS = {
    "id",
    "order_id",
    "user_id",
    "amount",
    "currency",
    "method",
    "status",
    "provider_reference",
    "failure_reason",
    "refund_reason",
    "created_at",
    "updated_at",
}


@pytest.fixture(scope="module")
def product(stack: RunningStack) -> dict[str, Any]:
    """A product of this module's own (19.99 a piece), so orders of it are confirmed."""
    return create_product(stack, stock=500, price=19.99)


def place_order(stack: RunningStack, headers: dict[str, str], product: dict[str, Any]) -> int:
    """An order of one `product`, placed by whoever `headers` speak for."""
    order = stack.data(
        "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
        {"input": {"items": [{"productId": product["sku"], "quantity": 1, "unitPrice": 19.99}]}},
        headers=headers,
    )["createOrder"]
    return int(order["id"])


def unknown_order(response: httpx.Response) -> bool:
    """Payments has not heard of the order (yet)."""
    if response.status_code != 404:
        return False
    return (response.json()["error"]["details"] or {}).get("field") == "order_id"


def pay_when_known(
    stack: RunningStack, headers: dict[str, str], body: dict[str, Any], *, keyed: bool = False
) -> tuple[httpx.Response, str | None]:
    """POST /payments until payments knows the order; with `keyed` each try has a fresh
    Idempotency-Key, and the answer comes with the key it used."""
    key: str | None = None

    def attempt() -> httpx.Response:
        nonlocal key
        sent = dict(headers)
        if keyed:
            key = str(uuid.uuid4())
            sent["Idempotency-Key"] = key
        return call(stack, "POST", PAYMENTS, sent, json=body)

    response = eventually(attempt, lambda answer: not unknown_order(answer))
    return response, key


def created(stack: RunningStack, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response, _ = pay_when_known(stack, headers, body)
    return created_item(response, PAYMENTS)


def test_a_user_pays_processes_and_reads_their_payment(
    stack: RunningStack, product: dict[str, Any]
) -> None:
    user_id, me = new_user(stack)
    order_id = place_order(stack, me, product)

    payment = created(stack, me, {"order_id": order_id, "method": "card", "card_token": "tok_visa"})

    assert set(payment) == FIELDS
    assert payment["order_id"] == order_id and payment["user_id"] == user_id
    assert (payment["amount"], payment["currency"], payment["method"], payment["status"]) == (
        19.99,
        "USD",
        "card",
        "pending",
    )
    one = call(stack, "GET", f"{PAYMENTS}/{payment['id']}", me)
    by_order = call(stack, "GET", f"{PAYMENTS}/order/{order_id}", me)
    assert one.json() == by_order.json() == {"success": True, "data": payment}

    processed = call(stack, "POST", f"{PAYMENTS}/{payment['id']}/process", me)
    assert processed.status_code == 200, processed.json()
    paid = processed.json()["data"]
    assert (paid["status"], paid["provider_reference"]) == ("succeeded", f"fake_ch_{paid['id']}")

    mine = call(stack, "GET", f"{PAYMENTS}/my-payments", me).json()
    assert mine == {
        "success": True,
        "data": [paid],
        "meta": {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 1},
    }
    listed = call(stack, "GET", PAYMENTS, me, params={"status": "succeeded"}).json()
    assert listed["data"] == [paid]

    twice = call(stack, "POST", f"{PAYMENTS}/{paid['id']}/process", me)
    assert error_of(twice, 409, "CONFLICT")["details"]["field"] == "status"
    again = call(stack, "POST", PAYMENTS, me, json={"order_id": order_id, "method": "wallet"})
    assert error_of(again, 409, "CONFLICT")["details"]["field"] == "order_id"


def test_who_may_see_process_and_refund(stack: RunningStack, product: dict[str, Any]) -> None:
    _, ada = new_user(stack)
    _, bob = new_user(stack)
    order_id = place_order(stack, ada, product)
    payment = created(stack, ada, {"order_id": order_id, "method": "bank_transfer"})
    path = f"{PAYMENTS}/{payment['id']}"

    # Someone else's payment reads as a missing one.
    error_of(call(stack, "GET", path, bob), 404, "NOT_FOUND")
    error_of(call(stack, "GET", f"{PAYMENTS}/order/{order_id}", bob), 404, "NOT_FOUND")
    error_of(call(stack, "POST", f"{path}/process", bob), 404, "NOT_FOUND")
    theirs = call(stack, "POST", PAYMENTS, bob, json={"order_id": order_id, "method": "card"})
    assert error_of(theirs, 404, "NOT_FOUND")["details"]["field"] == "order_id"
    others = call(stack, "GET", PAYMENTS, bob, params={"order_id": order_id}).json()
    assert others["meta"]["total_count"] == 0 and others["data"] == []

    # No token: 401 everywhere; a service has no payments of its own.
    for method, where in (
        ("GET", PAYMENTS),
        ("GET", f"{PAYMENTS}/my-payments"),
        ("GET", path),
        ("GET", f"{PAYMENTS}/order/{order_id}"),
        ("POST", f"{path}/process"),
    ):
        error_of(call(stack, method, where), 401, "UNAUTHENTICATED")
    anonymous = call(stack, "POST", PAYMENTS, json={"order_id": order_id, "method": "card"})
    error_of(anonymous, 401, "UNAUTHENTICATED")
    error_of(call(stack, "GET", f"{PAYMENTS}/my-payments", stack.auth("service")), 403, "FORBIDDEN")

    processed = call(stack, "POST", f"{path}/process", ada).json()["data"]
    assert processed["status"] == "succeeded"
    refused = call(stack, "POST", f"{path}/refund", ada, json={"reason": "please"})
    assert "admin or service" in error_of(refused, 403, "FORBIDDEN")["message"]

    refunded = call(stack, "POST", f"{path}/refund", stack.admin, json={"reason": "damaged"})
    assert refunded.status_code == 200, refunded.json()
    assert (refunded.json()["data"]["status"], refunded.json()["data"]["refund_reason"]) == (
        "refunded",
        "damaged",
    )
    again = call(stack, "POST", f"{path}/refund", stack.auth("service"), json={"reason": "x"})
    assert error_of(again, 409, "CONFLICT")["details"]["field"] == "status"
    # Admins see it, and it is the order's payment.
    seen = call(stack, "GET", f"{PAYMENTS}/order/{order_id}", stack.admin).json()["data"]
    assert (seen["id"], seen["status"]) == (payment["id"], "refunded")


def test_declines_retries_and_pages(stack: RunningStack, product: dict[str, Any]) -> None:
    user_id, me = new_user(stack)
    order_id = place_order(stack, me, product)
    admin = stack.admin
    declined = []
    for _ in range(2):
        body = {"order_id": order_id, "method": "card", "card_token": "tok_fail_expired"}
        payment = created(stack, admin, body)
        failed = call(stack, "POST", f"{PAYMENTS}/{payment['id']}/process", admin).json()["data"]
        assert failed["status"] == "failed"
        assert "tok_fail_expired" in failed["failure_reason"]
        declined.append(failed)
    retry = created(stack, admin, {"order_id": order_id, "method": "wallet", "currency": "EUR"})
    assert (retry["currency"], retry["user_id"]) == ("EUR", user_id)

    page = call(
        stack, "GET", PAYMENTS, admin, params={"user_id": user_id, "page": 2, "page_size": 2}
    ).json()
    assert page["meta"] == {"page": 2, "page_size": 2, "total_pages": 2, "total_count": 3}
    first = call(stack, "GET", PAYMENTS, admin, params={"user_id": user_id, "page_size": 2}).json()
    listed = [p["id"] for p in first["data"] + page["data"]]
    assert sorted(listed) == sorted([declined[0]["id"], declined[1]["id"], retry["id"]])
    failed_only = call(
        stack, "GET", PAYMENTS, admin, params={"user_id": user_id, "status": "failed"}
    ).json()
    assert failed_only["meta"]["total_count"] == 2
    assert {p["status"] for p in failed_only["data"]} == {"failed"}
    mine = call(stack, "GET", f"{PAYMENTS}/my-payments", me, params={"page_size": 1, "page": 3})
    assert mine.json()["meta"] == {"page": 3, "page_size": 1, "total_pages": 3, "total_count": 3}
    # The order's payment is the one that has not failed.
    by_order = call(stack, "GET", f"{PAYMENTS}/order/{order_id}", me).json()["data"]
    assert by_order["id"] == retry["id"]


def test_the_subgraphs_own_refusals(stack: RunningStack, product: dict[str, Any]) -> None:
    admin = stack.admin
    _, me = new_user(stack)
    order_id = place_order(stack, me, product)
    # A card token is for cards: the REST schema takes it, the payments subgraph refuses it.
    with_token, _ = pay_when_known(
        stack, me, {"order_id": order_id, "method": "wallet", "card_token": "tok_visa"}
    )
    details = error_of(with_token, 422, "VALIDATION_FAILED")["details"]
    assert details["field"] == "card_token"

    payment = created(stack, me, {"order_id": order_id, "method": "card"})
    call(stack, "POST", f"{PAYMENTS}/{payment['id']}/process", me)
    blank = call(stack, "POST", f"{PAYMENTS}/{payment['id']}/refund", admin, json={"reason": "  "})
    assert error_of(blank, 422, "VALIDATION_FAILED")["details"]["field"] == "reason"

    # Demo order 3 is cancelled; 999999 was never placed; no payment 99999999.
    cancelled = call(stack, "POST", PAYMENTS, admin, json={"order_id": 3, "method": "card"})
    assert error_of(cancelled, 409, "CONFLICT")["details"]["field"] == "order_id"
    never = call(stack, "POST", PAYMENTS, admin, json={"order_id": 999999, "method": "card"})
    error_of(never, 404, "NOT_FOUND")
    for method, path in (
        ("GET", f"{PAYMENTS}/99999999"),
        ("GET", f"{PAYMENTS}/order/999999"),
        ("POST", f"{PAYMENTS}/99999999/process"),
    ):
        error_of(call(stack, method, path, admin), 404, "NOT_FOUND")
    missing_refund = call(stack, "POST", f"{PAYMENTS}/99999999/refund", admin, json={"reason": "x"})
    error_of(missing_refund, 404, "NOT_FOUND")

    # What the REST schema refuses never reaches the graph.
    refusals = [
        call(stack, "POST", PAYMENTS, me, json={"order_id": order_id, "method": "cash"}),
        call(stack, "POST", PAYMENTS, me, json={"order_id": order_id, "method": "card", "x": 1}),
        call(stack, "GET", PAYMENTS, me, params={"page_size": 101}),
        call(stack, "POST", f"{PAYMENTS}/1/refund", admin, json={"reason": "a\x00b"}),
    ]
    fields = [
        error_of(r, 422, "VALIDATION_FAILED")["details"]["problems"][0]["field"] for r in refusals
    ]
    assert fields == ["method", "x", "page_size", "reason"]


def test_idempotency_key_on_create_and_process(
    stack: RunningStack, product: dict[str, Any]
) -> None:
    _, me = new_user(stack)
    order_id = place_order(stack, me, product)
    body = {"order_id": order_id, "method": "card", "card_token": "tok_visa"}

    first, key = pay_when_known(stack, me, body, keyed=True)
    assert first.status_code == 201, first.json()
    assert key is not None
    keyed = {**me, "Idempotency-Key": key}
    again = call(stack, "POST", PAYMENTS, keyed, json=body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert "idempotent-replayed" not in first.headers
    listed = call(stack, "GET", PAYMENTS, me, params={"order_id": order_id}).json()
    assert listed["meta"]["total_count"] == 1

    other = call(stack, "POST", PAYMENTS, keyed, json={**body, "method": "wallet"})
    reused = error_of(other, 422, "IDEMPOTENCY_KEY_REUSED")
    assert reused["details"] == {"field": "Idempotency-Key"}

    payment_id = first.json()["data"]["id"]
    process_key = {**me, "Idempotency-Key": str(uuid.uuid4())}
    processed = call(stack, "POST", f"{PAYMENTS}/{payment_id}/process", process_key)
    replayed = call(stack, "POST", f"{PAYMENTS}/{payment_id}/process", process_key)
    assert processed.status_code == replayed.status_code == 200
    assert replayed.json() == processed.json()
    assert processed.json()["data"]["status"] == "succeeded"
    assert replayed.headers["idempotent-replayed"] == "true"
    # Without the key, processing again is the conflict it is.
    error_of(call(stack, "POST", f"{PAYMENTS}/{payment_id}/process", me), 409, "CONFLICT")
