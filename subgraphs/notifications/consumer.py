"""The `notifications` consumer group: each order and payment event notifies its user.

One notification per channel the user wants for the event's type; a redelivered event makes no
second one (the consumer records the event id, and `(event_id, channel)` is unique besides). Each
stored in-app notification announces itself (`notification.created`, through the outbox) for the
`notificationAdded` subscription. Nothing is sent here: a notification of a sent channel (EMAIL,
SMS, PUSH) is stored with a PENDING delivery in this transaction, and the dispatcher sends it once
this has committed (`deliveries.py`), so a send never happens for an event that is not yet recorded
as applied.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.events import ConsumerSpec, emit
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.notifications import preferences, repository
from subgraphs.notifications.channels import SENT_CHANNELS
from subgraphs.notifications.messages import EVENT_TYPES, message_for
from subgraphs.notifications.models import (
    DeliveryRow,
    DeliveryStatus,
    NotificationChannel,
    NotificationRow,
    outbox,
)

logger = get_logger(__name__)

GROUP = "notifications"


class Notifier:
    """The consumer's handler: store the notifications one event calls for, and the deliveries
    of those a sender must send."""

    def __init__(self, clock: Clock = utc_now) -> None:
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
            if channel is NotificationChannel.IN_APP:
                await announce(session, row, event)
            if channel in SENT_CHANNELS:
                repository.add_delivery(
                    session,
                    DeliveryRow(
                        notification_id=row.id,
                        event_id=event.id,
                        channel=channel,
                        status=DeliveryStatus.PENDING,
                        created_at=self.clock(),
                    ),
                )
        await session.flush()

    async def _channels_for(
        self, session: AsyncSession, user_id: int, event_type: str
    ) -> tuple[NotificationChannel, ...]:
        row = await repository.preference(session, user_id, event_type)
        if row is None:
            return preferences.ordered(preferences.DEFAULT_CHANNELS)
        return preferences.decode(row.channels)


#: The event a stored notification announces itself with (live subscriptions follow it).
NOTIFICATION_CREATED = "notification.created"


async def announce(session: AsyncSession, row: NotificationRow, cause: Event) -> None:
    """`notification.created` for an in-app notification, in the consumer's transaction: sent
    if and only if the notification is stored."""
    await emit(
        session,
        outbox,
        source="notifications",
        type=NOTIFICATION_CREATED,
        entity_type="Notification",
        entity_id=format_id(row.id),
        payload={
            "notification_id": format_id(row.id),
            "user_id": format_id(row.user_id),
            "channel": row.channel.value,
            "event_type": row.event_type,
        },
        actor=cause.actor,
    )


def consumer_spec(notifier: Notifier | None = None) -> ConsumerSpec:
    """The consumer group the app runs."""
    return ConsumerSpec(group=GROUP, types=frozenset(EVENT_TYPES), handler=notifier or Notifier())
