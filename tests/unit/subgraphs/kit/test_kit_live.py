"""Live events in a subgraph process: one tail fanned out to subscriptions, bounded queues, a
lost bus reported as missed events. The tail is in memory (no Redis, no file)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from prometheus_client import Gauge

from common.events import Event
from subgraphs.kit import live as live_module
from subgraphs.kit.live import EventsMissed, LiveEvents


class MemoryTail:
    """Hands out the events put into it; `fail` makes the next read raise."""

    def __init__(self) -> None:
        self.batches: asyncio.Queue[list[Event]] = asyncio.Queue()
        self.fail = False
        self.closed = False

    async def next_batch(self, *, block_ms: int = 1000) -> Sequence[Event]:
        if self.fail:
            self.fail = False
            raise ConnectionError("bus gone")
        try:
            return await asyncio.wait_for(self.batches.get(), block_ms / 1000)
        except TimeoutError:
            return []

    async def close(self) -> None:
        self.closed = True


def event(kind: str, entity_id: str) -> Event:
    return Event(type=kind, entity_type="Order", entity_id=entity_id, payload={}, source="t")


async def test_each_subscription_gets_the_events_it_wants() -> None:
    tail = MemoryTail()
    gauge = Gauge("test_live_subscriptions", "test")
    live = LiveEvents(lambda: tail, gauge)
    await live.start()
    await live.ready()
    try:
        async with (
            live.subscribe(lambda e: e.entity_id == "1") as first,
            live.subscribe(lambda e: e.entity_id == "2") as second,
        ):
            assert gauge._value.get() == 2
            await tail.batches.put([event("order.status_changed", "1"), event("x", "2")])
            got_first = await anext(first)
            got_second = await anext(second)
        assert gauge._value.get() == 0
    finally:
        await live.stop()
    assert (got_first.entity_id, got_second.type) == ("1", "x")
    assert tail.closed


async def test_a_subscription_that_falls_behind_ends_with_missed_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_module, "QUEUE_SIZE", 2)
    live = LiveEvents(MemoryTail)
    async with live.subscribe(lambda e: True) as events:
        for number in range(3):
            live.dispatch(event("order.created", str(number)))
        with pytest.raises(EventsMissed) as missed:
            async for _ in events:
                pass
    assert missed.value.code == "SUBSCRIPTION_EVENTS_MISSED"


async def test_a_lost_bus_ends_subscriptions_with_missed_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_module, "RETRY_SECONDS", 0)
    tail = MemoryTail()
    live = LiveEvents(lambda: tail)
    await live.start()
    await live.ready()
    try:
        async with live.subscribe(lambda e: True) as events:
            tail.fail = True
            with pytest.raises(EventsMissed):
                await asyncio.wait_for(anext(events), 10)
    finally:
        await live.stop()


async def test_stopping_ends_subscriptions_without_error() -> None:
    live = LiveEvents(MemoryTail)
    await live.start()
    async with live.subscribe(lambda e: True) as events:
        await live.stop()
        assert [e async for e in events] == []
