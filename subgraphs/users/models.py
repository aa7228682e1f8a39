"""The users tables: accounts, refresh tokens, failed logins, spent login challenges, and the
outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table
from subgraphs.kit.database import service_metadata

#: Rows with this condition are live; soft-deleted rows keep their data but leave every query.
NOT_DELETED = "deleted_at IS NULL"

#: Values of `users.role`.
ROLE_USER = "user"
ROLE_ADMIN = "admin"
ROLES = (ROLE_USER, ROLE_ADMIN)


class UsersBase(Base):
    """Declarative base of the users database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class UserRow(UsersBase):
    """A user account; `deleted_at` set means soft-deleted.

    `password_hash` is an argon2id hash, or None for an account created by an admin without a
    password (it cannot log in until one is set).
    """

    __tablename__ = "users"
    __table_args__ = (
        # Unique among live users only, so a deleted user's email can be registered again.
        Index(
            "uq_users_email_live",
            "email",
            unique=True,
            sqlite_where=text(NOT_DELETED),
            postgresql_where=text(NOT_DELETED),
        ),
        Index(
            "uq_users_username_live",
            "username",
            unique=True,
            sqlite_where=text(NOT_DELETED),
            postgresql_where=text(NOT_DELETED),
        ),
        CheckConstraint("role IN ('user', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    username: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    age: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[str] = mapped_column(String(16), default=ROLE_USER, server_default=ROLE_USER)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RefreshTokenRow(UsersBase):
    """One refresh token, stored only as its SHA-256; a family is one sign-in and its rotations.

    A token is spent once (`used_at`); presenting a spent token again revokes its whole family.
    """

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        Index("ix_refresh_tokens_family_id", "family_id"),
        Index("ix_refresh_tokens_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: hex SHA-256 of the token the client holds
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginFailureRow(UsersBase):
    """One failed login, counted against a key: `account:<id>`, `login:<text>` or `address:<ip>`.

    Shared by every replica through the database; rows older than the window are pruned.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_key_failed_at", "key", "failed_at"),
        Index("ix_login_failures_failed_at", "failed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SpentChallengeRow(UsersBase):
    """A login challenge that has let one attempt through (`subgraphs.users.challenge`): each is
    spent once. Rows are pruned once the challenge has expired."""

    __tablename__ = "spent_login_challenges"
    __table_args__ = (Index("ix_spent_login_challenges_expires_at", "expires_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


#: Events this subgraph emits (user.created), sent by the relay.
outbox = outbox_table(UsersBase.metadata)
