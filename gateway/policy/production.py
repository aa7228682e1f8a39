"""Production hardening of what clients see: no field suggestions in validation messages and no
subgraph error details (a generic message with the request id, `extensions.code` kept)."""

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


def mask_subgraph_errors(response: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """`response` with each subgraph error (one naming a `serviceName`) reduced to a generic
    message, its `path` and its `extensions.code`; other errors kept."""
    errors = response.get("errors")
    if not errors:
        return response
    masked: list[dict[str, Any]] = []
    for error in errors:
        extensions = error.get("extensions") or {}
        if "serviceName" not in extensions:
            masked.append(error)
            continue
        message = f"A subgraph failed to answer part of this request (request id {request_id})."
        safe: dict[str, Any] = {"message": message}
        if "path" in error:
            safe["path"] = error["path"]
        safe["extensions"] = {"code": extensions.get("code"), "requestId": request_id}
        masked.append(safe)
    return {**response, "errors": masked}
