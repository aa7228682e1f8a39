"""The envelope as OpenAPI sees it, and the responses each kind of endpoint documents.

These models only describe answers (the handlers build them with `envelope.success` and
`envelope.failure`); `responses(...)` gives a route's `responses=` with every status it can
answer, so the published spec and the server agree.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ErrorBody(BaseModel):
    """What went wrong: a stable code, a message saying what to do, and details."""

    code: str = Field(examples=["VALIDATION_FAILED"])
    message: str = Field(examples=["Invalid request: quantity: Input should be greater than 0"])
    details: dict[str, Any] | None = Field(
        default=None,
        description="`problems` (`field`, `in`, `message`) for 422, `retryAfter` for 429, "
        "`challenge` for 429 `CHALLENGE_REQUIRED` (a login challenge to solve), `requestId` "
        "where the logs have more.",
    )


class Failure(BaseModel):
    """A failed request."""

    model_config = ConfigDict(title="Failure")

    success: Literal[False]
    error: ErrorBody


class Meta(BaseModel):
    """Where a page sits in the whole list."""

    page: int = Field(examples=[1])
    page_size: int = Field(examples=[10])
    total_pages: int = Field(examples=[5])
    total_count: int = Field(examples=[50])


class One(BaseModel, Generic[T]):
    """A successful answer with one item."""

    success: Literal[True]
    data: T


class Many(BaseModel, Generic[T]):
    """A successful answer with one page of a list."""

    success: Literal[True]
    data: list[T]
    meta: Meta


class Deleted(BaseModel):
    """What a delete answers."""

    id: int = Field(examples=[1])
    deleted: Literal[True]


#: `openapi_extra` of an endpoint anyone may call without a token.
PUBLIC: dict[str, Any] = {"security": []}
#: ... of one answering anonymous callers too (with less: public items only).
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}, {"bearerAuth": []}]}


#: What each error status means for any endpoint answering it.
ERRORS: dict[int, str] = {
    400: "Malformed request: the body is not JSON.",
    401: "No token where one is needed, or a token that is not valid (expired, wrong "
    "signature, audience or issuer).",
    403: "The token's roles do not allow this.",
    404: "No such item, or one the caller may not see.",
    409: "The item's state or a unique value conflicts with the request, or a request with "
    "the same Idempotency-Key is still running.",
    413: "The body is larger than 64 KiB.",
    415: "The body is not `application/json`.",
    422: "Validation failed: `error.details.problems` names each field and what is wrong.",
    429: "Too many requests: wait `Retry-After` seconds.",
    503: "The service behind this endpoint is unavailable; try again later.",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
_LOCATION = {
    "Location": {"description": "The path of the created item.", "schema": {"type": "string"}}
}
#: Every endpoint may answer these (bad token, its roles, parameters, rate limit, outage).
COMMON = (401, 403, 422, 429, 503)
#: ... and endpoints with a body these.
WITH_BODY = (400, 413, 415)


def responses(
    model: Any,
    *,
    status: int = 200,
    errors: tuple[int, ...] = (),
    created: bool = False,
) -> dict[int | str, dict[str, Any]]:
    """A route's documented answers: `model` with `status`, then the envelope for `COMMON`
    and `errors`; `created` documents the `Location` header."""
    documented: dict[int | str, dict[str, Any]] = {
        status: {
            "model": model,
            "description": "Created." if created else "Done.",
            **({"headers": _LOCATION} if created else {}),
        }
    }
    for code in sorted({*COMMON, *errors}):
        entry: dict[str, Any] = {"model": Failure, "description": ERRORS[code]}
        if code == 429:
            entry["headers"] = _RETRY_AFTER
        documented[code] = entry
    return documented
