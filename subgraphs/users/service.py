"""User rules: validation, unique live emails and usernames, roles, passwords, soft delete.

One transaction per change. A new user is announced as `user.created`, stored in the outbox in
the creating transaction. Deactivating or deleting a user, or setting their password, ends
every session they have (their refresh tokens are revoked in the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.text import clean_search
from subgraphs.kit.updates import KEEP
from subgraphs.kit.validation import require_valid
from subgraphs.users import repository, session_repository
from subgraphs.users.models import ROLE_USER, UserRow, outbox
from subgraphs.users.passwords import DEFAULT_PASSWORDS, Passwords
from subgraphs.users.validation import (
    clean_active,
    clean_age,
    clean_email,
    clean_name,
    clean_password,
    clean_role,
    clean_username,
    numbered_username,
    username_from_email,
)

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "email": clean_email,
    "username": clean_username,
    "name": clean_name,
    "age": clean_age,
    "active": clean_active,
    "role": clean_role,
}

#: Which subject an event names as its actor: a fixed one, or one made from the new row.
Actor = str | Callable[[UserRow], str] | None


def subject_of(user_id: int) -> str:
    """The token subject of a user (`user:42`)."""
    return f"user:{user_id}"


def not_found(user_id: object) -> NotFound:
    """The error for an id that names no live user."""
    return NotFound(f"No user with id {user_id!s}; it may have been deleted.", field="id")


def duplicate_email() -> Conflict:
    """The error for an email a live user already has."""
    return Conflict("A user with this email already exists; use another email.", field="email")


def duplicate_username() -> Conflict:
    """The error for a username a live user already has."""
    return Conflict("This username is taken; choose another username.", field="username")


def duplicate_of(exc: IntegrityError, values: dict[str, Any]) -> Conflict:
    """The conflict a unique index reported (PostgreSQL and SQLite both name the column)."""
    if "username" in str(exc.orig) and values.get("username"):
        return duplicate_username()
    return duplicate_email()


class UserService:
    """What the schema may do with users, over the request's session."""

    def __init__(
        self,
        db: RequestDb,
        clock: Clock = utc_now,
        passwords: Passwords = DEFAULT_PASSWORDS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.passwords = passwords

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
        text = require_valid({"search": clean_search(search)})["search"]
        request = page_request(page, page_size)
        async with self.db.read() as session:
            return await repository.list_page(session, request, search=text, active=active)

    async def create(
        self,
        *,
        email: str,
        name: str,
        age: int | None = None,
        active: bool = True,
        username: str | None = None,
        password: str | None = None,
        role: str = ROLE_USER,
        actor: str | None = None,
    ) -> UserRow:
        """A new user (an admin's `createUser`); VALIDATION_FAILED, or CONFLICT naming the field.

        Without a username one is made from the email; without a password the account cannot
        log in until an admin sets one.
        """
        clean_mail = clean_email(email)
        values = require_valid(
            {
                "email": clean_mail,
                "username": clean_username(username) if username is not None else None,
                "name": clean_name(name),
                "age": clean_age(age),
                "active": clean_active(active),
                "role": clean_role(role),
                "password": (
                    clean_password(
                        password,
                        email=clean_mail,
                        username=clean_username(username) if username is not None else None,
                    )
                    if password is not None
                    else None
                ),
            }
        )
        clean_pass = values.pop("password")
        password_hash = await self.passwords.hash(clean_pass) if clean_pass is not None else None
        try:
            async with self.db.write() as session:
                return await self.insert(session, values, password_hash, actor=actor)
        except IntegrityError as exc:
            # Another request took the email or username between our check and our insert.
            raise duplicate_of(exc, values) from None

    async def insert(
        self,
        session: AsyncSession,
        values: dict[str, Any],
        password_hash: str | None,
        *,
        actor: Actor,
    ) -> UserRow:
        """Insert a user from clean `values` in the caller's transaction and announce it.

        `values["username"]` None means one made from the email. Raises CONFLICT for an email
        or username a live user has.
        """
        if await repository.find_by_email(session, values["email"]):
            raise duplicate_email()
        username = values.get("username")
        if username is None:
            username = await self._free_username(session, username_from_email(values["email"]))
        elif await repository.find_by_username(session, username):
            raise duplicate_username()
        now = self.clock()
        row = UserRow(
            **(values | {"username": username}),
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
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
            actor=actor(row) if callable(actor) else actor,
        )
        return row

    async def _free_username(self, session: AsyncSession, base: str) -> str:
        taken = await repository.usernames_like(session, base)
        number = 1
        while numbered_username(base, number) in taken:
            number += 1
        return numbered_username(base, number)

    async def update(
        self,
        user_id: object,
        *,
        email: Any = KEEP,
        username: Any = KEEP,
        name: Any = KEEP,
        age: Any = KEEP,
        active: Any = KEEP,
        role: Any = KEEP,
        password: Any = KEEP,
    ) -> UserRow:
        """Change only the fields given; NOT_FOUND for a missing or deleted user.

        Deactivating the user or setting their password revokes their refresh tokens.
        """
        row_id = parse_id(user_id)
        if row_id is None:
            raise not_found(user_id)
        given = {
            "email": email,
            "username": username,
            "name": name,
            "age": age,
            "active": active,
            "role": role,
        }
        checked = {key: _CLEANERS[key](value) for key, value in given.items() if value is not KEEP}
        if password is not KEEP:
            checked["password"] = clean_password(password)
        changes = require_valid(checked)
        password_hash = None
        if "password" in changes:
            password_hash = await self.passwords.hash(changes.pop("password"))
        try:
            async with self.db.write() as session:
                row = await repository.get(session, row_id)
                if row is None:
                    raise not_found(user_id)
                self._check_password_differs(row, changes, password)
                await self._check_free(session, row, changes)
                for key, value in changes.items():
                    setattr(row, key, value)
                now = row.updated_at = self.clock()
                if password_hash is not None:
                    row.password_hash = password_hash
                if password_hash is not None or changes.get("active") is False:
                    await session_repository.revoke_user(session, row.id, now)
                await session.flush()
        except IntegrityError as exc:
            raise duplicate_of(exc, changes) from None
        return row

    @staticmethod
    async def _check_free(session: AsyncSession, row: UserRow, changes: dict[str, Any]) -> None:
        """CONFLICT when a changed email or username belongs to another live user."""
        email, username = changes.get("email", row.email), changes.get("username", row.username)
        if email != row.email and await repository.find_by_email(session, email):
            raise duplicate_email()
        if username != row.username and await repository.find_by_username(session, username):
            raise duplicate_username()

    @staticmethod
    def _check_password_differs(row: UserRow, changes: dict[str, Any], password: Any) -> None:
        """A new password must not be the account's (new or current) email or username."""
        if password is KEEP:
            return
        problem = clean_password(
            password,
            email=changes.get("email", row.email),
            username=changes.get("username", row.username),
        )
        require_valid({"password": problem})

    async def delete(self, user_id: object) -> bool:
        """Soft-delete a live user and end their sessions; NOT_FOUND when missing or deleted."""
        row_id = parse_id(user_id)
        if row_id is None:
            raise not_found(user_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(user_id)
            row.deleted_at = row.updated_at = self.clock()
            await session_repository.revoke_user(session, row.id, row.deleted_at)
        return True
