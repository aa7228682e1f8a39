"""SQL for the repositories table; live rows only (soft-deleted rows are invisible here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.pagination import Page, PageRequest
from subgraphs.kit.text import contains_pattern
from subgraphs.repositories.models import RepositoryRow, Visibility


def _live() -> ColumnElement[bool]:
    return RepositoryRow.deleted_at.is_(None)


@dataclass(frozen=True)
class Audience:
    """Which repositories a list may show: every one, or the PUBLIC ones plus one owner's."""

    #: True: every live repository (admins, services).
    everything: bool = False
    #: Whose PRIVATE repositories show too (a signed-in user's own); None: PUBLIC ones only.
    owner_id: int | None = None

    def condition(self) -> ColumnElement[bool] | None:
        """The SQL condition of what this audience sees; None when it sees everything."""
        if self.everything:
            return None
        public = RepositoryRow.visibility == Visibility.PUBLIC
        if self.owner_id is None:
            return public
        return or_(public, RepositoryRow.owner_id == self.owner_id)


#: What admins and services see: every live repository.
EVERYTHING = Audience(everything=True)


async def get(session: AsyncSession, repository_id: int) -> RepositoryRow | None:
    """The live repository with this id."""
    return await session.scalar(
        select(RepositoryRow).where(RepositoryRow.id == repository_id, _live())
    )


async def get_many(
    session: AsyncSession, repository_ids: Sequence[int]
) -> dict[int, RepositoryRow]:
    """Live repositories by id, in one `IN` query."""
    rows = await session.scalars(
        select(RepositoryRow).where(RepositoryRow.id.in_(repository_ids), _live())
    )
    return {row.id: row for row in rows}


async def by_owners(
    session: AsyncSession, owner_ids: Sequence[int]
) -> dict[int, list[RepositoryRow]]:
    """Live repositories of each owner, newest first, in one `IN` query (owners without any left
    out). Newest first, not by name: name order would follow each backend's collation."""
    rows = await session.scalars(
        select(RepositoryRow)
        .where(RepositoryRow.owner_id.in_(owner_ids), _live())
        .order_by(RepositoryRow.owner_id, RepositoryRow.created_at.desc(), RepositoryRow.id.desc())
    )
    grouped: dict[int, list[RepositoryRow]] = {}
    for row in rows:
        grouped.setdefault(row.owner_id, []).append(row)
    return grouped


async def find_by_name(session: AsyncSession, owner_id: int, name: str) -> RepositoryRow | None:
    """The owner's live repository with this name."""
    return await session.scalar(
        select(RepositoryRow).where(
            RepositoryRow.owner_id == owner_id, RepositoryRow.name == name, _live()
        )
    )


async def list_page(
    session: AsyncSession,
    request: PageRequest,
    *,
    search: str | None = None,
    owner_id: int | None = None,
    visibility: Visibility | None = None,
    active: bool | None = None,
    audience: Audience,
) -> Page[RepositoryRow]:
    """One page of live repositories by id, filtered by text, owner, visibility and `active`,
    among those `audience` may see (the total counts only those)."""
    conditions = [_live()]
    visible = audience.condition()
    if visible is not None:
        conditions.append(visible)
    if search:
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                func.lower(RepositoryRow.name).like(pattern, escape="\\"),
                func.lower(RepositoryRow.description).like(pattern, escape="\\"),
            )
        )
    if owner_id is not None:
        conditions.append(RepositoryRow.owner_id == owner_id)
    if visibility is not None:
        conditions.append(RepositoryRow.visibility == visibility)
    if active is not None:
        conditions.append(RepositoryRow.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(RepositoryRow).where(*conditions))
    rows = await session.scalars(
        select(RepositoryRow)
        .where(*conditions)
        .order_by(RepositoryRow.id)
        .offset(request.offset)
        .limit(request.size)
    )
    return Page(items=list(rows), request=request, total=total or 0)


async def count_all(session: AsyncSession) -> int:
    """Every row, soft-deleted ones included (the seed only fills an empty table)."""
    return await session.scalar(select(func.count()).select_from(RepositoryRow)) or 0


def add(session: AsyncSession, row: RepositoryRow) -> None:
    """Stage a new repository; the caller's transaction flushes and commits it."""
    session.add(row)
