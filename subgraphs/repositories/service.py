"""Repository rules: who sees and changes what, validation, names unique per owner, soft delete;
one transaction per change.

A service acts for one caller (`Identity`, or None for an anonymous one):
- visibility: anonymous callers and users see PUBLIC repositories, users also their own PRIVATE
  ones (owner id == their user id); admins and services see every one. A hidden repository is
  treated as missing: null by id, absent from lists and page counts, null as an entity.
- writes (create, update, delete) need the admin role: UNAUTHENTICATED without a caller,
  FORBIDDEN for any other role, checked before the repository is looked up (so a refused write
  reveals nothing about it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from common.errors import Conflict, NotFound
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, Identity, caller_with_role, is_privileged
from subgraphs.kit.ids import parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.text import clean_search
from subgraphs.kit.updates import KEEP
from subgraphs.kit.validation import require_valid
from subgraphs.repositories import repository
from subgraphs.repositories.models import RepositoryRow, Visibility
from subgraphs.repositories.repository import EVERYTHING, Audience
from subgraphs.repositories.validation import (
    clean_active,
    clean_description,
    clean_name,
    clean_owner_id,
    clean_url,
    clean_visibility,
)

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": clean_name,
    "description": clean_description,
    "visibility": clean_visibility,
    "url": clean_url,
    "active": clean_active,
}


def not_found(repository_id: object) -> NotFound:
    """The error for an id that names no live repository."""
    return NotFound(
        f"No repository with id {repository_id!s}; it may have been deleted.", field="id"
    )


def duplicate_name(owner_id: int) -> Conflict:
    """The error for a name the owner already uses."""
    return Conflict(
        f"User {owner_id} already has a repository with this name; choose another name.",
        field="name",
    )


def audience_of(caller: Identity | None) -> Audience:
    """Which repositories `caller` may see."""
    if is_privileged(caller):
        return EVERYTHING
    return Audience(owner_id=caller.user_id if caller is not None else None)


def may_see(caller: Identity | None, row: RepositoryRow) -> bool:
    """True when `caller` may see this repository (the rule `audience_of` puts in SQL)."""
    audience = audience_of(caller)
    return (
        audience.everything
        or row.visibility == Visibility.PUBLIC
        or (audience.owner_id is not None and row.owner_id == audience.owner_id)
    )


def require_admin(caller: Identity | None, doing: str) -> Identity:
    """The caller when an admin; UNAUTHENTICATED without one, FORBIDDEN for any other role."""
    return caller_with_role(caller, ADMIN, doing=doing)


class RepositoryService:
    """What `caller` (None: an anonymous caller) may do with repositories, over the request's
    session. The loader methods (`get_many`, `by_owners`) read for every caller alike: their
    results go through `visible` / `visible_rows` before a caller sees them."""

    def __init__(
        self, db: RequestDb, *, caller: Identity | None = None, clock: Clock = utc_now
    ) -> None:
        self.db = db
        self.caller = caller
        self.clock = clock

    async def get_many(self, repository_ids: Sequence[int]) -> list[RepositoryRow | None]:
        """Live repositories in the order of `repository_ids` (None where missing), one query.

        Not filtered by visibility (a request's loaders are shared by its resolvers)."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(repository_ids)))
        return [found.get(repository_id) for repository_id in repository_ids]

    async def by_owners(self, owner_ids: Sequence[int]) -> list[list[RepositoryRow]]:
        """Each owner's live repositories, newest first, in `owner_ids` order, in one query.

        Not filtered by visibility (a request's loaders are shared by its resolvers)."""
        async with self.db.read() as session:
            found = await repository.by_owners(session, list(set(owner_ids)))
        return [found.get(owner_id, []) for owner_id in owner_ids]

    def visible(self, row: RepositoryRow | None) -> RepositoryRow | None:
        """`row` when the caller may see it, else None (hidden is answered as missing)."""
        return row if row is not None and may_see(self.caller, row) else None

    def visible_rows(self, rows: Sequence[RepositoryRow]) -> list[RepositoryRow]:
        """The rows the caller may see, in their order."""
        return [row for row in rows if may_see(self.caller, row)]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        search: str | None = None,
        owner_id: object | None = None,
        visibility: Visibility | None = None,
        active: bool | None = None,
    ) -> Page[RepositoryRow]:
        """A page of the live repositories the caller may see, by id; `search` matches name or
        description, any case. A filter never widens what the caller sees: a user asking for
        PRIVATE ones gets their own only."""
        text = require_valid({"search": clean_search(search)})["search"]
        request = page_request(page, page_size)
        row_owner_id = None if owner_id is None else parse_id(owner_id)
        if owner_id is not None and row_owner_id is None:
            # No user has a malformed id, so no repository matches.
            return Page(items=[], request=request, total=0)
        async with self.db.read() as session:
            return await repository.list_page(
                session,
                request,
                search=text,
                owner_id=row_owner_id,
                visibility=visibility,
                active=active,
                audience=audience_of(self.caller),
            )

    async def create(
        self,
        *,
        name: str,
        owner_id: object,
        description: str | None = None,
        visibility: Visibility | None = Visibility.PRIVATE,
        url: str | None = None,
        active: bool | None = True,
    ) -> RepositoryRow:
        """A new repository; VALIDATION_FAILED for bad input, CONFLICT for a taken name.

        Admin only (UNAUTHENTICATED, FORBIDDEN)."""
        require_admin(self.caller, "creating a repository")
        values = require_valid(
            {
                "name": clean_name(name),
                "description": clean_description(description),
                "owner_id": clean_owner_id(owner_id),
                "visibility": clean_visibility(visibility),
                "url": clean_url(url),
                "active": clean_active(active),
            }
        )
        now = self.clock()
        row = RepositoryRow(**values, created_at=now, updated_at=now)
        try:
            async with self.db.write() as session:
                if await repository.find_by_name(session, values["owner_id"], values["name"]):
                    raise duplicate_name(values["owner_id"])
                repository.add(session, row)
                await session.flush()
        except IntegrityError:
            # Another request took the name between our check and our insert.
            raise duplicate_name(values["owner_id"]) from None
        return row

    async def update(
        self,
        repository_id: object,
        *,
        name: Any = KEEP,
        description: Any = KEEP,
        visibility: Any = KEEP,
        url: Any = KEEP,
        active: Any = KEEP,
    ) -> RepositoryRow:
        """Change only the fields given; NOT_FOUND for a missing or deleted repository.

        Admin only (UNAUTHENTICATED, FORBIDDEN)."""
        require_admin(self.caller, "changing a repository")
        row_id = parse_id(repository_id)
        if row_id is None:
            raise not_found(repository_id)
        given = {
            "name": name,
            "description": description,
            "visibility": visibility,
            "url": url,
            "active": active,
        }
        changes = require_valid(
            {key: _CLEANERS[key](value) for key, value in given.items() if value is not KEEP}
        )
        owner_id = 0
        try:
            async with self.db.write() as session:
                row = await repository.get(session, row_id)
                if row is None:
                    raise not_found(repository_id)
                owner_id = row.owner_id
                if "name" in changes and changes["name"] != row.name:
                    taken = await repository.find_by_name(session, row.owner_id, changes["name"])
                    if taken is not None:
                        raise duplicate_name(row.owner_id)
                for key, value in changes.items():
                    setattr(row, key, value)
                row.updated_at = self.clock()
                await session.flush()
        except IntegrityError:
            raise duplicate_name(owner_id) from None
        return row

    async def delete(self, repository_id: object) -> bool:
        """Soft-delete a live repository; NOT_FOUND when missing or already deleted.

        Admin only (UNAUTHENTICATED, FORBIDDEN)."""
        require_admin(self.caller, "deleting a repository")
        row_id = parse_id(repository_id)
        if row_id is None:
            raise not_found(repository_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(repository_id)
            row.deleted_at = row.updated_at = self.clock()
        return True
