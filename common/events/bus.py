"""The bus protocol both backends honour: publish in order, read by group, acknowledge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from common.events.envelope import Event


@dataclass(frozen=True)
class Delivery:
    """An event handed to a consumer group, with the bus's id for acknowledging it."""

    message_id: str
    event: Event


class EventBus(Protocol):
    """An ordered, persistent event log read through consumer groups (at least once)."""

    async def publish(self, event: Event) -> str:
        """Append the event; returns the bus's message id."""
        ...

    async def read(
        self, group: str, consumer: str, *, count: int = 50, block_ms: int = 1000
    ) -> Sequence[Delivery]:
        """Deliveries for this group: unacknowledged ones first (redelivery), then new ones."""
        ...

    async def ack(self, group: str, message_ids: Sequence[str]) -> None:
        """Mark deliveries handled, so they are not delivered to the group again."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
