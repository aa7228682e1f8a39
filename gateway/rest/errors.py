"""Every refusal under `/api/` in the envelope: parameters and bodies FastAPI rejects, unknown
paths and methods, failed operations, and bodies refused before they reach a handler.

`install_error_handlers(app)` registers the handlers; `RestBodyGuard` wraps the app.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.request_id import current_request_id
from gateway.policy.body_size import read_body
from gateway.policy.errors import PolicyError
from gateway.rest.envelope import failure
from gateway.rest.results import ShimFailure

#: Paths answered in the envelope.
API_PREFIX = "/api/"
#: A REST request body is a small JSON object; anything near this is not one.
MAX_BODY_BYTES = 64 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def install_error_handlers(app: FastAPI, routes: Sequence[BaseRoute] = ()) -> None:
    """Answer REST refusals in the envelope; other paths keep FastAPI's answers. A 405 lists
    in `Allow` every method `routes` serve at the path (Starlette names the first route's)."""

    async def failed_operation(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ShimFailure)
        return exc.response

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not request.url.path.startswith(API_PREFIX):
            return await request_validation_exception_handler(request, exc)
        return validation_failure(exc.errors())

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not request.url.path.startswith(API_PREFIX):
            return await http_exception_handler(request, exc)
        code = _CODES.get(exc.status_code, "BAD_REQUEST" if exc.status_code < 500 else "INTERNAL")
        message = (
            f"No endpoint {request.method} {request.url.path}; /openapi.json lists them."
            if exc.status_code in _CODES
            else str(exc.detail)
        )
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(routes, request.scope))
        return failure(exc.status_code, code, message, headers=headers)

    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception after this answer; the client gets no trace.
        if not request.url.path.startswith(API_PREFIX):
            return PlainTextResponse("Internal Server Error", status_code=500)
        request_id = current_request_id()
        return failure(
            500,
            "INTERNAL",
            f"Internal error. Quote request id {request_id} when you report it.",
            {"requestId": request_id},
        )

    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(ShimFailure, failed_operation)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """The methods of the `routes` whose path matches the request's."""
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches(scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


def validation_failure(errors: Sequence[Any]) -> Response:
    """FastAPI's validation errors as 400 (the body is not JSON) or 422 naming each field."""
    if any(error.get("type") == "json_invalid" for error in errors):
        reason = next(e for e in errors if e.get("type") == "json_invalid")
        detail = (reason.get("ctx") or {}).get("error", "not JSON")
        return failure(
            400,
            "BAD_REQUEST",
            "The body is not JSON; send a JSON object as the endpoint's schema shows.",
            {"reason": str(detail)},
        )
    problems = [_problem(error) for error in errors]
    message = "Invalid request: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return failure(422, "VALIDATION_FAILED", message, {"problems": problems})


def _problem(error: Any) -> dict[str, str]:
    """One refused field: where and what is wrong (pydantic's message), never the value sent.
    A key the endpoint does not take is named only when it is a name (it may be a value sent
    by mistake); every other place is one of the endpoint's own fields."""
    where, *place = [str(part) for part in error.get("loc") or ("body",)]
    if error.get("type") == "extra_forbidden" and place and not _NAME.fullmatch(place[-1]):
        place[-1] = "(a key that is not a name)"
    return {"field": ".".join(place) or where, "in": where, "message": str(error.get("msg"))}


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class RestBodyGuard:
    """Refuses REST bodies over `MAX_BODY_BYTES` (413) and bodies that are not JSON (415)
    before FastAPI reads them; the body is read once here and handed on."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _BODY_METHODS
            or not scope["path"].startswith(API_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            body = await read_body(_chunks(receive), self.max_bytes, headers.get("content-length"))
        except PolicyError as exc:
            await failure(exc.status, exc.code, exc.message)(scope, receive, send)
            return
        if body and not _is_json(headers.get("content-type")):
            refusal = failure(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "Send the body as JSON with 'Content-Type: application/json'.",
            )
            await refusal(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _chunks(receive: Receive) -> Any:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False  # FastAPI would not read it as JSON either
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )
