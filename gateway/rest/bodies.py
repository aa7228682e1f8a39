"""Request bodies of the REST shims: size-limited JSON, validated by a pydantic model.

A body that is not JSON is 400 `BAD_REQUEST`; one that breaks the model is 422
`VALIDATION_FAILED` with one `{field, message}` per problem in `details.problems`.
"""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from gateway.policy.body_size import read_body
from gateway.policy.errors import PolicyError

T = TypeVar("T", bound=BaseModel)

#: A REST request body is a small JSON object; anything near this is not one.
MAX_BODY_BYTES = 64 * 1024


class BodyError(Exception):
    """A request body the shim cannot use: status, code, message and details for `failure`."""

    def __init__(self, status: int, code: str, message: str, details: object = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


async def read_model(request: Request, model: type[T], example: str) -> T:
    """The body as `model`; `BodyError` saying what to send (`example`) when it is not one."""
    try:
        body = await read_body(
            request.stream(), MAX_BODY_BYTES, request.headers.get("content-length")
        )
    except PolicyError as exc:
        raise BodyError(exc.status, exc.code, exc.message) from None
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BodyError(
            400, "BAD_REQUEST", f"Send a JSON object: {example}.", {"reason": f"not JSON: {exc}"}
        ) from None
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
            for err in exc.errors()
        ]
        message = "Invalid request: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        raise BodyError(422, "VALIDATION_FAILED", message, {"problems": problems}) from None
