"""Internal tokens: how the gateway tells a subgraph who the caller is.

The gateway verifies the client's token, then signs a short-lived token of its own (HS256 with
`AUTH_INTERNAL_SECRET`, audience `subgraphs`) carrying the caller's subject, user id, roles and
scopes, and sends it with every subgraph request in `X-Internal-Token`. Subgraphs trust only
that token: a client token, even a valid one, is not accepted in its place, and a request
without an internal token may only ask for `_service`.

An anonymous caller gets an internal token too (marked `anon`), so a subgraph can tell "the
gateway says nobody is signed in" from "someone is calling me directly".

Both ends cache: the gateway reuses a token for the same identity for half its lifetime, and a
subgraph remembers the tokens it has verified until they expire, so neither signs nor verifies
on every request.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jwt

from common.auth import hs256
from common.auth.identity import USER_ID_CLAIM, Identity
from common.auth.settings import AuthSettings
from common.errors import Unauthenticated

#: the header carrying the internal token (lower case, as HTTP/2 and ASGI spell it)
INTERNAL_TOKEN_HEADER = "x-internal-token"
#: the end client's address, as the gateway saw it; trusted only next to a valid internal token
CLIENT_ADDRESS_HEADER = "x-client-address"
INTERNAL_ISSUER = "federation-gateway"
INTERNAL_AUDIENCE = "subgraphs"
_ALGORITHM = "HS256"
_ANONYMOUS_CLAIM = "anon"
#: how many distinct identities (gateway) or tokens (subgraph) each cache keeps
CACHE_SIZE = 10_000


class InternalTokens:
    """Issues (gateway) and verifies (subgraph) internal tokens with one shared secret."""

    def __init__(
        self,
        secret: str,
        *,
        ttl_seconds: int = 60,
        clock_skew_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self.clock_skew_seconds = clock_skew_seconds
        self._clock = clock
        self._issued: OrderedDict[Identity | None, tuple[str, float]] = OrderedDict()
        self._verified: OrderedDict[str, tuple[Identity | None, float]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> InternalTokens:
        """Tokens signed with `AUTH_INTERNAL_SECRET`, living `AUTH_INTERNAL_TOKEN_TTL_SECONDS`."""
        return cls(
            settings.auth_internal_secret,
            ttl_seconds=settings.auth_internal_token_ttl_seconds,
            clock_skew_seconds=min(settings.auth_clock_skew_seconds, 30.0),
        )

    def issue(self, identity: Identity | None) -> str:
        """A token for `identity` (None: anonymous), reused while it has half its life left."""
        now = self._clock()
        cached = self._issued.get(identity)
        if cached is not None and now < cached[1]:
            return cached[0]
        issued = int(now)
        payload: dict[str, Any] = {
            "iss": INTERNAL_ISSUER,
            "aud": INTERNAL_AUDIENCE,
            "iat": issued,
            "exp": issued + self.ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        if identity is None:
            payload.update({"sub": "anonymous", _ANONYMOUS_CLAIM: True})
        else:
            payload.update(
                {
                    "sub": identity.subject,
                    "roles": sorted(identity.roles),
                    "scope": " ".join(sorted(identity.scopes)),
                }
            )
            if identity.user_id is not None:
                payload[USER_ID_CLAIM] = identity.user_id
        token = hs256.sign(payload, self._secret)
        _remember(self._issued, identity, (token, issued + self.ttl_seconds / 2))
        return token

    def verify(self, token: str) -> Identity | None:
        """The identity `token` carries (None: anonymous); `Unauthenticated` when invalid."""
        now = self._clock()
        cached = self._verified.get(token)
        if cached is not None:
            identity, expires = cached
            if now < expires + self.clock_skew_seconds:
                return identity
            del self._verified[token]
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=INTERNAL_AUDIENCE,
                issuer=INTERNAL_ISSUER,
                # Times are checked below against `self._clock`.
                options={
                    "require": ["sub", "exp", "iat", "iss", "aud"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Invalid internal token: {exc}.") from None
        exp, iat = payload["exp"], payload["iat"]
        if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in (exp, iat)):
            raise Unauthenticated("Invalid internal token: 'exp' and 'iat' must be numbers.")
        if now >= exp + self.clock_skew_seconds:
            raise Unauthenticated("The gateway's internal token has expired.")
        if iat > now + self.clock_skew_seconds:
            raise Unauthenticated("The gateway's internal token is from the future; check clocks.")
        identity = _identity(payload)
        _remember(self._verified, token, (identity, float(payload["exp"])))
        return identity


def _identity(payload: dict[str, Any]) -> Identity | None:
    if payload.get(_ANONYMOUS_CLAIM) is True:
        return None
    roles = payload.get("roles", [])
    scope = payload.get("scope", "")
    user_id = payload.get(USER_ID_CLAIM)
    if not isinstance(roles, list) or not isinstance(scope, str):
        raise Unauthenticated("Invalid internal token: malformed roles or scope.")
    return Identity(
        subject=str(payload["sub"]),
        user_id=user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None,
        roles=frozenset(role for role in roles if isinstance(role, str)),
        scopes=frozenset(scope.split()),
    )


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
