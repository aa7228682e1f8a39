"""The notifications tables: notifications, deliveries, preferences, processed events."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table, processed_events_table
from subgraphs.kit.database import service_metadata


class NotificationsBase(Base):
    """Declarative base of the notifications database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class NotificationChannel(enum.StrEnum):
    """Where a notification goes. IN_APP is stored for the user to read; the others are sent."""

    EMAIL = "EMAIL"
    SMS = "SMS"
    PUSH = "PUSH"
    IN_APP = "IN_APP"


def _channel_column() -> Enum:
    # A string column, not a native enum, so that adding a channel is a plain migration.
    return Enum(NotificationChannel, name="notification_channel", native_enum=False, length=16)


class NotificationRow(NotificationsBase):
    """One message to one user on one channel, made from one event; read once `read_at` is set."""

    __tablename__ = "notifications"
    __table_args__ = (
        # One event makes at most one notification per channel, however often it is delivered.
        UniqueConstraint("event_id", "channel"),
        # A user's notifications, newest first (myNotifications, User.notifications).
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: A user of the users subgraph; another database, so no foreign key.
    user_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[NotificationChannel] = mapped_column(_channel_column())
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeliveryStatus(enum.StrEnum):
    """Where a delivery is: PENDING -> SENDING (claimed by one dispatcher) -> SENT or FAILED; a
    SENDING row whose dispatcher died becomes UNKNOWN (see `deliveries.py`). Never sent twice."""

    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    UNKNOWN = "UNKNOWN"


class DeliveryRow(NotificationsBase):
    """A notification to send through a sender (EMAIL, SMS, PUSH): stored with the notification
    in the event's transaction, sent afterwards by the dispatcher, at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # The dispatcher's question: the oldest pending deliveries (and stale claims).
        Index("ix_deliveries_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), unique=True)
    event_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[NotificationChannel] = mapped_column(_channel_column())
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(DeliveryStatus, name="delivery_status", native_enum=False, length=16)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: When a dispatcher claimed it (SENDING); a claim this old was abandoned by a dead process.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The sender's receipt: for the logging sender, the JSON line it wrote.
    log: Mapped[str | None] = mapped_column(Text)
    #: Why it FAILED, or why it is UNKNOWN.
    error: Mapped[str | None] = mapped_column(Text)


class PreferenceRow(NotificationsBase):
    """The channels a user chose for one event type; no row means the default channels."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: Channel names, comma-separated and sorted (`EMAIL,IN_APP`); empty means muted.
    channels: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


#: `notification.created` events, written with the notification, until the relay sends them.
outbox = outbox_table(NotificationsBase.metadata)
#: The events the `notifications` consumer group has applied, once each.
processed_events = processed_events_table(NotificationsBase.metadata)
