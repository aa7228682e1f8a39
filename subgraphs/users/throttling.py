"""Failed logins: counted per account and per client address in the database (shared by every
replica), and what they cost the next attempt.

- Per account (guessing one account's password): over `max_failures_per_account` in the window
  the account refuses every login, the right password too, with TOO_MANY_ATTEMPTS and
  `retryAfter`, until enough failures leave the window.
- Per address (guessing across accounts from one place): over `max_failures_per_address` the
  address is never locked, since every client behind one proxy or NAT shares it and one of them
  must not deny the others. Each attempt from there must instead carry a solved challenge
  (`subgraphs.users.challenge`, CHALLENGE_REQUIRED): it slows a script down by the cost of a
  challenge per guess, growing as the failures grow, and a person by a fraction of a second.

An attempt is recorded as a failure against both keys before anything is checked (and taken
back when it is refused or succeeds), so a burst of parallel guesses cannot all pass the check
while the first ones are still being hashed. Refused attempts are not counted, so waiting
always helps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import ChallengeRequired, TooManyAttempts
from subgraphs.kit.clock import Clock, as_utc, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.users import session_repository
from subgraphs.users.challenge import Accepted, ChallengeAnswer
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


def challenge_difficulty(failures: int, limit: int, bits: int, max_bits: int) -> int:
    """The challenge's difficulty for an address with `failures` (over `limit`) in the window:
    `bits`, one more each time the failures double past the limit, at most `max_bits`."""
    doublings = max(1, failures // limit).bit_length() - 1
    return min(max_bits, bits + doublings)


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

    async def check(self, db: RequestDb, attempt: Attempt, answer: ChallengeAnswer | None) -> None:
        """Let the attempt through, or take it back and refuse it: TOO_MANY_ATTEMPTS over the
        account's limit, CHALLENGE_REQUIRED over the address's limit without a good `answer`
        (a good one is spent: it lets one attempt through)."""
        now = self.clock()
        since = now - self.policy.login_window
        async with db.read() as session:
            account = await session_repository.recent_failure_count(
                session, attempt.account_key, since
            )
            address = await session_repository.recent_failure_count(
                session, attempt.address_key, since
            )
        # Failure number limit + 1 or later (this attempt's included) is over the limit.
        if account > self.policy.max_failures_per_account:
            async with db.write() as session:
                await session_repository.delete_failures(session, attempt.failure_ids)
                retry_after = await self._retry_after(session, attempt.account_key, now)
            raise TooManyAttempts(
                f"Too many failed logins on this account; try again in {retry_after} seconds.",
                retry_after=retry_after,
            )
        if address > self.policy.max_failures_per_address:
            refusal = await self._challenge_refusal(db, attempt, answer, now)
            if refusal is not None:
                await self.take_back(db, attempt)
                raise self._challenge(attempt, address, refusal, now)

    async def _challenge_refusal(
        self, db: RequestDb, attempt: Attempt, answer: ChallengeAnswer | None, now: datetime
    ) -> str | None:
        """Why `answer` does not let the attempt through; None once it is spent."""
        if answer is None:
            return (
                "Many failed logins came from your network, so each login from it needs a "
                "solved challenge: solve extensions.challenge and send it again with "
                "challenge and challengeSolution."
            )
        verdict = self.policy.login_challenge.accept(answer, attempt.address_key, now)
        if not isinstance(verdict, Accepted):
            return verdict
        try:
            async with db.write() as session:
                await session_repository.spend_challenge(
                    session, verdict.id, verdict.expires_at, now
                )
        except IntegrityError:
            return "This challenge has been used already; solve the one just sent."
        return None

    def _challenge(
        self, attempt: Attempt, failures: int, refusal: str, now: datetime
    ) -> ChallengeRequired:
        difficulty = challenge_difficulty(
            failures,
            self.policy.max_failures_per_address,
            self.policy.challenge_bits,
            self.policy.challenge_max_bits,
        )
        challenge = self.policy.login_challenge.issue(attempt.address_key, difficulty, now)
        return ChallengeRequired(refusal, challenge=challenge)

    async def take_back(self, db: RequestDb, attempt: Attempt) -> None:
        """Forget an attempt that turned out not to be a failed guess."""
        async with db.write() as session:
            await session_repository.delete_failures(session, attempt.failure_ids)

    async def succeeded(self, session: AsyncSession, attempt: Attempt) -> None:
        """A successful login clears its account's failures (not its address's)."""
        await session_repository.clear_failures(session, attempt.account_key)
        await session_repository.delete_failures(session, attempt.failure_ids)

    async def _retry_after(self, session: AsyncSession, key: str, now: datetime) -> int:
        """Seconds until the account's limit allows a login again (at least 1): when the failure
        that puts it at its limit leaves the window."""
        since = now - self.policy.login_window
        limit = self.policy.max_failures_per_account
        counted = await session_repository.nth_latest_failure(session, key, since, limit)
        if counted is None:
            return 1
        lifted = as_utc(counted) + self.policy.login_window
        return max(1, int((lifted - now).total_seconds() + 0.999))


def _key(kind: str, value: str) -> str:
    return f"{kind}:{value}"[:_MAX_KEY_LENGTH]
