"""CORS: which origins may call the gateway from a browser (`GATEWAY_CORS_ORIGINS`, none by
default), and the headers a preflight allows, the CSRF ones included."""

from __future__ import annotations

from typing import Any

ALLOWED_HEADERS = (
    "Content-Type",
    "Authorization",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
    "X-Request-ID",
)
ALLOWED_METHODS = ("GET", "POST")


def cors_options(origins: list[str]) -> dict[str, Any]:
    """Keyword arguments for Starlette's `CORSMiddleware`: no origin is allowed unless listed."""
    return {
        "allow_origins": origins,
        "allow_methods": list(ALLOWED_METHODS),
        "allow_headers": list(ALLOWED_HEADERS),
        "allow_credentials": False,
        "max_age": 600,
    }
