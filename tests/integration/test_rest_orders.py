"""Orders over REST through the running gateway and subgraphs: both create bodies, reads,
lists with meta, the status life cycle, cancel, delete, role rules, and `Idempotency-Key`
(50 concurrent creates with one key make one order)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.integration.rest_support import call, created_item, new_user
from tests.integration.test_orders_through_gateway import create_product, settled
from tests.support.stack import RunningStack

ORDERS = "/api/v1/orders"


def place(stack: RunningStack, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    return created_item(call(stack, "POST", ORDERS, headers, json=body), ORDERS)


def test_both_create_bodies_and_reads(stack: RunningStack) -> None:
    user_id, me = new_user(stack)
    sku = create_product(stack, stock=50, price=5.0)["sku"]
    second_sku = create_product(stack, stock=50, price=4.5)["sku"]
    # The original body with its total_price: accepted, ignored; the catalogue prices the order.
    single = place(
        stack, me, {"user_id": user_id, "product_id": sku, "quantity": 2, "total_price": 0.02}
    )
    assert (single["user_id"], single["product_id"], single["quantity"]) == (user_id, sku, 2)
    assert (single["total_price"], single["status"]) == (None, "pending")
    assert single["items"] == [
        {"product_id": sku, "quantity": 2, "unit_price": None, "line_total": None}
    ]
    items = place(
        stack,
        me,
        {
            "items": [
                {"product_id": sku, "quantity": 1, "unit_price": 5.0},
                {"product_id": second_sku, "quantity": 3},
            ],
            "shipping_address": "1 Main Street",
            "notes": "ring twice",
        },
    )
    assert (items["total_amount"], items["shipping_address"]) == (None, "1 Main Street")
    assert settled(stack, str(single["id"]))["status"] == "CONFIRMED"
    assert settled(stack, str(items["id"]))["status"] == "CONFIRMED"

    read = call(stack, "GET", f"{ORDERS}/{single['id']}", me).json()
    assert read["success"] is True
    assert (read["data"]["id"], read["data"]["status"]) == (single["id"], "confirmed")
    assert (read["data"]["total_price"], read["data"]["total_amount"]) == (10.0, 10.0)
    assert read["data"]["items"] == [
        {"product_id": sku, "quantity": 2, "unit_price": 5.0, "line_total": 10.0}
    ]
    priced = call(stack, "GET", f"{ORDERS}/{items['id']}", me).json()["data"]
    assert priced["total_amount"] == 18.5
    assert call(stack, "GET", f"{ORDERS}/{single['id']}", stack.admin).status_code == 200
    _, stranger = new_user(stack)
    hidden = call(stack, "GET", f"{ORDERS}/{single['id']}", stranger)
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "NOT_FOUND")

    mine = call(stack, "GET", f"{ORDERS}/my-orders", me, params={"page_size": 1}).json()
    assert mine["meta"] == {"page": 1, "page_size": 1, "total_pages": 2, "total_count": 2}
    assert [o["id"] for o in mine["data"]] == [single["id"]]
    listed = call(
        stack, "GET", ORDERS, stack.admin, params={"user_id": user_id, "status": "confirmed"}
    ).json()
    assert single["id"] in [o["id"] for o in listed["data"]]
    assert all(o["user_id"] == user_id and o["status"] == "confirmed" for o in listed["data"])
    # A user listing someone else's orders gets an empty page, not theirs.
    theirs = call(stack, "GET", ORDERS, stranger, params={"user_id": user_id}).json()
    assert (theirs["data"], theirs["meta"]["total_count"]) == ([], 0)


def test_status_cancel_and_delete(stack: RunningStack) -> None:
    _, me = new_user(stack)
    sku = create_product(stack, stock=50)["sku"]
    body = {"product_id": sku, "quantity": 1}
    shipped = place(stack, me, body)
    settled(stack, str(shipped["id"]))
    path = f"{ORDERS}/{shipped['id']}"

    refused = call(stack, "PATCH", f"{path}/status", me, json={"status": "shipped"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "FORBIDDEN")
    moved = call(stack, "PATCH", f"{path}/status", stack.admin, json={"status": "shipped"})
    assert moved.status_code == 200 and moved.json()["data"]["status"] == "shipped"
    delivered = call(stack, "PUT", f"{path}/status", stack.admin, json={"status": "delivered"})
    assert delivered.json()["data"]["status"] == "delivered"
    backwards = call(stack, "PUT", path, stack.admin, json={"status": "pending"})
    assert (backwards.status_code, backwards.json()["error"]["code"]) == (409, "CONFLICT")
    late = call(stack, "POST", f"{path}/cancel", me, json={"reason": "too late"})
    assert late.status_code == 409

    cancelled = place(stack, me, body)
    settled(stack, str(cancelled["id"]))
    done = call(stack, "POST", f"{ORDERS}/{cancelled['id']}/cancel", me, json={"reason": "oops"})
    assert done.status_code == 200, done.json()
    assert (done.json()["data"]["status"], done.json()["data"]["cancellation_reason"]) == (
        "cancelled",
        "oops",
    )
    # No body at all is a cancellation without a reason.
    third = place(stack, me, body)
    settled(stack, str(third["id"]))
    bare = call(stack, "POST", f"{ORDERS}/{third['id']}/cancel", me)
    assert bare.status_code == 200 and bare.json()["data"]["status"] == "cancelled"

    assert call(stack, "DELETE", path, me).status_code == 403
    gone = call(stack, "DELETE", path, stack.admin)
    assert gone.json() == {"success": True, "data": {"id": shipped["id"], "deleted": True}}
    assert call(stack, "GET", path, stack.admin).status_code == 404


def test_refusals(stack: RunningStack) -> None:
    user_id, me = new_user(stack)
    other_id, _ = new_user(stack)
    both = {"product_id": "PROD-1", "quantity": 1, "total_price": 1.0, "items": []}
    cases = [
        (
            call(
                stack, "POST", ORDERS, json={"product_id": "P", "quantity": 1, "total_price": 1.0}
            ),
            401,
        ),
        (call(stack, "POST", ORDERS, me, json=both), 422),
        (
            call(
                stack,
                "POST",
                ORDERS,
                me,
                json={"product_id": "P", "quantity": 0, "total_price": 1.0},
            ),
            422,
        ),
        (
            call(
                stack,
                "POST",
                ORDERS,
                me,
                json={"product_id": "P", "quantity": "2", "total_price": 1.0},
            ),
            422,
        ),
        (
            call(
                stack,
                "POST",
                ORDERS,
                me,
                json={"user_id": other_id, "product_id": "P", "quantity": 1, "total_price": 1.0},
            ),
            403,
        ),
        (call(stack, "GET", ORDERS, me, params={"status": "PENDING"}), 422),
        (call(stack, "GET", f"{ORDERS}/my-orders", stack.auth("service")), 403),
        (
            call(
                stack, "PATCH", f"{ORDERS}/999999/status", stack.admin, json={"status": "shipped"}
            ),
            404,
        ),
        (call(stack, "PATCH", f"{ORDERS}/1/status", stack.admin, json={"status": "lost"}), 422),
    ]
    for response, status in cases:
        body = response.json()
        assert (response.status_code, body["success"]) == (status, False), (
            response.request.url,
            body,
        )
    problems = cases[2][0].json()["error"]["details"]["problems"]
    assert problems[0]["field"] == "quantity"
    assert user_id != other_id


def test_one_idempotency_key_makes_one_order_under_50_concurrent_requests(
    stack: RunningStack,
) -> None:
    user_id, me = new_user(stack)
    key = str(uuid.uuid4())
    body = {"product_id": "PROD-IDEMPOTENT", "quantity": 1, "total_price": 3.5}
    headers = {**me, "Idempotency-Key": key}

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as client:
            return await asyncio.gather(
                *(client.post(ORDERS, json=body, headers=headers) for _ in range(50))
            )

    answers = asyncio.run(burst())
    statuses = sorted({a.status_code for a in answers})
    assert set(statuses) <= {201, 409}, [
        a.json() for a in answers if a.status_code not in (201, 409)
    ]
    created = [a for a in answers if a.status_code == 201]
    assert created, statuses
    ids = {a.json()["data"]["id"] for a in created}
    assert len(ids) == 1
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"

    mine = call(stack, "GET", f"{ORDERS}/my-orders", me).json()
    assert mine["meta"]["total_count"] == 1
    assert mine["data"][0]["id"] == ids.pop()

    replay = call(stack, "POST", ORDERS, headers, json=body)
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.headers["location"] == created[0].headers["location"]
    assert replay.json() == created[0].json()

    other_body = call(stack, "POST", ORDERS, headers, json={**body, "quantity": 2})
    assert (other_body.status_code, other_body.json()["error"]["code"]) == (
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    # Keys belong to their caller: another user's same key is a request of its own.
    _, someone = new_user(stack)
    theirs = call(stack, "POST", ORDERS, {**someone, "Idempotency-Key": key}, json=body)
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert theirs.json()["data"]["id"] != replay.json()["data"]["id"]
    assert call(stack, "GET", f"{ORDERS}/my-orders", me).json()["meta"]["total_count"] == 1
    assert user_id


def test_a_refused_request_keeps_no_key(stack: RunningStack) -> None:
    _, me = new_user(stack)
    key = str(uuid.uuid4())
    body = {"product_id": "PROD-1", "quantity": 1, "total_price": 1.0}
    # Without a valid token nothing is run and nothing is kept under the key ...
    bad = call(stack, "POST", ORDERS, {"Idempotency-Key": key}, json=body)
    assert bad.status_code == 401
    # ... so the caller's first real request with it runs.
    ok = call(stack, "POST", ORDERS, {**me, "Idempotency-Key": key}, json=body)
    assert ok.status_code == 201 and "idempotent-replayed" not in ok.headers
    too_long = call(stack, "POST", ORDERS, {**me, "Idempotency-Key": "k" * 300}, json=body)
    assert too_long.status_code == 422
    assert too_long.json()["error"]["details"]["problems"][0]["field"] == "Idempotency-Key"
