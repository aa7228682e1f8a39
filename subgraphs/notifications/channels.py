"""How a notification reaches its user: one `Channel` per `NotificationChannel`.

IN_APP is the stored row itself (what `myNotifications` reads). EMAIL, SMS and PUSH go to a
`LoggingSender`, which records a delivery and writes the message as a JSON log line instead of
calling a provider; a real provider implements `Channel` the same way and replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.logging import get_logger
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.notifications import repository
from subgraphs.notifications.models import DeliveryRow, NotificationChannel, NotificationRow

logger = get_logger(__name__)

SENT = "SENT"


class Channel(Protocol):
    """Delivers stored notifications of one channel, inside the consumer's transaction."""

    channel: NotificationChannel

    async def deliver(self, session: AsyncSession, notification: NotificationRow) -> None:
        """Send (or keep) the notification; raising rolls the event back for a retry."""
        ...


class InAppChannel:
    """IN_APP: the stored notification is the delivery; the user reads it in the app."""

    channel = NotificationChannel.IN_APP

    async def deliver(self, session: AsyncSession, notification: NotificationRow) -> None:
        """Nothing to send: the row is already in the user's list."""
        return None


class LoggingSender:
    """EMAIL, SMS or PUSH without a provider: a `deliveries` row and a JSON log line."""

    def __init__(self, channel: NotificationChannel, clock: Clock = utc_now) -> None:
        self.channel = channel
        self.clock = clock

    async def deliver(self, session: AsyncSession, notification: NotificationRow) -> None:
        """Record the notification as sent and log what a provider would have received."""
        sent_at = self.clock()
        line = json.dumps(
            {
                "channel": self.channel.value,
                "notification_id": notification.id,
                "event_id": notification.event_id,
                "user_id": notification.user_id,
                "title": notification.title,
                "body": notification.body,
                "sent_at": sent_at.isoformat(),
            },
            separators=(",", ":"),
        )
        repository.add_delivery(
            session,
            DeliveryRow(
                notification_id=notification.id,
                event_id=notification.event_id,
                channel=self.channel,
                status=SENT,
                sent_at=sent_at,
                log=line,
            ),
        )
        logger.info("notification sent", extra={"delivery": line})
        from common.settings import load_settings
        from subgraphs.kit.test_hooks import hold_while_flagged
        from subgraphs.notifications.settings import NotificationServiceSettings

        flag = load_settings(NotificationServiceSettings).test_hold_after_send_file
        await hold_while_flagged(flag, "held after an external send")


def default_channels(clock: Clock = utc_now) -> Mapping[NotificationChannel, Channel]:
    """Every channel: IN_APP stored, the others logged as sent."""
    channels: dict[NotificationChannel, Channel] = {NotificationChannel.IN_APP: InAppChannel()}
    for name in (NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.PUSH):
        channels[name] = LoggingSender(name, clock)
    return channels
