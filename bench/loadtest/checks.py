"""Whether an answer of the load counts as a success: pure functions over status and body."""

from __future__ import annotations

import json
import re
from typing import Any

#: The request id the gateway puts in a message: left out, so that equal errors count as one.
_REQUEST_ID = re.compile(r"\s*\(request id [0-9a-f]+\)")


def _short(text: str, limit: int = 200) -> str:
    text = _REQUEST_ID.sub("", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def graphql_problem(status: int, body: str, field: str) -> tuple[str | None, Any]:
    """(None, data[field]) for a sound GraphQL answer, else (what is wrong, None): any status
    but 200, a body that is not JSON, any error (with its code), or `field` missing or null."""
    try:
        payload = json.loads(body)
    except ValueError:
        return f"HTTP {status}, not JSON: {_short(body)}", None
    if not isinstance(payload, dict):
        return f"HTTP {status}, not a GraphQL answer: {_short(body)}", None
    errors = payload.get("errors")
    if errors:
        first = errors[0] if isinstance(errors, list) and errors else {}
        code = (first.get("extensions") or {}).get("code", "no code")
        return f"HTTP {status}, {code}: {_short(str(first.get('message')))}", None
    if status != 200:
        return f"HTTP {status}: {_short(body)}", None
    value = (payload.get("data") or {}).get(field)
    if value is None:
        return f"HTTP 200 without data.{field}", None
    return None, value


def rest_problem(status: int, body: str) -> tuple[str | None, Any]:
    """(None, data) for a successful REST answer (`{"success": true, "data": ...}`, 200 or 201),
    else (what is wrong, None)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return f"HTTP {status}, not JSON: {_short(body)}", None
    if status not in (200, 201) or not isinstance(payload, dict) or not payload.get("success"):
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict):
            return f"HTTP {status}, {error.get('code')}: {_short(str(error.get('message')))}", None
        return f"HTTP {status}: {_short(body)}", None
    data = payload.get("data")
    if not isinstance(data, dict):
        return f"HTTP {status} without data: {_short(body)}", None
    return None, data
