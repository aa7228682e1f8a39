"""SQL for refresh tokens, failed logins and spent login challenges (the tables sign-in shares
between replicas)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.users.models import LoginFailureRow, RefreshTokenRow, SpentChallengeRow


async def find_token(session: AsyncSession, token_hash: str) -> RefreshTokenRow | None:
    """The refresh token with this hash."""
    return await session.scalar(
        select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash)
    )


def add_token(session: AsyncSession, row: RefreshTokenRow) -> None:
    """Stage a new refresh token; the caller's transaction flushes and commits it."""
    session.add(row)


async def spend_token(session: AsyncSession, token_id: int, now: datetime) -> bool:
    """Mark an unspent, unrevoked token used; False when another request got there first.

    One conditional UPDATE: of two concurrent refreshes with one token, exactly one sees its
    row change (on PostgreSQL the second waits for the first's commit, then matches nothing).
    """
    result = await session.execute(
        update(RefreshTokenRow)
        .where(
            RefreshTokenRow.id == token_id,
            RefreshTokenRow.used_at.is_(None),
            RefreshTokenRow.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> int:
    """Revoke every token of a family not yet revoked; returns how many."""
    result = await session.execute(
        update(RefreshTokenRow)
        .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def revoke_user(session: AsyncSession, user_id: int, now: datetime) -> int:
    """Revoke every token of every family of a user; returns how many."""
    result = await session.execute(
        update(RefreshTokenRow)
        .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def recent_failure_count(session: AsyncSession, key: str, since: datetime) -> int:
    """Failed logins counted against `key` after `since`."""
    count = await session.scalar(
        select(func.count())
        .select_from(LoginFailureRow)
        .where(LoginFailureRow.key == key, LoginFailureRow.failed_at > since)
    )
    return count or 0


async def nth_latest_failure(
    session: AsyncSession, key: str, since: datetime, n: int
) -> datetime | None:
    """When the `n`-th most recent failure against `key` after `since` happened, if there are n.

    With a limit of n failures per window, this is the failure whose expiry lifts the limit.
    """
    return await session.scalar(
        select(LoginFailureRow.failed_at)
        .where(LoginFailureRow.key == key, LoginFailureRow.failed_at > since)
        .order_by(LoginFailureRow.failed_at.desc(), LoginFailureRow.id.desc())
        .offset(n - 1)
        .limit(1)
    )


def add_failures(
    session: AsyncSession, keys: Iterable[str], now: datetime
) -> list[LoginFailureRow]:
    """Stage one failed login against each key; the rows get ids when flushed."""
    rows = [LoginFailureRow(key=key, failed_at=now) for key in keys]
    session.add_all(rows)
    return rows


async def delete_failures(session: AsyncSession, ids: Iterable[int]) -> None:
    """Take back failures recorded for an attempt that turned out not to be one."""
    await session.execute(delete(LoginFailureRow).where(LoginFailureRow.id.in_(list(ids))))


async def clear_failures(session: AsyncSession, key: str) -> None:
    """Forget the failed logins counted against `key`."""
    await session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


async def prune_failures(session: AsyncSession, before: datetime) -> None:
    """Delete failed logins at or before `before` (outside every window)."""
    await session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at <= before))


async def spend_challenge(
    session: AsyncSession, challenge_id: str, expires_at: datetime, now: datetime
) -> None:
    """Mark a solved challenge spent, pruning expired ones. Raises IntegrityError (when
    flushed) if it was spent already, by this replica or another: the id is the primary key."""
    await session.execute(delete(SpentChallengeRow).where(SpentChallengeRow.expires_at <= now))
    session.add(SpentChallengeRow(id=challenge_id, expires_at=expires_at))
    await session.flush()


def _rowcount(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
