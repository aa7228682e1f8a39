"""JSON responses serialised with orjson: the GraphQL answers are large (tens of kilobytes), and
Starlette's `JSONResponse` (Python's json) spends milliseconds on each. An answer coalesced
requests share is written once (`coalesce.SharedAnswer`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from gateway.app.coalesce import SharedAnswer


def json_response(
    content: Any,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    media_type: str = "application/json",
) -> Response:
    """A response with `content` as compact UTF-8 JSON, as `JSONResponse` would write it."""
    try:
        body = content.json_bytes() if isinstance(content, SharedAnswer) else orjson.dumps(content)
    except TypeError:  # what orjson refuses (an integer beyond 64 bits, say): Python's json
        body = json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode()
    return Response(body, status_code=status_code, headers=headers, media_type=media_type)
