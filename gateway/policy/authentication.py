"""Who is asking: the client's `Authorization: Bearer <jwt>`, verified before anything else.

No header is an anonymous caller (None); a header that is not a valid token is refused with
401 `UNAUTHENTICATED` and a `WWW-Authenticate` challenge (RFC 6750 section 3), never treated as
anonymous: a client that sends a token means to be someone.
"""

from __future__ import annotations

from common.auth import AuthSettings, Identity, KeySource, verify_token
from common.errors import Unauthenticated
from gateway.policy.errors import UNAUTHENTICATED, PolicyError

_SCHEME = "bearer"


class Authenticator:
    """Turns an `Authorization` header into the caller's identity."""

    def __init__(self, settings: AuthSettings, keys: KeySource | None = None) -> None:
        self.settings = settings
        self.keys = keys

    async def identify(self, authorization: str | None) -> Identity | None:
        """The caller `authorization` names; None without the header; `PolicyError` (401)
        for a header that is not a valid bearer token."""
        if authorization is None:
            return None
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != _SCHEME or not token:
            raise _refusal(
                "invalid_request",
                "Send the token as 'Authorization: Bearer <jwt>' (get one from "
                "POST /api/v1/auth/token or the login mutation).",
            )
        try:
            claims = await verify_token(token, self.settings, self.keys)
        except Unauthenticated as exc:
            raise _refusal("invalid_token", exc.message) from None
        return Identity.from_claims(claims)


def _refusal(error: str, message: str) -> PolicyError:
    description = message.replace('"', "'")
    challenge = f'Bearer realm="graphql", error="{error}", error_description="{description}"'
    return PolicyError(401, UNAUTHENTICATED, message, headers={"WWW-Authenticate": challenge})
