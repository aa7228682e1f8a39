"""Identities for tests: the headers the gateway sends a subgraph, client tokens."""

from __future__ import annotations

from common.auth import ADMIN, INTERNAL_TOKEN_HEADER, Identity, InternalTokens
from common.auth.settings import DEFAULT_INTERNAL_SECRET

ADMIN_IDENTITY = Identity("admin-client", roles=frozenset({ADMIN}), scopes=frozenset({ADMIN}))


def user_identity(user_id: int, *roles: str) -> Identity:
    """A signed-in user, as the users subgraph's access tokens describe one."""
    granted = frozenset(roles or ("user",))
    return Identity(f"user:{user_id}", user_id=user_id, roles=granted, scopes=granted)


def internal_headers(
    identity: Identity | None, secret: str = DEFAULT_INTERNAL_SECRET
) -> dict[str, str]:
    """What the gateway would send a subgraph for `identity` (None: anonymous)."""
    return {INTERNAL_TOKEN_HEADER: InternalTokens(secret).issue(identity)}
