"""Signing in: register, log in, refresh, log out; access tokens, refresh tokens, throttling.

- An access token is a JWT (`common.auth.issue_token`, HS256 with `AUTH_JWT_SECRET`):
  `sub=user:<id>`, `uid=<id>`, `roles=[<role>]`, `scope=<role>`.
- A refresh token is an opaque random string stored only as its SHA-256. Each sign-in starts a
  family; each refresh spends the token presented and issues the next of its family in the same
  transaction. A spent token presented again means someone else holds a copy: its whole family is
  revoked.
- Failed logins are counted per account and per client address (`subgraphs.users.throttling`);
  over a limit `login` refuses before checking the password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import issue_token
from common.errors import AppError, FieldProblem, Unauthenticated
from subgraphs.kit.clock import Clock, as_utc, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.validation import require_valid
from subgraphs.users import repository, session_repository
from subgraphs.users.config import SessionPolicy
from subgraphs.users.models import ROLE_USER, RefreshTokenRow, UserRow
from subgraphs.users.service import UserService, duplicate_of, subject_of
from subgraphs.users.throttling import LoginThrottle
from subgraphs.users.validation import (
    clean_challenge_answer,
    clean_email,
    clean_login,
    clean_login_password,
    clean_name,
    clean_password,
    clean_username,
)

TOKEN_TYPE = "Bearer"
#: `secrets.token_urlsafe(32)`: 32 random bytes, 43 URL-safe base64 characters.
REFRESH_TOKEN_BYTES = 32
_REFRESH_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")

WRONG_LOGIN = "Wrong login or password."


class TokenIssuingDisabled(AppError):
    """This service does not issue tokens: an external identity provider does."""

    code: ClassVar[str] = "TOKEN_ISSUING_DISABLED"
    status: ClassVar[int] = 501


def issuing_disabled(algorithm: str) -> TokenIssuingDisabled:
    """The error for register/login/refresh when tokens come from an identity provider."""
    return TokenIssuingDisabled(
        f"This system does not issue tokens (AUTH_JWT_ALGORITHM is {algorithm}): sign up and "
        "sign in with the identity provider and send its token as 'Authorization: Bearer <jwt>'."
    )


class Refused(Enum):
    """Why a refresh token was refused; each says what to do."""

    UNKNOWN = "Unknown refresh token; log in again."
    EXPIRED = "This refresh token has expired; log in again."
    REVOKED = "This refresh token was revoked (logged out); log in again."
    REUSED = (
        "This refresh token was already used, so a copy may be in someone else's hands: every "
        "session of that sign-in has been ended. Log in again."
    )
    ACCOUNT = "This account is deactivated or deleted; log in again once it is active."


@dataclass(frozen=True)
class SignedIn:
    """What a client gets from register, login and refresh."""

    user: UserRow
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = TOKEN_TYPE


def hash_refresh_token(token: str) -> str:
    """The stored form of a refresh token: hex SHA-256 (the token is random, so no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


def clean_refresh_token(value: str | None) -> str | FieldProblem:
    """The token, if it has the shape this service issues (43 URL-safe characters)."""
    token = (value or "").strip()
    if not _REFRESH_TOKEN.match(token):
        return FieldProblem(
            "refreshToken",
            "must be a refresh token as login returned it (43 letters, digits, '-' or '_')",
        )
    return token


def _new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


class SessionService:
    """Register, log in, refresh and log out, over the request's session."""

    def __init__(
        self,
        db: RequestDb,
        policy: SessionPolicy,
        *,
        clock: Clock = utc_now,
        new_refresh_token: Callable[[], str] = _new_refresh_token,
    ) -> None:
        self.db = db
        self.policy = policy
        self.clock = clock
        self.passwords = policy.passwords
        self.new_refresh_token = new_refresh_token
        self.throttle = LoginThrottle(policy, clock)

    # -- register -------------------------------------------------------------------------------

    async def register(
        self, *, email: str, username: str, password: str, name: str | None = None
    ) -> SignedIn:
        """A new account with the role `user`, signed in; VALIDATION_FAILED or CONFLICT.

        Refused with TOKEN_ISSUING_DISABLED (and nothing created) when an identity provider
        issues the tokens: its accounts live there.
        """
        self._require_issuing()
        clean_mail, clean_user = clean_email(email), clean_username(username)
        values = require_valid(
            {
                "email": clean_mail,
                "username": clean_user,
                "name": clean_name(name if name is not None else username),
                "password": clean_password(password, email=clean_mail, username=clean_user),
            }
        )
        password_hash = await self.passwords.hash(values.pop("password"))
        users = UserService(self.db, clock=self.clock, passwords=self.passwords)
        try:
            async with self.db.write() as session:
                row = await users.insert(
                    session,
                    values | {"role": ROLE_USER, "active": True, "age": None},
                    password_hash,
                    actor=lambda new: subject_of(new.id),
                )
                refresh_token = await self._start(session, row.id, family_id=None)
        except IntegrityError as exc:
            raise duplicate_of(exc, values) from None
        return self._signed_in(row, refresh_token)

    # -- login ----------------------------------------------------------------------------------

    async def login(
        self,
        *,
        login: str,
        password: str,
        client_address: str | None,
        challenge: str | None = None,
        challenge_solution: str | None = None,
    ) -> SignedIn:
        """Sign in with email or username (any case) and password.

        Before the password is looked at: TOO_MANY_ATTEMPTS over the account's failure limit,
        CHALLENGE_REQUIRED over the address's unless `challenge` comes with its
        `challenge_solution` (`subgraphs.users.throttling`). UNAUTHENTICATED "Wrong login or
        password." for an unknown login and a wrong password alike, after the same work.
        """
        self._require_issuing()
        values = require_valid(
            {
                "login": clean_login(login),
                "password": clean_login_password(password),
                "challenge": clean_challenge_answer(challenge, challenge_solution),
            }
        )
        async with self.db.write() as session:
            user = await repository.find_by_login(session, values["login"])
            attempt = await self.throttle.record(session, user, values["login"], client_address)
        await self.throttle.check(self.db, attempt, values["challenge"])
        stored_hash = user.password_hash if user is not None else None
        # Verified even without a user (against a dummy hash): the time taken is the same.
        matches = await self.passwords.verify(stored_hash, values["password"])
        if user is None or not matches:
            raise Unauthenticated(WRONG_LOGIN)  # the attempt stays recorded as a failure
        if not user.active:
            await self.throttle.take_back(self.db, attempt)
            raise Unauthenticated(
                "This account is deactivated; ask an administrator to reactivate it."
            )
        assert stored_hash is not None  # verify() is False without a hash
        new_hash = None
        if self.passwords.needs_rehash(stored_hash):
            new_hash = await self.passwords.hash(values["password"])
        async with self.db.write() as session:
            current = await repository.get(session, user.id)
            if current is not None:
                if new_hash is not None:
                    current.password_hash = new_hash
                await self.throttle.succeeded(session, attempt)
                refresh_token = await self._start(session, current.id, family_id=None)
        if current is None:  # deleted while we checked the password
            raise Unauthenticated(WRONG_LOGIN)
        return self._signed_in(current, refresh_token)

    # -- refresh --------------------------------------------------------------------------------

    async def refresh(self, refresh_token: str) -> SignedIn:
        """Spend a refresh token for a new access token and the next refresh token.

        UNAUTHENTICATED with what to do for an unknown, expired, revoked or already used token
        (the last also revokes its family), or when the account is no longer active.
        """
        self._require_issuing()
        token = require_valid({"refreshToken": clean_refresh_token(refresh_token)})["refreshToken"]
        now = self.clock()
        refused: Refused | None = None
        async with self.db.write() as session:
            row = await session_repository.find_token(session, hash_refresh_token(token))
            user = await repository.get(session, row.user_id) if row is not None else None
            refused = await self._refusal(session, row, user, now)
            if refused is None:
                assert row is not None and user is not None
                next_token = await self._start(session, user.id, family_id=row.family_id)
        if refused is not None:
            raise Unauthenticated(refused.value)
        assert user is not None
        return self._signed_in(user, next_token)

    async def _refusal(
        self,
        session: AsyncSession,
        row: RefreshTokenRow | None,
        user: UserRow | None,
        now: datetime,
    ) -> Refused | None:
        """Why `row` cannot be spent (revoking what must be revoked), or None once it is spent."""
        if row is None:
            return Refused.UNKNOWN
        if row.revoked_at is not None:
            return Refused.REVOKED
        if row.used_at is not None:
            await session_repository.revoke_family(session, row.family_id, now)
            return Refused.REUSED
        if as_utc(row.expires_at) <= now:
            return Refused.EXPIRED
        if user is None or not user.active:
            await session_repository.revoke_user(session, row.user_id, now)
            return Refused.ACCOUNT
        if not await session_repository.spend_token(session, row.id, now):
            # A concurrent refresh spent it first: the same token was presented twice.
            await session_repository.revoke_family(session, row.family_id, now)
            return Refused.REUSED
        return None

    # -- logout ---------------------------------------------------------------------------------

    async def logout(self, refresh_token: str, *, everywhere: bool = False) -> bool:
        """End the sign-in `refresh_token` belongs to, or (`everywhere`) every one of its user.

        True for an unknown token too: there is nothing to end, and nothing is revealed.
        """
        token = require_valid({"refreshToken": clean_refresh_token(refresh_token)})["refreshToken"]
        now = self.clock()
        async with self.db.write() as session:
            row = await session_repository.find_token(session, hash_refresh_token(token))
            if row is not None:
                if everywhere:
                    await session_repository.revoke_user(session, row.user_id, now)
                else:
                    await session_repository.revoke_family(session, row.family_id, now)
        return True

    # -- helpers --------------------------------------------------------------------------------

    def _require_issuing(self) -> None:
        if not self.policy.issues_tokens:
            raise issuing_disabled(self.policy.auth.auth_jwt_algorithm)

    async def _start(self, session: AsyncSession, user_id: int, *, family_id: str | None) -> str:
        """Store a new refresh token (of a new family unless given) and return it."""
        token = self.new_refresh_token()
        now = self.clock()
        session_repository.add_token(
            session,
            RefreshTokenRow(
                token_hash=hash_refresh_token(token),
                family_id=family_id or uuid.uuid4().hex,
                user_id=user_id,
                created_at=now,
                expires_at=now + self.policy.refresh_ttl,
            ),
        )
        await session.flush()
        return token

    def _signed_in(self, user: UserRow, refresh_token: str) -> SignedIn:
        return SignedIn(
            user=user,
            access_token=self.access_token(user),
            refresh_token=refresh_token,
            expires_in=self.policy.access_token_seconds,
        )

    def access_token(self, user: UserRow) -> str:
        """A signed access token for `user` with their current role."""
        claims: dict[str, Any] = {"uid": user.id}
        return issue_token(
            subject_of(user.id),
            (user.role,),
            self.policy.auth,
            now=self.clock().timestamp(),
            extra_claims=claims,
        )
