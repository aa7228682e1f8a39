"""From a GraphQL answer to a REST answer: the field's data, or the error with its status.

A refusal before execution keeps its status (401 bad token, 429 rate limit, 413, 503 no
supergraph). An error on the field keeps its code and gets the status the original services
used for it; `Retry-After` comes along for 429s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from starlette.responses import JSONResponse

from gateway.rest.case import snake_path
from gateway.rest.envelope import failure

#: HTTP status of each GraphQL error code a shim may meet.
STATUS_BY_CODE = {
    "BAD_REQUEST": 400,
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "UNAUTHORIZED_FIELD_OR_TYPE": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "VALIDATION_FAILED": 422,
    "BAD_USER_INPUT": 422,
    "IDEMPOTENCY_KEY_REUSED": 422,
    "TOO_MANY_ATTEMPTS": 429,
    "CHALLENGE_REQUIRED": 429,
    "RATE_LIMITED": 429,
    "TOKEN_ISSUING_DISABLED": 501,
    "SUBGRAPH_UNAVAILABLE": 503,
    "SUPERGRAPH_UNAVAILABLE": 503,
}
#: extensions worth passing on as `error.details`
_DETAILS = ("field", "problems", "retryAfter", "challenge", "serviceName", "requestId")
#: headers of a refusal the REST answer keeps (Retry-After, RateLimit-*, WWW-Authenticate)
_PASSED_HEADERS = ("retry-after", "ratelimit", "www-authenticate")


def _rest_details(extensions: Mapping[str, Any]) -> dict[str, Any] | None:
    """The error's extensions worth passing on, fields named as REST names them
    (`orderId` -> `order_id`, `input[1].eventType` -> `input[1].event_type`)."""
    details = {key: extensions[key] for key in _DETAILS if key in extensions}
    if isinstance(details.get("field"), str):
        details["field"] = snake_path(details["field"])
    if isinstance(details.get("problems"), list):
        details["problems"] = [
            {**p, "field": snake_path(p["field"])}
            if isinstance(p, dict) and isinstance(p.get("field"), str)
            else p
            for p in details["problems"]
        ]
    return details or None


class OperationResult(Protocol):
    """What running one operation gives: an HTTP status, a GraphQL body, headers."""

    status: int
    body: Any
    headers: dict[str, str]


class ShimFailure(Exception):
    """The operation failed; `response` is the REST answer to send."""

    def __init__(self, response: JSONResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def field_data(result: OperationResult, field: str) -> Any:
    """`data[field]` of a successful answer; `ShimFailure` with the REST error otherwise."""
    body = result.body if isinstance(result.body, Mapping) else {}
    errors = body.get("errors") or []
    if result.status != 200:
        raise ShimFailure(_error_response(errors[0] if errors else {}, result.status, result))
    data = body.get("data") or {}
    field_errors = [e for e in errors if (e.get("path") or [field])[0] == field]
    if data.get(field) is None and (field_errors or errors):
        error = (field_errors or errors)[0]
        raise ShimFailure(_error_response(error, None, result))
    return data.get(field)


def _error_response(
    error: Mapping[str, Any], status: int | None, result: OperationResult
) -> JSONResponse:
    extensions = error.get("extensions") or {}
    code = str(extensions.get("code") or "INTERNAL")
    status = status or STATUS_BY_CODE.get(code, 500)
    details = _rest_details(extensions)
    headers = {
        k: v
        for k, v in result.headers.items()
        if k.lower().startswith(("retry", "ratelimit", "www-authenticate"))
    }
    if code == "TOO_MANY_ATTEMPTS" and "retryAfter" in extensions:
        headers["Retry-After"] = str(extensions["retryAfter"])
    message = str(error.get("message") or "The request failed.")
    return failure(status, code, message, details, headers=headers)
