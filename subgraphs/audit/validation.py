"""Rules for audit queries: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

from datetime import datetime

from common.errors import FieldProblem
from subgraphs.kit.clock import as_utc

#: The width of the columns the text filters match (`action`, `entityType`, `entityId`).
MAX_FILTER_LENGTH = 100


def clean_time_range(
    since: datetime | None, until: datetime | None
) -> tuple[datetime | None, datetime | None] | FieldProblem:
    """The range in UTC (a time without a zone is taken as UTC), if `from` is not after `to`."""
    try:
        since = as_utc(since) if since is not None else None
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        return FieldProblem("from", "must be a time between years 1 and 9999 in UTC")
    try:
        until = as_utc(until) if until is not None else None
    except OverflowError:
        return FieldProblem("to", "must be a time between years 1 and 9999 in UTC")
    if since is not None and until is not None and since > until:
        return FieldProblem("from", "must not be later than `to`")
    return since, until
