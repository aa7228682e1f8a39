"""User rules: validation, unique live emails, soft delete; one transaction per change.

A new user is announced as `user.created`, stored in the outbox in the creating transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from common.errors import Conflict, NotFound
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.updates import KEEP
from subgraphs.kit.validation import require_valid
from subgraphs.users import repository
from subgraphs.users.models import UserRow, outbox
from subgraphs.users.validation import clean_active, clean_age, clean_email, clean_name

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "email": clean_email,
    "name": clean_name,
    "age": clean_age,
    "active": clean_active,
}


def not_found(user_id: object) -> NotFound:
    """The error for an id that names no live user."""
    return NotFound(f"No user with id {user_id!s}; it may have been deleted.", field="id")


def duplicate_email(email: str) -> Conflict:
    """The error for an email a live user already has."""
    return Conflict(f"A user with email {email} already exists; use another email.", field="email")


class UserService:
    """What the schema may do with users, over the request's session."""

    def __init__(self, db: RequestDb, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def get(self, user_id: object) -> UserRow | None:
        """The live user with this id; None for a missing, deleted or malformed id."""
        row_id = parse_id(user_id)
        if row_id is None:
            return None
        async with self.db.read() as session:
            return await repository.get(session, row_id)

    async def get_many(self, user_ids: Sequence[int]) -> list[UserRow | None]:
        """Live users in the order of `user_ids` (None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(user_ids)))
        return [found.get(user_id) for user_id in user_ids]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        search: str | None = None,
        active: bool | None = None,
    ) -> Page[UserRow]:
        """A page of live users by id; `search` matches name or email, any case."""
        request = page_request(page, page_size)
        async with self.db.read() as session:
            return await repository.list_page(
                session, request, search=(search or "").strip() or None, active=active
            )

    async def create(
        self, *, email: str, name: str, age: int | None = None, active: bool = True
    ) -> UserRow:
        """A new user; VALIDATION_FAILED for bad input, CONFLICT for a taken email."""
        values = require_valid(
            {
                "email": clean_email(email),
                "name": clean_name(name),
                "age": clean_age(age),
                "active": clean_active(active),
            }
        )
        now = self.clock()
        row = UserRow(**values, created_at=now, updated_at=now)
        try:
            async with self.db.write() as session:
                if await repository.find_by_email(session, values["email"]):
                    raise duplicate_email(values["email"])
                repository.add(session, row)
                await session.flush()
                await emit(
                    session,
                    outbox,
                    source="users",
                    type="user.created",
                    entity_type="User",
                    entity_id=format_id(row.id),
                    payload={"user_id": format_id(row.id), "email": row.email, "name": row.name},
                )
        except IntegrityError:
            # Another request took the email between our check and our insert.
            raise duplicate_email(values["email"]) from None
        return row

    async def update(
        self,
        user_id: object,
        *,
        email: Any = KEEP,
        name: Any = KEEP,
        age: Any = KEEP,
        active: Any = KEEP,
    ) -> UserRow:
        """Change only the fields given; NOT_FOUND for a missing or deleted user."""
        row_id = parse_id(user_id)
        if row_id is None:
            raise not_found(user_id)
        given = {"email": email, "name": name, "age": age, "active": active}
        changes = require_valid(
            {key: _CLEANERS[key](value) for key, value in given.items() if value is not KEEP}
        )
        try:
            async with self.db.write() as session:
                row = await repository.get(session, row_id)
                if row is None:
                    raise not_found(user_id)
                if "email" in changes and changes["email"] != row.email:
                    taken = await repository.find_by_email(session, changes["email"])
                    if taken is not None:
                        raise duplicate_email(changes["email"])
                for key, value in changes.items():
                    setattr(row, key, value)
                row.updated_at = self.clock()
                await session.flush()
        except IntegrityError:
            raise duplicate_email(changes["email"]) from None
        return row

    async def delete(self, user_id: object) -> bool:
        """Soft-delete a live user; NOT_FOUND when missing or already deleted."""
        row_id = parse_id(user_id)
        if row_id is None:
            raise not_found(user_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(user_id)
            row.deleted_at = row.updated_at = self.clock()
        return True
