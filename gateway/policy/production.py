"""Production hardening of what clients see: no field suggestions in validation messages, and no
details of subgraph errors that are not meant for clients (a generic message with the request id,
`extensions.code` kept). A subgraph error whose code says it was raised for the client on
purpose (`CLIENT_ERROR_CODES`: the input is wrong, the thing is missing, sign in first...) keeps
its message, which says what to do, and its documented extensions."""

from __future__ import annotations

import re
from typing import Any

#: graphql-core's suggestion sentences: "Did you mean 'x'?", "Did you mean 'x' or 'y'?", ...
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def strip_suggestions(message: str) -> str:
    """`message` without its "Did you mean ...?" sentence (it would reveal the schema)."""
    return _SUGGESTION.sub("", message)


def without_suggestions(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Formatted GraphQL errors with their messages stripped of suggestions."""
    return [
        {**error, "message": strip_suggestions(str(error.get("message", "")))} for error in errors
    ]


#: Codes of errors subgraphs raise for the client on purpose (common/errors.py, and Apollo
#: Server's conventional BAD_USER_INPUT): their messages are written for the caller.
CLIENT_ERROR_CODES = frozenset(
    {
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "NOT_FOUND",
        "CONFLICT",
        "IDEMPOTENCY_KEY_REUSED",
        "TOO_MANY_ATTEMPTS",
        "CHALLENGE_REQUIRED",
    }
)
#: The extensions of such an error that are part of its contract (the rest may be internals).
_CLIENT_EXTENSIONS = ("code", "field", "problems", "retryAfter", "challenge", "serviceName")


def mask_subgraph_errors(response: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """`response` with each subgraph error (one naming a `serviceName`) reduced to a generic
    message, its `path` and its `extensions.code`, unless its code is in `CLIENT_ERROR_CODES`
    (then its message, path and documented extensions stay); other errors kept."""
    errors = response.get("errors")
    if not errors:
        return response
    masked: list[dict[str, Any]] = []
    for error in errors:
        extensions = error.get("extensions") or {}
        if "serviceName" not in extensions:
            masked.append(error)
            continue
        if extensions.get("code") in CLIENT_ERROR_CODES:
            masked.append(_client_error(error, extensions))
            continue
        message = f"A subgraph failed to answer part of this request (request id {request_id})."
        safe: dict[str, Any] = {"message": message}
        if "path" in error:
            safe["path"] = error["path"]
        safe["extensions"] = {"code": extensions.get("code"), "requestId": request_id}
        masked.append(safe)
    return {**response, "errors": masked}


def _client_error(error: dict[str, Any], extensions: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {"message": error.get("message")}
    if "path" in error:
        kept["path"] = error["path"]
    kept["extensions"] = {k: extensions[k] for k in _CLIENT_EXTENSIONS if k in extensions}
    return kept
