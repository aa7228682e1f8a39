"""The payment endpoints: request validation, the operation each runs, the answer's shape, and
`Idempotency-Key` on the writes (with a SQLite key store).

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain is exercised in tests/integration/test_rest_payments.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from gateway.rest import Idempotency
from gateway.rest.idempotency import SqlIdempotencyStore
from gateway.rest.types import MAX_ID
from tests.unit.gateway.rest.support import (
    REST_APP,
    answering,
    client,
    failing,
    fresh_client,
    refused_fields,
)

PAYMENT = {
    "id": "5",
    "orderId": "12",
    "userId": "7",
    "amount": 19.99,
    "currency": "USD",
    "method": "BANK_TRANSFER",
    "status": "PENDING",
    "providerReference": None,
    "failureReason": None,
    "refundReason": None,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-01T00:00:00Z",
}
SHAPED = {
    "id": 5,
    "order_id": 12,
    "user_id": 7,
    "amount": 19.99,
    "currency": "USD",
    "method": "bank_transfer",
    "status": "pending",
    "provider_reference": None,
    "failure_reason": None,
    "refund_reason": None,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}
PAGE_INFO = {"page": 2, "pageSize": 1, "totalPages": 3, "totalCount": 3}


@pytest.fixture
async def idempotency(tmp_path: Path) -> AsyncIterator[Idempotency]:
    store = SqlIdempotencyStore.open(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")

    async def scope_of(request: Request) -> str | None:
        return "user:7"

    yield Idempotency(store, scope_of)
    await store.aclose()


async def test_create_is_201_with_location_and_graph_input() -> None:
    runner = answering("createPayment", PAYMENT)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/payments",
            json={"order_id": 12, "method": "card", "card_token": "tok_visa"},
        )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/v1/payments/5"
    assert response.json() == {"success": True, "data": SHAPED}
    [(query, variables, name)] = runner.calls
    assert name == "CreatePayment" and "createPayment(input: $input)" in query
    # currency left out: the graph's default (USD) applies.
    assert variables == {"input": {"orderId": "12", "method": "CARD", "cardToken": "tok_visa"}}


async def test_create_sends_the_currency_given() -> None:
    runner = answering("createPayment", PAYMENT)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/payments",
            json={"order_id": 12, "method": "bank_transfer", "currency": "EUR"},
        )
    assert response.status_code == 201
    assert runner.calls[0][1] == {
        "input": {"orderId": "12", "method": "BANK_TRANSFER", "currency": "EUR"}
    }


@pytest.mark.parametrize(
    ("body", "field_name"),
    [
        ({"method": "card"}, "order_id"),
        ({"order_id": 1}, "method"),
        ({"order_id": 1, "method": "CARD"}, "method"),
        ({"order_id": 1, "method": "cash"}, "method"),
        ({"order_id": "1", "method": "card"}, "order_id"),
        ({"order_id": 0, "method": "card"}, "order_id"),
        ({"order_id": MAX_ID + 1, "method": "card"}, "order_id"),
        ({"order_id": 1, "method": "card", "currency": "usd"}, "currency"),
        ({"order_id": 1, "method": "card", "currency": "USDT"}, "currency"),
        ({"order_id": 1, "method": "card", "card_token": "visa"}, "card_token"),
        ({"order_id": 1, "method": "card", "card_token": "tok_" + "a" * 61}, "card_token"),
        ({"order_id": 1, "method": "card", "amount": 5}, "amount"),
    ],
)
async def test_invalid_creates_never_reach_the_graph(body: dict[str, Any], field_name: str) -> None:
    runner = answering("createPayment", PAYMENT)
    async with client(runner) as http:
        response = await http.post("/api/v1/payments", json=body)
    assert field_name in refused_fields(response)
    assert runner.calls == []


async def test_list_sends_filters_and_answers_meta() -> None:
    runner = answering("payments", {"items": [PAYMENT], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/payments",
            params={"page": 2, "page_size": 1, "status": "succeeded", "user_id": 7, "order_id": 12},
        )
    assert response.json() == {
        "success": True,
        "data": [SHAPED],
        "meta": {"page": 2, "page_size": 1, "total_pages": 3, "total_count": 3},
    }
    [(_, variables, name)] = runner.calls
    assert name == "Payments"
    assert variables == {
        "page": 2,
        "pageSize": 1,
        "status": "SUCCEEDED",
        "userId": "7",
        "orderId": "12",
    }


async def test_list_defaults_and_no_filters() -> None:
    runner = answering("payments", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        assert (await http.get("/api/v1/payments")).status_code == 200
    assert runner.calls[0][1] == {"page": 1, "pageSize": 10}


@pytest.mark.parametrize(
    ("params", "field_name"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"status": "PENDING"}, "status"),
        ({"status": "lost"}, "status"),
        ({"user_id": "x"}, "user_id"),
        ({"order_id": 0}, "order_id"),
    ],
)
async def test_bad_list_parameters_are_422_naming_them(
    params: dict[str, Any], field_name: str
) -> None:
    runner = answering("payments", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/payments", params=params)
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert [(p["field"], p["in"]) for p in problems] == [(field_name, "query")]
    assert runner.calls == []


async def test_my_payments() -> None:
    runner = answering("myPayments", {"items": [PAYMENT], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get("/api/v1/payments/my-payments", params={"page_size": 1})
    assert response.status_code == 200
    assert response.json()["data"] == [SHAPED]
    assert runner.calls[0][1:] == ({"page": 1, "pageSize": 1}, "MyPayments")


async def test_one_and_by_order_and_404_when_null() -> None:
    found = answering("payment", PAYMENT)
    by_order = answering("paymentByOrder", PAYMENT)
    missing = answering("payment", None)
    none_for_order = answering("paymentByOrder", None)
    async with client(found) as http:
        one = await http.get("/api/v1/payments/5")
    async with client(by_order) as http:
        of_order = await http.get("/api/v1/payments/order/12")
    async with client(missing) as http:
        absent = await http.get("/api/v1/payments/6")
    async with client(none_for_order) as http:
        unpaid = await http.get("/api/v1/payments/order/13")
    assert one.json() == of_order.json() == {"success": True, "data": SHAPED}
    assert found.calls[0][1:] == ({"id": "5"}, "Payment")
    assert by_order.calls[0][1:] == ({"orderId": "12"}, "PaymentByOrder")
    assert (absent.status_code, absent.json()["error"]["code"]) == (404, "NOT_FOUND")
    assert "payment 6" in absent.json()["error"]["message"]
    assert (unpaid.status_code, unpaid.json()["error"]["code"]) == (404, "NOT_FOUND")
    assert "order 13" in unpaid.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/payments/order", 404),
        ("/api/v1/payments/abc", 404),
        ("/api/v1/payments/order/abc", 404),
        ("/api/v1/payments/-1", 404),
        ("/api/v1/payments/0", 422),
        (f"/api/v1/payments/{MAX_ID + 1}", 422),
        ("/api/v1/payments/order/0", 422),
    ],
)
async def test_ids_in_paths_are_integers_in_range(path: str, status: int) -> None:
    runner = answering("payment", PAYMENT)
    async with client(runner) as http:
        response = await http.get(path)
    assert response.status_code == status
    assert response.json()["success"] is False
    assert runner.calls == []


async def test_process_and_refund() -> None:
    paid = {**PAYMENT, "status": "SUCCEEDED", "providerReference": "fake_ch_5"}
    refunded = {**paid, "status": "REFUNDED", "refundReason": "damaged"}
    process = answering("processPayment", paid)
    refund = answering("refundPayment", refunded)
    async with client(process) as http:
        processed = await http.post("/api/v1/payments/5/process")
    async with client(refund) as http:
        returned = await http.post("/api/v1/payments/5/refund", json={"reason": "damaged"})
    assert processed.status_code == 200
    assert processed.json()["data"]["status"] == "succeeded"
    assert processed.json()["data"]["provider_reference"] == "fake_ch_5"
    assert process.calls[0][1:] == ({"id": "5"}, "ProcessPayment")
    assert returned.status_code == 200
    assert returned.json()["data"]["refund_reason"] == "damaged"
    assert refund.calls[0][1:] == ({"id": "5", "reason": "damaged"}, "RefundPayment")


@pytest.mark.parametrize(
    "body",
    [{}, {"reason": ""}, {"reason": "x" * 501}, {"reason": "a\x00b"}, {"reason": "a", "b": 1}],
)
async def test_invalid_refunds_never_reach_the_graph(body: dict[str, Any]) -> None:
    runner = answering("refundPayment", PAYMENT)
    async with client(runner) as http:
        response = await http.post("/api/v1/payments/5/refund", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_FAILED"
    assert runner.calls == []


@pytest.mark.parametrize(
    ("code", "status"), [("CONFLICT", 409), ("NOT_FOUND", 404), ("FORBIDDEN", 403)]
)
async def test_graph_errors_keep_their_status(code: str, status: int) -> None:
    runner = failing("processPayment", code, "Payment 5 is SUCCEEDED", field="status")
    async with client(runner) as http:
        response = await http.post("/api/v1/payments/5/process")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


async def test_a_replayed_create_runs_once(idempotency: Idempotency) -> None:
    runner = answering("createPayment", PAYMENT)
    body = {"order_id": 12, "method": "wallet"}
    key = {"Idempotency-Key": "create-1"}
    async with fresh_client(runner, idempotency=idempotency) as http:
        first = await http.post("/api/v1/payments", json=body, headers=key)
        again = await http.post("/api/v1/payments", json=body, headers=key)
        other = await http.post("/api/v1/payments", json={**body, "order_id": 13}, headers=key)
    assert len(runner.calls) == 1
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == "/api/v1/payments/5"
    assert "idempotent-replayed" not in first.headers
    assert (other.status_code, other.json()["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


async def test_process_and_refund_honour_the_key(idempotency: Idempotency) -> None:
    process = answering("processPayment", {**PAYMENT, "status": "SUCCEEDED"})
    async with fresh_client(process, idempotency=idempotency) as http:
        first = await http.post("/api/v1/payments/5/process", headers={"Idempotency-Key": "p"})
        again = await http.post("/api/v1/payments/5/process", headers={"Idempotency-Key": "p"})
        # The same key on another payment is another request.
        other = await http.post("/api/v1/payments/6/process", headers={"Idempotency-Key": "p"})
    assert len(process.calls) == 1
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"

    refund = answering("refundPayment", {**PAYMENT, "status": "REFUNDED"})
    key = {"Idempotency-Key": "r"}
    async with fresh_client(refund, idempotency=idempotency) as http:
        await http.post("/api/v1/payments/5/refund", json={"reason": "a"}, headers=key)
        replayed = await http.post("/api/v1/payments/5/refund", json={"reason": "a"}, headers=key)
        reused = await http.post("/api/v1/payments/5/refund", json={"reason": "b"}, headers=key)
    assert len(refund.calls) == 1
    assert replayed.headers["idempotent-replayed"] == "true"
    assert reused.status_code == 422


async def test_the_key_goes_to_the_subgraph_with_each_write(idempotency: Idempotency) -> None:
    """The subgraph keeps the key with the write, so a retry after a lost answer is safe even
    where this store kept nothing (a 5xx)."""
    create = answering("createPayment", PAYMENT)
    process = answering("processPayment", PAYMENT)
    refund = answering("refundPayment", PAYMENT)
    key = {"Idempotency-Key": "k-1"}
    async with fresh_client(create, idempotency=idempotency) as http:
        await http.post("/api/v1/payments", json={"order_id": 12, "method": "wallet"}, headers=key)
    async with fresh_client(process) as http:
        await http.post("/api/v1/payments/5/process", headers=key)
        await http.post("/api/v1/payments/5/process")
    async with fresh_client(refund) as http:
        await http.post("/api/v1/payments/5/refund", json={"reason": "a"}, headers=key)

    assert create.calls[0][1]["input"]["idempotencyKey"] == "k-1"
    assert [call[1] for call in process.calls] == [
        {"id": "5", "idempotencyKey": "k-1"},
        {"id": "5"},
    ]
    assert refund.calls[0][1] == {"id": "5", "reason": "a", "idempotencyKey": "k-1"}


async def test_the_subgraphs_refusal_of_a_reused_key_is_422() -> None:
    runner = failing("createPayment", "IDEMPOTENCY_KEY_REUSED", "used", field="idempotencyKey")
    async with client(runner) as http:
        response = await http.post("/api/v1/payments", json={"order_id": 12, "method": "wallet"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_a_new_payment_not_payable_yet_keeps_no_answer(idempotency: Idempotency) -> None:
    """404: payments has not heard of the order or its total yet and says to retry shortly;
    the retry may keep its key and runs afresh."""
    not_yet = failing("createPayment", "NOT_FOUND", "no total yet", field="orderId")
    body, key = {"order_id": 12, "method": "wallet"}, {"Idempotency-Key": "early"}
    async with fresh_client(not_yet, idempotency=idempotency) as http:
        first = await http.post("/api/v1/payments", json=body, headers=key)
    payable = answering("createPayment", PAYMENT)
    async with fresh_client(payable, idempotency=idempotency) as http:
        retried = await http.post("/api/v1/payments", json=body, headers=key)
        replayed = await http.post("/api/v1/payments", json=body, headers=key)

    assert first.status_code == 404
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    assert replayed.headers["idempotent-replayed"] == "true"
    assert len(payable.calls) == 1


async def test_a_conflict_is_kept_for_the_key(idempotency: Idempotency) -> None:
    runner = failing("processPayment", "CONFLICT", "Payment 5 is SUCCEEDED", field="status")
    async with fresh_client(runner, idempotency=idempotency) as http:
        first = await http.post("/api/v1/payments/5/process", headers={"Idempotency-Key": "c"})
        again = await http.post("/api/v1/payments/5/process", headers={"Idempotency-Key": "c"})
    assert first.status_code == again.status_code == 409
    assert len(runner.calls) == 1
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_bad_key_is_422() -> None:
    runner = answering("processPayment", PAYMENT)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/payments/5/process", headers={"Idempotency-Key": "has space"}
        )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["problems"][0]["field"] == "Idempotency-Key"
    assert runner.calls == []


def test_the_spec_documents_every_route() -> None:
    paths = REST_APP.app.openapi()["paths"]
    operations = {
        (method, path): op["operationId"]
        for path, methods in paths.items()
        if path.startswith("/api/v1/payments")
        for method, op in methods.items()
    }
    assert operations == {
        ("post", "/api/v1/payments"): "createPayment",
        ("get", "/api/v1/payments"): "listPayments",
        ("get", "/api/v1/payments/my-payments"): "myPayments",
        ("get", "/api/v1/payments/order/{order_id}"): "getPaymentByOrder",
        ("get", "/api/v1/payments/{payment_id}"): "getPayment",
        ("post", "/api/v1/payments/{payment_id}/process"): "processPayment",
        ("post", "/api/v1/payments/{payment_id}/refund"): "refundPayment",
    }
    create = paths["/api/v1/payments"]["post"]
    assert "Location" in create["responses"]["201"]["headers"]
    assert {"404", "409", "415"} <= set(create["responses"])
    assert [p["name"] for p in create["parameters"]] == ["Idempotency-Key"]
