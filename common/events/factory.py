"""Open the bus the settings describe."""

from __future__ import annotations

from redis.asyncio import Redis

from common.events.bus import EventBus
from common.events.local_log import LocalEventLog
from common.events.redis_streams import RedisStreamBus
from common.settings import EventSettings


def open_bus(settings: EventSettings) -> EventBus:
    """Redis Streams when `REDIS_ENABLED=true`, else the local event log file."""
    if settings.redis_enabled:
        return RedisStreamBus(Redis.from_url(settings.redis_url), settings.events_stream)
    return LocalEventLog.open(settings.events_log_url)
