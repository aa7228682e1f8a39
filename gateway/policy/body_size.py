"""Request body size: refused (413) while the body is read, never after reading it all."""

from __future__ import annotations

from collections.abc import AsyncIterable

from gateway.policy.errors import PAYLOAD_TOO_LARGE, PolicyError


async def read_body(
    chunks: AsyncIterable[bytes], max_bytes: int, content_length: str | None = None
) -> bytes:
    """The body from `chunks`; `PolicyError` (413) as soon as it passes `max_bytes`
    (at once when `Content-Length` already says so)."""
    declared = (content_length or "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    return bytes(body)


def _too_large(max_bytes: int) -> PolicyError:
    return PolicyError(
        413,
        PAYLOAD_TOO_LARGE,
        f"The request body is larger than {max_bytes} bytes; send a smaller request.",
    )
