"""GraphQL answers mapped to REST answers: data, or the error with the original status."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from gateway.rest.case import camel, snake, snake_keys
from gateway.rest.results import ShimFailure, field_data


@dataclass
class Result:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def error(code: str, message: str = "m", **extensions: Any) -> dict[str, Any]:
    return {"message": message, "path": ["me"], "extensions": {"code": code, **extensions}}


def refusal(result: Result) -> tuple[int, dict[str, Any], dict[str, str]]:
    with pytest.raises(ShimFailure) as caught:
        field_data(result, "me")
    response = caught.value.response
    return response.status_code, json.loads(response.body), dict(response.headers)


def test_data_of_the_field() -> None:
    assert field_data(Result(200, {"data": {"me": {"id": "1"}}}), "me") == {"id": "1"}
    # Errors elsewhere (a nullable sub-field) do not fail the field.
    partial = {
        "data": {"me": {"id": "1", "x": None}},
        "errors": [{"message": "x", "path": ["me", "x"]}],
    }
    assert field_data(Result(200, partial), "me") == {"id": "1", "x": None}


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("UNAUTHENTICATED", 401),
        ("FORBIDDEN", 403),
        ("NOT_FOUND", 404),
        ("CONFLICT", 409),
        ("VALIDATION_FAILED", 422),
        ("SUBGRAPH_UNAVAILABLE", 503),
        ("SOMETHING_NEW", 500),
    ],
)
def test_field_errors_get_the_original_status(code: str, status: int) -> None:
    got, body, _ = refusal(Result(200, {"data": {"me": None}, "errors": [error(code, "why")]}))
    assert got == status
    assert body == {"success": False, "error": {"code": code, "message": "why", "details": None}}


def test_validation_details_and_retry_after_come_along() -> None:
    problems = [{"field": "email", "message": "taken"}]
    _, body, _ = refusal(
        Result(
            200,
            {
                "data": None,
                "errors": [error("VALIDATION_FAILED", field="email", problems=problems)],
            },
        )
    )
    assert body["error"]["details"] == {"field": "email", "problems": problems}

    status, body, headers = refusal(
        Result(200, {"data": None, "errors": [error("TOO_MANY_ATTEMPTS", retryAfter=42)]})
    )
    assert status == 429 and headers["retry-after"] == "42"


def test_fields_in_details_are_named_as_rest_names_them() -> None:
    problems = [
        {"field": "orderId", "message": "unknown"},
        {"field": "input[1].eventType", "message": "repeated"},
    ]
    _, body, _ = refusal(
        Result(
            200,
            {
                "data": None,
                "errors": [error("VALIDATION_FAILED", field="orderId", problems=problems)],
            },
        )
    )
    assert body["error"]["details"] == {
        "field": "order_id",
        "problems": [
            {"field": "order_id", "message": "unknown"},
            {"field": "input[1].event_type", "message": "repeated"},
        ],
    }


def test_refusals_before_execution_keep_their_status_and_headers() -> None:
    limited = Result(
        429,
        {"errors": [{"message": "slow down", "extensions": {"code": "RATE_LIMITED"}}]},
        {"Retry-After": "3", "RateLimit-Remaining": "0", "X-Other": "no"},
    )
    status, body, headers = refusal(limited)
    assert status == 429 and body["error"]["code"] == "RATE_LIMITED"
    assert headers["retry-after"] == "3" and headers["ratelimit-remaining"] == "0"
    assert "x-other" not in headers


def test_case_conversion() -> None:
    assert snake("createdAt") == "created_at" and camel("created_at") == "createdAt"
    assert snake_keys(
        {"accessToken": "t", "user": {"createdAt": 1, "items": [{"unitPrice": 2}]}}
    ) == {
        "access_token": "t",
        "user": {"created_at": 1, "items": [{"unit_price": 2}]},
    }
