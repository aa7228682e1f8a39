"""Prometheus metrics of a service's events, under its prefix (`order_service_...`).

- `<prefix>_events_published_total{type}`: events the outbox relay published;
- `<prefix>_outbox_backlog`, `<prefix>_outbox_oldest_age_seconds`: events written but not yet
  published, and how long the oldest of them has waited (set when `/metrics` is scraped);
- `<prefix>_events_consumed_total{group, outcome}`: deliveries a consumer group settled or
  tried: `applied`, `duplicate` (applied before: no second effect), `failed` (to be retried),
  `parked` (given up after repeated failures: dead-lettered);
- `<prefix>_event_lag_seconds{group}`: from an event's time to its being applied.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram

CONSUMER_OUTCOMES = ("applied", "duplicate", "failed", "parked")


class EventMetrics:
    """The event metrics of one service; build it through `event_metrics(prefix)`."""

    def __init__(self, prefix: str) -> None:
        self.published = Counter(
            f"{prefix}_events_published_total", "Events the outbox relay published", ["type"]
        )
        self.backlog = Gauge(
            f"{prefix}_outbox_backlog", "Events written to the outbox and not yet published"
        )
        self.oldest_age = Gauge(
            f"{prefix}_outbox_oldest_age_seconds",
            "Seconds the oldest unpublished outbox event has waited (0 when none waits)",
        )
        self.consumed = Counter(
            f"{prefix}_events_consumed_total",
            "Event deliveries handled by a consumer group, by outcome",
            ["group", "outcome"],
        )
        self.lag = Histogram(
            f"{prefix}_event_lag_seconds",
            "Seconds from an event's time to its being applied by a consumer group",
            ["group"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900),
        )

    def prepare_group(self, group: str) -> None:
        """Create a consumer group's series at zero (parked events alert on their increase)."""
        for outcome in CONSUMER_OUTCOMES:
            self.consumed.labels(group, outcome)
        self.lag.labels(group)

    def outbox(self, backlog: int, oldest: datetime | None, now: datetime) -> None:
        """Record the outbox's unsent rows and the time the oldest of them was written."""
        self.backlog.set(backlog)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)  # SQLite gives back naive UTC times
        self.oldest_age.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)

    def applied(self, group: str, event_time: datetime, now: datetime) -> None:
        """Count one event applied by `group` and how late it was."""
        self.consumed.labels(group, "applied").inc()
        self.lag.labels(group).observe(max(0.0, (now - event_time).total_seconds()))


_BY_PREFIX: dict[str, EventMetrics] = {}


def event_metrics(prefix: str) -> EventMetrics:
    """The process's event metrics for `prefix`, made on first use (no duplicate series)."""
    if prefix not in _BY_PREFIX:
        _BY_PREFIX[prefix] = EventMetrics(prefix)
    return _BY_PREFIX[prefix]
