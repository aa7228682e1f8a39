"""The original services' JSON envelope.

Success: `{"success": true, "data": ..., "meta": {...}}` (meta on lists only).
Failure: `{"success": false, "error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

#: RFC 6749 section 5.1: responses carrying tokens must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def success(
    data: Any,
    *,
    status: int = 200,
    meta: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A success envelope."""
    body: dict[str, Any] = {"success": True, "data": data}
    if meta is not None:
        body["meta"] = dict(meta)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def failure(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error envelope with its HTTP status; never stored by caches."""
    body = {"success": False, "error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers={**NO_STORE, **(headers or {})})
