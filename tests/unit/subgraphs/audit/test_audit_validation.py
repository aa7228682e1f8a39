"""Time ranges of audit queries: in UTC, `from` not after `to`, and times UTC cannot hold
refused as the field's problem (they overflowed into an internal error)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from common.errors import FieldProblem
from subgraphs.audit.validation import clean_time_range


def test_times_in_utc_and_in_order() -> None:
    plus_two = timezone(timedelta(hours=2))
    since, until = clean_time_range(datetime(2026, 1, 1, 12, tzinfo=plus_two), None)
    assert since == datetime(2026, 1, 1, 10, tzinfo=UTC) and until is None
    naive = clean_time_range(datetime(2026, 1, 1), datetime(2026, 1, 2))
    assert naive == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    backwards = clean_time_range(datetime(2026, 1, 2), datetime(2026, 1, 1))
    assert isinstance(backwards, FieldProblem) and backwards.field == "from"


def test_times_past_the_calendar_in_utc_are_the_fields_problem() -> None:
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12)))
    too_early = clean_time_range(early, None)
    too_late = clean_time_range(None, late)
    assert isinstance(too_early, FieldProblem) and too_early.field == "from"
    assert isinstance(too_late, FieldProblem) and too_late.field == "to"
