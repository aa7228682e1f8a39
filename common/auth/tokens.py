"""Issue and verify JWTs: HS256 with `AUTH_JWT_SECRET`, or RS256/ES256 with keys from a JWKS.

The accepted algorithm is pinned to `AUTH_JWT_ALGORITHM`, so `alg: none` and an HS256 token
signed with a published RSA key are refused before any key is looked at
(https://datatracker.ietf.org/doc/html/rfc8725#section-3.1). Every failure is `Unauthenticated`
with a message that says what is wrong.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import jwt

from common.auth import hs256
from common.auth.settings import AuthSettings
from common.errors import Unauthenticated

#: Claims a token must carry to be accepted.
REQUIRED_CLAIMS = ("sub", "exp", "iat", "iss", "aud")


class KeySource(Protocol):
    """Where verification keys for asymmetric algorithms come from (`JwksKeys`)."""

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        """The key whose id is `kid`; raises `Unauthenticated` when there is none."""
        ...


@dataclass(frozen=True)
class Claims:
    """What a verified token says about its bearer."""

    subject: str
    roles: tuple[str, ...]
    expires_at: datetime
    issued_at: datetime
    token_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def has_role(self, role: str) -> bool:
        """True when the token grants `role`."""
        return role in self.roles


def issue_token(
    subject: str,
    roles: tuple[str, ...] | list[str],
    settings: AuthSettings,
    *,
    now: float | None = None,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """A token for `subject` with `roles`, signed HS256 with `AUTH_JWT_SECRET`.

    `scope` carries the roles too (space-separated, RFC 8693), so `@requiresScopes` can name
    them; `extra_claims` adds claims such as `uid` and cannot replace the registered ones.
    """
    issued = int(time.time() if now is None else now)
    payload: dict[str, Any] = dict(extra_claims or {})
    payload.update(
        {
            "sub": subject,
            "roles": list(roles),
            "scope": " ".join(roles),
            "iss": settings.auth_jwt_issuer,
            "aud": settings.auth_jwt_audience,
            "iat": issued,
            "exp": issued + settings.ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
    )
    return jwt.encode(payload, settings.auth_jwt_secret, algorithm="HS256")


def issue_service_token(settings: AuthSettings, *, now: float | None = None) -> str:
    """A token for service-to-service calls: `AUTH_SERVICE_SUBJECT` with `AUTH_SERVICE_ROLES`."""
    return issue_token(settings.auth_service_subject, settings.service_roles, settings, now=now)


async def verify_token(
    token: str,
    settings: AuthSettings,
    keys: KeySource | None = None,
    *,
    now: float | None = None,
) -> Claims:
    """The claims of `token` when its signature, algorithm, issuer, audience and times hold."""
    algorithm = settings.auth_jwt_algorithm
    if algorithm == "HS256":
        verified = hs256.verify(
            token,
            settings.auth_jwt_secret,
            audience=settings.auth_jwt_audience,
            issuer=settings.auth_jwt_issuer,
            require=REQUIRED_CLAIMS,
        )
        if verified is not None:  # else pyjwt decides, and says why it refuses
            return _claims(verified, settings, time.time() if now is None else now)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise Unauthenticated(f"Malformed token: {exc}; send 'Bearer <jwt>'.") from None
    if header.get("alg") != algorithm:
        raise Unauthenticated(
            f"Token algorithm {header.get('alg')!r} is not allowed; tokens must be {algorithm}."
        )
    key: Any = settings.auth_jwt_secret
    if algorithm != "HS256":
        if keys is None:
            raise Unauthenticated(f"No keys to verify {algorithm} tokens; set AUTH_JWKS_URL.")
        kid = header.get("kid")
        key = await keys.key_for(kid if isinstance(kid, str) else None)
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.auth_jwt_audience,
            issuer=settings.auth_jwt_issuer,
            # Times are checked below against `now`, so tests need no real clock.
            options={
                "require": list(REQUIRED_CLAIMS),
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError as exc:
        raise Unauthenticated(_reason(exc)) from None
    return _claims(payload, settings, time.time() if now is None else now)


def _reason(exc: jwt.PyJWTError) -> str:
    """A message for a pyjwt failure that says what is wrong and what to do."""
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"Token lacks the '{exc.claim}' claim; ask for a new token."
    if isinstance(exc, jwt.InvalidAudienceError):
        return "Token has the wrong audience; it was issued for another service."
    if isinstance(exc, jwt.InvalidIssuerError):
        return "Token has the wrong issuer; ask this system's token endpoint for one."
    if isinstance(exc, jwt.InvalidSignatureError):
        return "Token has a bad signature; ask for a new token."
    if isinstance(exc, jwt.InvalidAlgorithmError | jwt.InvalidKeyError):
        return f"Token cannot be verified with the configured key: {exc}."
    if isinstance(exc, jwt.DecodeError):
        return f"Malformed token: {exc}."
    return f"Invalid token: {exc}."


def _claims(payload: Mapping[str, Any], settings: AuthSettings, now: float) -> Claims:
    """Check the times of a signed payload (with the allowed skew) and read its claims."""
    skew = settings.auth_clock_skew_seconds
    exp, iat, nbf = payload["exp"], payload["iat"], payload.get("nbf", 0)
    if not all(_is_number(value) for value in (exp, iat, nbf)):
        raise Unauthenticated("Malformed token: 'exp', 'iat' and 'nbf' must be numbers.")
    if now >= exp + skew:
        raise Unauthenticated("Token has expired; ask for a new token.")
    if iat > now + skew or nbf > now + skew:
        raise Unauthenticated("Token is not valid yet (issued in the future); check the clocks.")
    subject, roles = payload["sub"], payload.get("roles", [])
    if isinstance(roles, str):
        roles = roles.split()
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("Malformed token: 'sub' must be a non-empty string.")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise Unauthenticated("Malformed token: 'roles' must be a list of strings.")
    jti = payload.get("jti")
    return Claims(
        subject=subject,
        roles=tuple(roles),
        expires_at=datetime.fromtimestamp(exp, UTC),
        issued_at=datetime.fromtimestamp(iat, UTC),
        token_id=jti if isinstance(jti, str) else None,
        raw=dict(payload),
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
