"""Who is asking: the identity a subgraph acts for, and the checks resolvers make on it.

The gateway will pass the caller's identity to subgraphs as a short-lived internal token; until
a request carries one, `identity` is None and operations on "my" data refuse with
UNAUTHENTICATED.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.errors import Forbidden, Unauthenticated

ADMIN = "admin"
SERVICE = "service"
USER = "user"


@dataclass(frozen=True)
class Identity:
    """The caller: a subject, the user id it stands for (if a user) and its roles."""

    subject: str
    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, role: str) -> bool:
        """True when the caller holds `role`."""
        return role in self.roles


def require_identity(context: Any) -> Identity:
    """The caller of this request; UNAUTHENTICATED when there is none."""
    identity: Identity | None = getattr(context, "identity", None)
    if identity is None:
        raise Unauthenticated("Sign in first: this operation needs an authenticated caller.")
    return identity


def require_user_id(context: Any) -> int:
    """The signed-in user's id ("my" orders, payments, notifications)."""
    identity = require_identity(context)
    if identity.user_id is None:
        raise Forbidden("This operation is for signed-in users; a service token has no user.")
    return identity.user_id


def require_role(context: Any, *roles: str) -> Identity:
    """The caller, when it holds one of `roles`; FORBIDDEN otherwise."""
    identity = require_identity(context)
    if not any(identity.has_role(role) for role in roles):
        raise Forbidden(f"This operation needs one of the roles: {', '.join(roles)}.")
    return identity
