"""Reading a GraphQL request off HTTP, in order: media type (415), body size while it is read
(413), CSRF (400), then the parameters (a single operation or a batch), their JSON nesting
limited (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from gateway.app.errors import UNSUPPORTED_MEDIA_TYPE, RequestError
from gateway.policy.body_size import read_body
from gateway.policy.csrf import check_csrf
from gateway.policy.settings import PolicySettings


async def read_request(
    request: Request, policy: PolicySettings, read_params: Callable[[bytes, int], Any]
) -> Any:
    """`read_params` over the body (and the JSON nesting limit), once the HTTP-level policies
    let the request through."""
    if request.method == "POST" and not is_json(request.headers.get("content-type", "")):
        raise RequestError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            "Send the GraphQL request as JSON with `Content-Type: application/json`.",
        )
    length = request.headers.get("content-length")
    body = await read_body(request.stream(), policy.max_body_bytes, length)
    check_csrf(request.method, request.headers)
    return read_params(body, policy.max_json_depth)


def is_json(content_type: str) -> bool:
    """`application/json` or a `+json` type, parameters (charset) aside."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")
