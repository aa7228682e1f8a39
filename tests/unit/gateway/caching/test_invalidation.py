"""Events retire their source subgraph's answers: `EventInvalidation` over an in-memory bus."""

from __future__ import annotations

from collections.abc import Sequence

from common.events import Event
from common.events.bus import Delivery
from gateway.caching import CacheStore, EventInvalidation, LocalEntries
from gateway.caching.invalidation import GROUP


class MemoryBus:
    """The deliveries given, once; what was acknowledged."""

    def __init__(self, events: list[Event]) -> None:
        self.pending = [Delivery(str(i), event) for i, event in enumerate(events)]
        self.acked: list[str] = []
        self.groups: set[str] = set()

    async def publish(self, event: Event) -> str:
        raise NotImplementedError

    async def read(
        self, group: str, consumer: str, *, count: int = 50, block_ms: int = 1000
    ) -> Sequence[Delivery]:
        self.groups.add(group)
        delivered, self.pending = self.pending, []
        return delivered

    async def ack(self, group: str, message_ids: Sequence[str]) -> None:
        self.acked.extend(message_ids)

    async def close(self) -> None:
        pass


def event(source: str, type_: str) -> Event:
    return Event(type=type_, entity_type="Thing", entity_id="1", payload={}, source=source)


async def test_each_event_bumps_its_source_subgraph_once_per_batch() -> None:
    store = CacheStore(LocalEntries(10))
    bus = MemoryBus(
        [
            event("products", "inventory.reserved"),
            event("products", "product.stock_adjusted"),
            event("orders", "order.status_changed"),
        ]
    )
    invalidation = EventInvalidation(bus, store, consumer="test")
    assert await invalidation.poll() == 3
    assert await store.generation("products") == 1
    assert await store.generation("orders") == 1
    assert await store.generation("users") == 0
    assert bus.acked == ["0", "1", "2"] and bus.groups == {GROUP}
    assert await invalidation.poll() == 0
