"""How a notification reaches its user: IN_APP is the stored row; EMAIL, SMS and PUSH go out
through a `Sender`, at most once per event and channel.

The consumer stores each outgoing notification with a PENDING delivery in the event's own
transaction; the dispatcher (`deliveries.py`) sends it after that commit, outside any
transaction. `LoggingSender` writes the message as a JSON log line instead of calling a provider;
a real provider implements `Sender` the same way and passes `OutgoingMessage.idempotency_key`
(event id and channel) to the provider, so the provider too can drop a repeat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from common.logging import get_logger
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.notifications.models import NotificationChannel

logger = get_logger(__name__)

#: The channels that go out through a sender; IN_APP is the stored row itself.
SENT_CHANNELS = (NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.PUSH)


@dataclass(frozen=True)
class OutgoingMessage:
    """One notification as a sender gets it."""

    delivery_id: int
    notification_id: int
    event_id: str
    channel: NotificationChannel
    user_id: int
    title: str
    body: str

    @property
    def idempotency_key(self) -> str:
        """What a provider is given to recognise a repeat: the event and the channel."""
        return f"{self.event_id}:{self.channel.value}"


class Sender(Protocol):
    """Hands messages of one channel to a provider (an email service, an SMS gateway)."""

    async def send(self, message: OutgoingMessage) -> str:
        """Send the message; returns the provider's receipt, kept with the delivery. Raising
        means the message may or may not have gone: the delivery is FAILED, not sent again."""
        ...


class LoggingSender:
    """EMAIL, SMS or PUSH without a provider: the message as a JSON log line."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock

    async def send(self, message: OutgoingMessage) -> str:
        """Log what a provider would have received; the line is the receipt."""
        line = json.dumps(
            {
                "channel": message.channel.value,
                "notification_id": message.notification_id,
                "event_id": message.event_id,
                "idempotency_key": message.idempotency_key,
                "user_id": message.user_id,
                "title": message.title,
                "body": message.body,
                "sent_at": self.clock().isoformat(),
            },
            separators=(",", ":"),
        )
        logger.info("notification sent", extra={"delivery": line})
        return line


def default_senders(clock: Clock = utc_now) -> Mapping[NotificationChannel, Sender]:
    """A logging sender for every sent channel."""
    return {channel: LoggingSender(clock) for channel in SENT_CHANNELS}
