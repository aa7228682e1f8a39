"""Events that services must hear about, with nothing lost.

A write stores its event in the service's outbox table in the same transaction (`outbox`); a
relay publishes outbox rows to the bus in order and marks them sent (`relay`); consumers read
with consumer groups, store their effect and the event id in one transaction, then acknowledge
(`consumer`), so a redelivered event has no second effect. The bus is Redis Streams
(`redis_streams`) or, without Redis, a local event log file shared by the processes of one
machine (`local_log`); both honour the same `EventBus` protocol (`bus`).
"""

from common.events.bus import Delivery, EventBus
from common.events.envelope import Event

__all__ = ["Delivery", "Event", "EventBus"]
