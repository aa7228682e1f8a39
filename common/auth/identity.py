"""Who is asking: the identity a request acts for, as the gateway and the subgraphs see it.

The gateway builds one from the client's verified token (`Identity.from_claims`) and passes it
to subgraphs inside a short-lived internal token (`common.auth.internal`). No identity (None)
means an anonymous caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.auth.tokens import Claims

ADMIN = "admin"
SERVICE = "service"
USER = "user"
#: the claim naming the user a token stands for (absent on client-credentials tokens)
USER_ID_CLAIM = "uid"


@dataclass(frozen=True)
class Identity:
    """The caller: a subject, the user id it stands for (if a user), roles and scopes."""

    subject: str
    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    #: OAuth scopes (`scope` claim), checked by `@requiresScopes`
    scopes: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, role: str) -> bool:
        """True when the caller holds `role`."""
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def is_service(self) -> bool:
        return SERVICE in self.roles

    @classmethod
    def from_claims(cls, claims: Claims) -> Identity:
        """The identity a verified token describes."""
        return cls(
            subject=claims.subject,
            user_id=_user_id(claims.raw.get(USER_ID_CLAIM)),
            roles=frozenset(claims.roles),
            scopes=frozenset(_scopes(claims.raw.get("scope"))),
        )


def _user_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _scopes(value: Any) -> list[str]:
    """RFC 8693 section 4.2: `scope` is a space-separated string; some issuers send a list."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
