"""Personal fields: readable by the person they belong to, admins and services only.

The rule sits on the field itself, so it holds however a client reaches the object: a root
field, a list, or an `_entities` fetch the gateway makes for `Repository.owner`,
`Order.user`, ... Anyone else gets `null` for the field and a FORBIDDEN error at its path; the
rest of the object (and of the answer) arrives as usual. A personal field is therefore nullable
in the schema, whatever the stored value.

An object made for a caller who has just proved to be its owner, without a token yet (the user
of a `login` or `register` answer), says so with a true `viewer_is_owner` attribute.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from common.errors import Forbidden
from subgraphs.kit.identity import is_self_or_privileged

#: The user id an object's personal fields belong to (None: nobody's, only the privileged see).
OwnerOf = Callable[[Any], int | None]
#: The attribute of an object made for its owner (see the module's docstring).
VIEWER_IS_OWNER = "viewer_is_owner"


class PersonalData(FieldExtension):
    """Resolves the field for its owner, admins and services; FORBIDDEN (null) for others."""

    def __init__(self, owner_of: OwnerOf) -> None:
        self.owner_of = owner_of

    def _check(self, source: Any, info: Info[Any, Any]) -> None:
        if getattr(source, VIEWER_IS_OWNER, False) is True:
            return
        caller = getattr(info.context, "identity", None)
        if not is_self_or_privileged(caller, self.owner_of(source)):
            name = info.field_name
            raise Forbidden(
                f"{name} is personal: only the user themselves, admins and services may read "
                f"it; leave {name} out of the selection.",
                field=name,
            )

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        self._check(source, info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        self._check(source, info)
        return await next_(source, info, **kwargs)


def personal_field(owner_of: OwnerOf, *, description: str | None = None) -> Any:
    """A Strawberry field only its owner, admins and services read (declare it `T | None`)."""
    suffix = "Only for the user themselves, admins and services; null with FORBIDDEN for others."
    text = f"{description} {suffix}" if description else suffix
    return strawberry.field(description=text, extensions=[PersonalData(owner_of)])
