"""The `notifications` consumer group: each order and payment event notifies its user.

One notification per channel the user wants for the event's type; a redelivered event makes no
second one (the consumer records the event id, and `(event_id, channel)` is unique besides).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.events import ConsumerSpec
from subgraphs.kit.ids import parse_id
from subgraphs.notifications import preferences, repository
from subgraphs.notifications.channels import Channel, default_channels
from subgraphs.notifications.messages import EVENT_TYPES, message_for
from subgraphs.notifications.models import NotificationChannel, NotificationRow

logger = get_logger(__name__)

GROUP = "notifications"


class Notifier:
    """The consumer's handler: store and deliver the notifications one event calls for."""

    def __init__(
        self,
        channels: Mapping[NotificationChannel, Channel] | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.channels = channels if channels is not None else default_channels(clock)
        self.clock = clock

    async def __call__(self, session: AsyncSession, event: Event) -> None:
        """Notify the event's user on each channel they want, once per channel."""
        message = message_for(event)
        if message is None:
            return
        user_id = parse_id(event.payload.get("user_id"))
        if user_id is None:
            logger.warning(
                "event names no user; nobody notified",
                extra={"event_id": event.id, "event_type": event.type},
            )
            return
        wanted = await self._channels_for(session, user_id, event.type)
        already = await repository.channels_of_event(session, event.id)
        for channel in wanted:
            if channel in already:
                continue
            row = NotificationRow(
                user_id=user_id,
                channel=channel,
                title=message.title,
                body=message.body,
                event_type=event.type,
                event_id=event.id,
                created_at=self.clock(),
            )
            repository.add(session, row)
            await session.flush()
            await self.channels[channel].deliver(session, row)
        await session.flush()

    async def _channels_for(
        self, session: AsyncSession, user_id: int, event_type: str
    ) -> tuple[NotificationChannel, ...]:
        row = await repository.preference(session, user_id, event_type)
        if row is None:
            return preferences.ordered(preferences.DEFAULT_CHANNELS)
        return preferences.decode(row.channels)


def consumer_spec(notifier: Notifier | None = None) -> ConsumerSpec:
    """The consumer group the app runs."""
    return ConsumerSpec(group=GROUP, types=frozenset(EVENT_TYPES), handler=notifier or Notifier())
