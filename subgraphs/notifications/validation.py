"""Rules for notification input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

from collections.abc import Sequence

from common.errors import FieldProblem, ValidationFailed
from subgraphs.notifications.messages import EVENT_TYPES
from subgraphs.notifications.models import NotificationChannel
from subgraphs.notifications.preferences import ordered


def clean_preferences(
    entries: Sequence[tuple[str, Sequence[NotificationChannel]]],
) -> list[tuple[str, tuple[NotificationChannel, ...]]]:
    """Each (event type, channels) checked: a known type, named once; channels de-duplicated.

    One VALIDATION_FAILED names every bad entry (`input[1].eventType`).
    """
    problems: list[FieldProblem] = []
    clean: list[tuple[str, tuple[NotificationChannel, ...]]] = []
    seen: set[str] = set()
    if not entries:
        raise ValidationFailed.of([FieldProblem("input", "must name at least one event type")])
    for index, (raw_type, channels) in enumerate(entries):
        event_type = raw_type.strip()
        field = f"input[{index}].eventType"
        if not all(isinstance(channel, NotificationChannel) for channel in channels):
            names = ", ".join(channel.value for channel in NotificationChannel)
            problems.append(FieldProblem(f"input[{index}].channels", f"must be among: {names}"))
        if event_type not in EVENT_TYPES:
            problems.append(FieldProblem(field, f"must be one of: {', '.join(EVENT_TYPES)}"))
        elif event_type in seen:
            # Never repeat a submitted value in an error: the field path says which.
            problems.append(FieldProblem(field, "repeats an event type given before"))
        else:
            seen.add(event_type)
            clean.append((event_type, ordered(channels)))
    if problems:
        raise ValidationFailed.of(problems)
    return clean
