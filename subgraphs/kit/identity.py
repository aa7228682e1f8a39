"""Who is asking: the identity a subgraph acts for, and the checks resolvers make on it.

The gateway passes the caller's identity to subgraphs in a short-lived internal token, which the
kit verifies (`subgraphs.kit.gate`) before a resolver runs; an anonymous caller's `identity` is
None, and operations on "my" data refuse it with UNAUTHENTICATED.
"""

from __future__ import annotations

from typing import Any

from common.auth.identity import ADMIN, SERVICE, USER, Identity
from common.errors import Forbidden, Unauthenticated

__all__ = [
    "ADMIN",
    "ASK_AN_ADMIN",
    "SERVICE",
    "USER",
    "Identity",
    "caller_user_id",
    "caller_with_role",
    "is_privileged",
    "is_self_or_privileged",
    "require_identity",
    "require_role",
    "require_user_id",
]


def is_privileged(identity: Identity | None) -> bool:
    """True for callers that may see and act on every user's data: admins and services."""
    return identity is not None and (identity.is_admin or identity.is_service)


def is_self_or_privileged(identity: Identity | None, user_id: int | None) -> bool:
    """True for the user `user_id` themselves, admins and services: who may see a person's own
    data (personal fields, their orders, payments, notifications)."""
    if is_privileged(identity):
        return True
    return identity is not None and identity.user_id is not None and identity.user_id == user_id


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


#: What a FORBIDDEN answer suggests unless the rule says better.
ASK_AN_ADMIN = "ask an administrator to do it or to grant you the role."


def caller_with_role(
    caller: Identity | None, *roles: str, doing: str, hint: str = ASK_AN_ADMIN
) -> Identity:
    """`caller` when it holds one of `roles`: UNAUTHENTICATED without a caller, FORBIDDEN
    otherwise, both naming the roles `doing` (e.g. "creating a product") needs."""
    needed = " or ".join(roles)
    if caller is None:
        raise Unauthenticated(f"Sign in first: {doing} needs a token with the role {needed}.")
    if not any(caller.has_role(role) for role in roles):
        raise Forbidden(f"{doing[:1].upper()}{doing[1:]} needs the role {needed}; {hint}")
    return caller


def caller_user_id(caller: Identity | None, doing: str) -> int:
    """The signed-in user's id: UNAUTHENTICATED without a caller, FORBIDDEN for a token that
    stands for no user (a service's)."""
    if caller is None:
        raise Unauthenticated(f"Sign in first: {doing} needs a signed-in user.")
    if caller.user_id is None:
        raise Forbidden(
            f"{doing[:1].upper()}{doing[1:]} is for signed-in users; this token has no user."
        )
    return caller.user_id
