"""`notificationAdded`: the signed-in user's new in-app notifications (the inbox), as stored.

Fed by `notification.created` events on the bus (the consumer announces each notification it
stores, `consumer.announce`), so every replica sees every one whichever replica stored it. Only
the caller's own notifications are delivered; each is read again, in a session of its own, and
passes the read rule before it is sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from common.events import Event
from subgraphs.kit.identity import Identity, caller_user_id
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.subscriptions import fresh_session, live_events
from subgraphs.notifications import repository
from subgraphs.notifications.consumer import NOTIFICATION_CREATED
from subgraphs.notifications.models import NotificationChannel, NotificationRow


async def watch_notifications(context: Any) -> AsyncIterator[NotificationRow]:
    """The caller's in-app notifications, each once it is stored."""
    caller: Identity | None = context.identity
    user_id = format_id(caller_user_id(caller, "subscribing to your notifications"))
    live = live_events(context)

    def wanted(event: Event) -> bool:
        payload = event.payload
        return bool(
            event.type == NOTIFICATION_CREATED
            and payload.get("user_id") == user_id
            and payload.get("channel") == NotificationChannel.IN_APP.value
        )

    async with live.subscribe(wanted) as events:
        async for event in events:
            row_id = parse_id(event.payload.get("notification_id"))
            if row_id is None:
                continue
            async with fresh_session(context) as session:
                row = await repository.get(session, row_id)
            if row is not None and format_id(row.user_id) == user_id:
                yield row
