"""The entity and response cache (docs/caching.md): subgraph answers kept as their
`Cache-Control` allows, in Redis shared by the replicas (a bounded local copy while it is
unreachable), retired by mutations through the gateway and by the subgraphs' events."""

from __future__ import annotations

from common.events.factory import open_bus
from common.redis_fallback import gateway_redis_client
from common.settings import EventSettings, GatewaySettings
from gateway.caching.client import CacheReport, CachingClient, cache_scope
from gateway.caching.invalidation import EventInvalidation
from gateway.caching.policy import CachePolicy, cache_policy
from gateway.caching.store import CacheStore, LocalEntries

__all__ = [
    "CachePolicy",
    "CacheReport",
    "CacheStore",
    "CachingClient",
    "EventInvalidation",
    "LocalEntries",
    "cache_policy",
    "cache_scope",
    "cache_store",
    "event_invalidation",
]


def cache_store(settings: GatewaySettings) -> CacheStore | None:
    """The store `settings` ask for (None: the cache is off): shared through Redis when
    `REDIS_ENABLED=true`, else local to this process."""
    if not settings.cache_enabled:
        return None
    redis = None
    if settings.redis_enabled:
        # fail fast, as the rate limiter does
        redis = gateway_redis_client(settings, timeout=settings.rate_limit_redis_timeout)
    return CacheStore(
        LocalEntries(settings.cache_local_size),
        redis,
        prefix=settings.cache_prefix,
        retry_interval=settings.rate_limit_redis_retry,
    )


def event_invalidation(store: CacheStore) -> EventInvalidation:
    """The reader of the event bus (`REDIS_*`/`EVENTS_*` settings) that retires answers."""
    events = EventSettings()
    return EventInvalidation(open_bus(events), store, consumer=events.events_consumer_name)
