"""`POST /api/v1/auth/token`: the original docs' client-credentials token endpoint.

Attempts are throttled per client id and address (`GATEWAY_TOKEN_RATE_LIMIT`, checked before the
credentials): a guesser gets 429 `RATE_LIMITED` with `Retry-After`, while the same client id
from another address is not held up (one address cannot lock a client out for everyone).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from common.auth import AuthSettings, issue_token
from common.errors import AppError, Forbidden, Unauthenticated
from gateway.policy.errors import PolicyError
from gateway.rest.envelope import NO_STORE, failure, success
from gateway.rest.schemas import PUBLIC, WITH_BODY, One, responses

TOKEN_PATH = "/api/v1/auth/token"

#: Throttles token requests: (request, client id) -> raises `PolicyError` (429) when refused.
TokenThrottle = Callable[[Request, str], Awaitable[None]]


class TokenRequest(BaseModel):
    """Client credentials, and the roles wanted (all the client's when left out)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"client_id": "admin", "client_secret": "admin123", "roles": ["admin"]}]
        },
    )

    client_id: str = Field(max_length=256)
    client_secret: str = Field(max_length=1024)
    roles: list[str] | None = Field(default=None, max_length=32)


class IssuedToken(BaseModel):
    access_token: str
    token_type: str = Field(examples=["Bearer"])
    expires_in: int = Field(examples=[3600])
    roles: list[str] = Field(examples=[["admin"]])


def token_router(settings: AuthSettings, throttle: TokenThrottle | None = None) -> APIRouter:
    """A router with the token endpoint, issuing tokens as `settings` say, each attempt
    admitted by `throttle` first (none: unthrottled)."""
    router = APIRouter(tags=["accounts"])

    @router.post(
        TOKEN_PATH,
        operation_id="issueToken",
        summary="A token for a client (client credentials)",
        responses={
            **responses(One[IssuedToken], errors=WITH_BODY),
            501: {"description": "Tokens come from an identity provider (RS256/ES256 mode)."},
        },
        openapi_extra=PUBLIC,
    )
    async def issue(asked: TokenRequest, request: Request) -> JSONResponse:
        if throttle is not None:
            try:
                await throttle(request, asked.client_id)
            except PolicyError as exc:
                headers = {**NO_STORE, **exc.headers}
                return failure(exc.status, exc.code, exc.message, headers=headers)
        if settings.auth_jwt_algorithm != "HS256":
            return failure(
                501,
                "TOKEN_ISSUING_DISABLED",
                f"With AUTH_JWT_ALGORITHM={settings.auth_jwt_algorithm} tokens come from the "
                "identity provider that publishes AUTH_JWKS_URL; ask it for one.",
                headers=NO_STORE,
            )
        try:
            roles = _grant(asked, settings)
        except AppError as exc:
            return failure(exc.status, exc.code, exc.message, headers=NO_STORE)
        data = {
            "access_token": issue_token(asked.client_id, roles, settings),
            "token_type": "Bearer",
            "expires_in": settings.ttl_seconds,
            "roles": list(roles),
        }
        return success(data, headers=NO_STORE)

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
