"""The users tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table
from subgraphs.kit.database import service_metadata

#: Rows with this condition are live; soft-deleted rows keep their data but leave every query.
NOT_DELETED = "deleted_at IS NULL"


class UsersBase(Base):
    """Declarative base of the users database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class UserRow(UsersBase):
    """A user account; `deleted_at` set means soft-deleted."""

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
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(100))
    age: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


#: Events this subgraph emits (user.created), sent by the relay.
outbox = outbox_table(UsersBase.metadata)
