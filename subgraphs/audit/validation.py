"""Rules for audit queries: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

from datetime import datetime

from common.errors import FieldProblem
from subgraphs.kit.clock import as_utc


def clean_time_range(
    since: datetime | None, until: datetime | None
) -> tuple[datetime | None, datetime | None] | FieldProblem:
    """The range in UTC (a time without a zone is taken as UTC), if `from` is not after `to`."""
    since = as_utc(since) if since is not None else None
    until = as_utc(until) if until is not None else None
    if since is not None and until is not None and since > until:
        return FieldProblem("from", "must not be later than `to`")
    return since, until
