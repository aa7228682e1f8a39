"""SQL for the users table; live rows only (soft-deleted rows are invisible here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.kit.text import contains_pattern
from subgraphs.users.models import UserRow


def _live() -> ColumnElement[bool]:
    return UserRow.deleted_at.is_(None)


async def get(session: AsyncSession, user_id: int) -> UserRow | None:
    """The live user with this id."""
    return await session.scalar(select(UserRow).where(UserRow.id == user_id, _live()))


async def get_many(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, UserRow]:
    """Live users by id, in one `IN` query."""
    rows = await session.scalars(select(UserRow).where(UserRow.id.in_(user_ids), _live()))
    return {row.id: row for row in rows}


async def find_by_email(session: AsyncSession, email: str) -> UserRow | None:
    """The live user with this (normalised) email."""
    return await session.scalar(select(UserRow).where(UserRow.email == email, _live()))


async def list_page(
    session: AsyncSession,
    request: PageRequest,
    *,
    search: str | None = None,
    active: bool | None = None,
) -> Page[UserRow]:
    """One page of live users by id, filtered by name/email substring and `active`."""
    conditions = [_live()]
    if search:
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                func.lower(UserRow.name).like(pattern, escape="\\"),
                func.lower(UserRow.email).like(pattern, escape="\\"),
            )
        )
    if active is not None:
        conditions.append(UserRow.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(UserRow).where(*conditions))
    rows = await session.scalars(
        select(UserRow)
        .where(*conditions)
        .order_by(UserRow.id)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def count_all(session: AsyncSession) -> int:
    """Every row, soft-deleted ones included (the seed only fills an empty table)."""
    return await session.scalar(select(func.count()).select_from(UserRow)) or 0


def add(session: AsyncSession, row: UserRow) -> None:
    """Stage a new user; the caller's transaction flushes and commits it."""
    session.add(row)


async def find_by_username(session: AsyncSession, username: str) -> UserRow | None:
    """The live user with this (normalised) username."""
    return await session.scalar(select(UserRow).where(UserRow.username == username, _live()))


async def find_by_login(session: AsyncSession, login: str) -> UserRow | None:
    """The live user whose email (a login with `@`) or username (one without) is `login`."""
    if "@" in login:
        return await find_by_email(session, login)
    return await find_by_username(session, login)


async def usernames_like(session: AsyncSession, base: str) -> set[str]:
    """Live usernames that are `base` or start with `<base prefix>-` (candidates to avoid)."""
    prefix = base[:20]
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = await session.scalars(
        select(UserRow.username).where(UserRow.username.like(pattern, escape="\\"), _live())
    )
    return set(rows)
