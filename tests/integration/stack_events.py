"""Publishing events straight onto the bus a running stack uses, and waiting for their effects.

The bus is the one the subgraph processes chose: their own `EVENTS_LOG_URL` / `REDIS_*` when the
stack set them, else the defaults they read from the environment, relative to the repository.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import make_url

from common.events import Event, EventBus
from common.events.factory import open_bus
from common.settings import EventSettings
from devstack.processes import ROOT
from tests.support.stack import RunningStack

T = TypeVar("T")


def stack_event_settings(stack: RunningStack, service: str) -> EventSettings:
    """The event settings `service`'s process runs with."""
    overrides = {
        key.lower(): value
        for key, value in stack.services[service].env.items()
        if key.upper().startswith(("EVENTS_", "REDIS_"))
    }
    settings = EventSettings(**overrides)
    url = make_url(settings.events_log_url)
    if url.database and not url.database.startswith("/"):
        # The processes run in the repository root; the test may not.
        absolute = url.set(database=str(ROOT / url.database))
        settings = settings.model_copy(
            update={"events_log_url": absolute.render_as_string(hide_password=False)}
        )
    return settings


def publish(stack: RunningStack, *events: Event, service: str = "audit") -> None:
    """Append the events to the bus `service` reads."""

    async def run() -> None:
        bus: EventBus = open_bus(stack_event_settings(stack, service))
        try:
            for event in events:
                await bus.publish(event)
        finally:
            await bus.close()

    asyncio.run(run())


#: How long an event may take to travel (outbox -> relay -> bus -> consumer), on a busy machine.
EVENT_DEADLINE_SECONDS = 30.0


def eventually(
    probe: Callable[[], T], done: Callable[[T], bool], timeout: float = EVENT_DEADLINE_SECONDS
) -> T:
    """Call `probe` until `done` accepts its answer; the last answer fails the test on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if done(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout:.0f}s; last answer: {answer!r}")
        time.sleep(0.1)
