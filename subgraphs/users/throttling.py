"""Failed logins: counted per account and per client address in the database (shared by every
replica), and what they cost the next attempt.

An attempt is recorded as a failure against both keys before anything is checked (and taken
back when it is refused or succeeds), so a burst of parallel guesses cannot all pass the check
while the first ones are still being hashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import TooManyAttempts
from subgraphs.kit.clock import Clock, as_utc, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.users import session_repository
from subgraphs.users.config import SessionPolicy
from subgraphs.users.models import UserRow

#: Key of failed logins from callers whose address the gateway did not pass on.
UNKNOWN_ADDRESS = "unknown"
_MAX_KEY_LENGTH = 300


@dataclass(frozen=True)
class Attempt:
    """One login attempt, recorded as a failure against its account and its address."""

    account_key: str
    address_key: str
    failure_ids: tuple[int, ...]


def account_key(user: UserRow | None, login: str) -> str:
    """The key an account's failures count under; a login naming no account counts under its
    text, so the limit behaves the same whether the account exists or not."""
    return _key("account", str(user.id)) if user is not None else _key("login", login)


def address_key(client_address: str | None) -> str:
    """The key a client address's failures count under."""
    return _key("address", client_address or UNKNOWN_ADDRESS)


class LoginThrottle:
    """Records login attempts and refuses those over a limit, before the password is checked."""

    def __init__(self, policy: SessionPolicy, clock: Clock = utc_now) -> None:
        self.policy = policy
        self.clock = clock

    async def record(
        self, session: AsyncSession, user: UserRow | None, login: str, client_address: str | None
    ) -> Attempt:
        """Record an attempt as a failure (in the caller's transaction); prune old failures."""
        now = self.clock()
        keys = (account_key(user, login), address_key(client_address))
        rows = session_repository.add_failures(session, keys, now)
        await session_repository.prune_failures(session, now - self.policy.login_window)
        await session.flush()
        return Attempt(keys[0], keys[1], tuple(row.id for row in rows))

    async def check(self, db: RequestDb, attempt: Attempt) -> None:
        """TOO_MANY_ATTEMPTS (and the attempt taken back) when a limit is exceeded."""
        now = self.clock()
        async with db.read() as session:
            over = await self._over_limits(session, attempt, now)
        if over:
            async with db.write() as session:
                await session_repository.delete_failures(session, attempt.failure_ids)
                retry_after = await self._retry_after(session, over, now)
            raise TooManyAttempts(
                f"Too many failed logins; try again in {retry_after} seconds.",
                retry_after=retry_after,
            )

    async def take_back(self, db: RequestDb, attempt: Attempt) -> None:
        """Forget an attempt that turned out not to be a failed guess."""
        async with db.write() as session:
            await session_repository.delete_failures(session, attempt.failure_ids)

    async def succeeded(self, session: AsyncSession, attempt: Attempt) -> None:
        """A successful login clears its account's failures (not its address's)."""
        await session_repository.clear_failures(session, attempt.account_key)
        await session_repository.delete_failures(session, attempt.failure_ids)

    def _limits(self, attempt: Attempt) -> tuple[tuple[str, int], ...]:
        return (
            (attempt.account_key, self.policy.max_failures_per_account),
            (attempt.address_key, self.policy.max_failures_per_address),
        )

    async def _over_limits(
        self, session: AsyncSession, attempt: Attempt, now: datetime
    ) -> list[tuple[str, int]]:
        """The (key, limit) pairs whose failures in the window, this attempt's included, exceed
        the limit: the attempt would be failure number limit + 1 or later."""
        since = now - self.policy.login_window
        over = []
        for key, limit in self._limits(attempt):
            if await session_repository.recent_failure_count(session, key, since) > limit:
                over.append((key, limit))
        return over

    async def _retry_after(
        self, session: AsyncSession, over: list[tuple[str, int]], now: datetime
    ) -> int:
        """Seconds until every limit exceeded allows a login again (at least 1)."""
        since = now - self.policy.login_window
        waits = [1]
        for key, limit in over:
            counted = await session_repository.nth_latest_failure(session, key, since, limit)
            if counted is not None:
                lifted = as_utc(counted) + self.policy.login_window
                waits.append(int((lifted - now).total_seconds() + 0.999))
        return max(waits)


def _key(kind: str, value: str) -> str:
    return f"{kind}:{value}"[:_MAX_KEY_LENGTH]
