"""`POST /api/v1/auth/token`: the original docs' client-credentials token endpoint.

Answers in the original REST envelope: `{"success": true, "data": ...}` or
`{"success": false, "error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from common.auth import AuthSettings, issue_token
from common.errors import AppError, Forbidden, Unauthenticated

TOKEN_PATH = "/api/v1/auth/token"
#: A token request is a few short strings; anything near this is not one.
MAX_BODY_BYTES = 16 * 1024
#: RFC 6749 section 5.1: responses carrying tokens must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenRequest(BaseModel):
    """The body of a token request."""

    model_config = ConfigDict(extra="forbid", strict=True)

    client_id: str
    client_secret: str
    roles: list[str] | None = None


def error_envelope(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    """The REST error body: `{"success": false, "error": {code, message, details}}`."""
    body = {"success": False, "error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=NO_STORE)


def token_router(settings: AuthSettings) -> APIRouter:
    """A router with the token endpoint, issuing tokens as `settings` say."""
    router = APIRouter()

    @router.post(TOKEN_PATH)
    async def issue(request: Request) -> JSONResponse:
        if settings.auth_jwt_algorithm != "HS256":
            return error_envelope(
                501,
                "TOKEN_ISSUING_DISABLED",
                f"With AUTH_JWT_ALGORITHM={settings.auth_jwt_algorithm} tokens come from the "
                "identity provider that publishes AUTH_JWKS_URL; ask it for one.",
            )
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return error_envelope(
                413, "PAYLOAD_TOO_LARGE", f"A token request is at most {MAX_BODY_BYTES} bytes."
            )
        try:
            asked = TokenRequest.model_validate(json.loads(body))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return error_envelope(
                400,
                "BAD_REQUEST",
                'Send a JSON object: {"client_id": ..., "client_secret": ..., "roles": [...]}.',
                {"reason": f"not JSON: {exc}"},
            )
        except ValidationError as exc:
            problems = [
                {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
                for err in exc.errors()
            ]
            return error_envelope(
                422,
                "VALIDATION_FAILED",
                "Invalid token request: "
                + "; ".join(f"{p['field']}: {p['message']}" for p in problems),
                {"problems": problems},
            )
        try:
            roles = _grant(asked, settings)
        except AppError as exc:
            return error_envelope(exc.status, exc.code, exc.message)
        data = {
            "access_token": issue_token(asked.client_id, roles, settings),
            "token_type": "Bearer",
            "expires_in": settings.ttl_seconds,
            "roles": list(roles),
        }
        return JSONResponse({"success": True, "data": data}, headers=NO_STORE)

    return router


def _grant(asked: TokenRequest, settings: AuthSettings) -> tuple[str, ...]:
    """The roles to put in the token, after checking the client's credentials."""
    # Compare both in constant time and always both, so timing tells nothing about either.
    id_ok = hmac.compare_digest(asked.client_id.encode(), settings.auth_client_id.encode())
    secret_ok = hmac.compare_digest(
        asked.client_secret.encode(), settings.auth_client_secret.encode()
    )
    if not (id_ok & secret_ok):
        raise Unauthenticated("Wrong client_id or client_secret.")
    allowed = settings.client_roles
    if not asked.roles:  # omitted or empty: every role of the client, as the original did
        return allowed
    refused = sorted(set(asked.roles) - set(allowed))
    if refused:
        raise Forbidden(
            f"This client may not ask for the roles {', '.join(refused)}; "
            f"it may have {', '.join(allowed) or 'none'}."
        )
    return tuple(dict.fromkeys(asked.roles))
