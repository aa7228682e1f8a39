"""The `audit` consumer group: every event, of every type, becomes one audit row."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from subgraphs.audit import repository
from subgraphs.audit.entries import entry_for
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.events import ConsumerSpec

GROUP = "audit"


class Recorder:
    """The consumer's handler: append the event's row, once (a redelivery adds nothing)."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock

    async def __call__(self, session: AsyncSession, event: Event) -> None:
        """Append the row of `event` unless the log has it already."""
        if await repository.has_event(session, event.id):
            return
        repository.append(session, entry_for(event, self.clock()))
        await session.flush()


def consumer_spec(recorder: Recorder | None = None) -> ConsumerSpec:
    """The consumer group the app runs: every event type."""
    return ConsumerSpec(group=GROUP, types=None, handler=recorder or Recorder())
