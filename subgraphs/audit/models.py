"""The audit tables: the append-only `audit_log` and the consumer's processed events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import processed_events_table
from subgraphs.kit.database import service_metadata


class AuditBase(Base):
    """Declarative base of the audit database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class AuditLogRow(AuditBase):
    """One event, as it happened; rows are inserted and never changed (see the migration)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # User.auditTrail: what a user did, and what happened to a user, newest first.
        Index("ix_audit_log_actor_user_id_timestamp", "actor_user_id", "timestamp"),
        Index("ix_audit_log_subject_user_id_timestamp", "subject_user_id", "timestamp"),
        Index("ix_audit_log_entity_type_entity_id", "entity_type", "entity_id"),
        Index("ix_audit_log_action", "action"),
        Index("ix_audit_log_timestamp", "timestamp"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event's id: one row per event, however often it is delivered.
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: The event type (`order.status_changed`).
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str] = mapped_column(String(100))
    #: Who did it, as the event says (a user id, a service name); None when unknown.
    actor_subject: Mapped[str | None] = mapped_column(String(200))
    #: The actor as a user id, when the actor is a user.
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    #: The user the event is about: the entity when it is a User, else the payload's `user_id`.
    subject_user_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128))
    #: The publishing service (`orders`).
    source: Mapped[str] = mapped_column(String(100))
    #: When the event happened (the event's time, not when it was recorded).
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


#: The events the `audit` consumer group has recorded, once each.
processed_events = processed_events_table(AuditBase.metadata)
