"""`POST /api/v1/auth/token`: the original docs' client-credentials token endpoint."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from common.auth import AuthSettings, issue_token
from common.errors import AppError, Forbidden, Unauthenticated
from gateway.rest.bodies import BodyError, read_model
from gateway.rest.envelope import NO_STORE, failure, success

TOKEN_PATH = "/api/v1/auth/token"
_EXAMPLE = '{"client_id": ..., "client_secret": ..., "roles": [...]}'


class TokenRequest(BaseModel):
    """The body of a token request."""

    model_config = ConfigDict(extra="forbid", strict=True)

    client_id: str
    client_secret: str
    roles: list[str] | None = None


def token_router(settings: AuthSettings) -> APIRouter:
    """A router with the token endpoint, issuing tokens as `settings` say."""
    router = APIRouter()

    @router.post(TOKEN_PATH)
    async def issue(request: Request) -> JSONResponse:
        if settings.auth_jwt_algorithm != "HS256":
            return failure(
                501,
                "TOKEN_ISSUING_DISABLED",
                f"With AUTH_JWT_ALGORITHM={settings.auth_jwt_algorithm} tokens come from the "
                "identity provider that publishes AUTH_JWKS_URL; ask it for one.",
                headers=NO_STORE,
            )
        try:
            asked = await read_model(request, TokenRequest, _EXAMPLE)
            roles = _grant(asked, settings)
        except BodyError as exc:
            return failure(exc.status, exc.code, exc.message, exc.details, headers=NO_STORE)
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
