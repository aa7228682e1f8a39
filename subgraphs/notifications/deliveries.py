"""The dispatcher: sends the deliveries the consumer stored, at most once per event and channel.

A delivery is committed PENDING with its notification and the event's processed row (see
`consumer.py`). The dispatcher, a loop beside the consumer, claims the oldest one
(PENDING -> SENDING, committed), hands it to the channel's sender outside any transaction, then
records the outcome: SENT with the sender's receipt, or FAILED with the error. A redelivered
event makes no new delivery, and a claim succeeds once, so nothing is sent twice: a process
killed between a send and its record leaves the row SENDING, and no dispatcher sends a SENDING
row. After `ABANDONED_AFTER` such a row becomes UNKNOWN, logged as an error for an operator
(the provider may tell from the message's idempotency key whether it went out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.events.relay import drain_until_stopped
from common.logging import get_logger
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.kit.test_hooks import hold_while_flagged
from subgraphs.notifications import repository
from subgraphs.notifications.channels import OutgoingMessage, Sender, default_senders
from subgraphs.notifications.models import DeliveryStatus, NotificationChannel
from subgraphs.notifications.settings import NotificationServiceSettings

logger = get_logger(__name__)

D = DeliveryStatus
#: A send takes seconds; a claim this old belongs to a dispatcher that died mid-send.
ABANDONED_AFTER = timedelta(minutes=5)


class DeliveryDispatcher:
    """Claims, sends and records deliveries; safe with many dispatchers on one database."""

    def __init__(
        self,
        senders: Mapping[NotificationChannel, Sender] | None = None,
        clock: Clock = utc_now,
        *,
        batch_size: int = 20,
        idle_seconds: float = 0.2,
        hold_after_send: Path | None = None,
    ) -> None:
        self.senders = senders if senders is not None else default_senders(clock)
        self.clock = clock
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        #: Crash tests only (`subgraphs.kit.test_hooks`): hold between a send and its record.
        self.hold_after_send = hold_after_send

    async def dispatch(self, sessions: async_sessionmaker[AsyncSession]) -> int:
        """Send the oldest pending deliveries; returns how many this dispatcher claimed."""
        async with sessions() as session:
            pending = await repository.pending_deliveries(session, self.batch_size)
        claimed = 0
        for delivery_id in pending:
            message = await self._claim(sessions, delivery_id)
            if message is not None:
                claimed += 1
                await self._send(sessions, message)
        await self._give_up_abandoned(sessions)
        return claimed

    async def _claim(
        self, sessions: async_sessionmaker[AsyncSession], delivery_id: int
    ) -> OutgoingMessage | None:
        async with sessions() as session, session.begin():
            now = self.clock()
            if not await repository.move_delivery(
                session, delivery_id, D.PENDING, D.SENDING, claimed_at=now
            ):
                return None  # another dispatcher took it
            delivery, notification = await repository.delivery_with_notification(
                session, delivery_id
            )
            return OutgoingMessage(
                delivery_id=delivery.id,
                notification_id=notification.id,
                event_id=delivery.event_id,
                channel=delivery.channel,
                user_id=notification.user_id,
                title=notification.title,
                body=notification.body,
            )

    async def _send(
        self, sessions: async_sessionmaker[AsyncSession], message: OutgoingMessage
    ) -> None:
        outcome: dict[str, object]
        try:
            receipt = await self.senders[message.channel].send(message)
            outcome = {"status": D.SENT, "log": receipt, "sent_at": self.clock()}
        except Exception as exc:
            logger.exception(
                "notification not sent; it will not be tried again",
                extra={"delivery_id": message.delivery_id, "event_id": message.event_id},
            )
            outcome = {"status": D.FAILED, "error": repr(exc)}
        await hold_while_flagged(self.hold_after_send, "held after an external send")
        async with sessions() as session, session.begin():
            status = outcome.pop("status")
            assert isinstance(status, DeliveryStatus)
            await repository.move_delivery(
                session, message.delivery_id, D.SENDING, status, **outcome
            )

    async def _give_up_abandoned(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        async with sessions() as session, session.begin():
            before = self.clock() - ABANDONED_AFTER
            for delivery_id in await repository.abandoned_claims(session, before):
                if await repository.move_delivery(
                    session,
                    delivery_id,
                    D.SENDING,
                    D.UNKNOWN,
                    error="its dispatcher stopped between claiming and recording it: it may "
                    "or may not have been sent, and is not sent again",
                ):
                    logger.error(
                        "notification delivery abandoned mid-send; not sent again",
                        extra={"delivery_id": delivery_id},
                    )

    async def __call__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: SubgraphSettings | None,
        stop: asyncio.Event,
    ) -> None:
        """Dispatch until `stop` is set (the app's worker); failures are logged and retried."""
        if isinstance(settings, NotificationServiceSettings):
            self.hold_after_send = settings.test_hold_after_send_file
        await drain_until_stopped(
            lambda: self.dispatch(sessions),
            stop,
            batch_size=self.batch_size,
            idle_seconds=self.idle_seconds,
            failure="delivery dispatcher failed; retrying",
        )
