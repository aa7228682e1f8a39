"""The repositories table."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from subgraphs.kit.database import service_metadata

#: Rows with this condition are live; soft-deleted rows keep their data but leave every query.
NOT_DELETED = "deleted_at IS NULL"


class RepositoriesBase(Base):
    """Declarative base of the repositories database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class Visibility(enum.StrEnum):
    """Who may see a repository (the rule: `service.may_see`)."""

    PRIVATE = "PRIVATE"
    PUBLIC = "PUBLIC"


class RepositoryRow(RepositoriesBase):
    """A code repository of one user; `deleted_at` set means soft-deleted."""

    __tablename__ = "repositories"
    __table_args__ = (
        # Names are unique per owner among live repositories only, so a name can be reused.
        Index(
            "uq_repositories_owner_id_name_live",
            "owner_id",
            "name",
            unique=True,
            sqlite_where=text(NOT_DELETED),
            postgresql_where=text(NOT_DELETED),
        ),
        Index("ix_repositories_owner_id", "owner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(1000))
    #: A user of the users subgraph; another database, so no foreign key.
    owner_id: Mapped[int] = mapped_column(Integer)
    visibility: Mapped[Visibility] = mapped_column(
        Enum(Visibility, name="repository_visibility", native_enum=False, length=16)
    )
    url: Mapped[str | None] = mapped_column(String(2048))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
