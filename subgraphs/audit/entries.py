"""How an event becomes an audit row: who acted, on whom, and the state before and after.

- `*.status_changed` (payload `from`, `to`): before `{status: from}`, after `{status: to}` (and
  `reason` when the event gives one).
- `*.deleted`: before the payload, after null.
- everything else, creations included: before null, after the payload.

The actor is a user when the event's `actor` is a user id (`42` or `user:42`); the subject user
is the entity when it is a `User`, else the payload's `user_id`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.events import Event
from subgraphs.audit.models import AuditLogRow
from subgraphs.kit.clock import as_utc
from subgraphs.kit.ids import parse_id

USER_PREFIX = "user:"


def actor_user_id(actor: str | None) -> int | None:
    """The user id an event's actor names, or None for a service, an unknown or no actor."""
    if actor is None:
        return None
    text = actor.strip()
    if text.startswith(USER_PREFIX):
        text = text[len(USER_PREFIX) :]
    return parse_id(text)


def subject_user_id(event: Event) -> int | None:
    """The user the event is about, if any."""
    if event.entity_type == "User":
        return parse_id(event.entity_id)
    return parse_id(event.payload.get("user_id"))


def before_and_after(event: Event) -> tuple[Any, Any]:
    """The state before and after, from the payload, by the kind of event."""
    payload = event.payload
    if event.type.endswith(".status_changed") and "to" in payload:
        after: dict[str, Any] = {"status": payload["to"]}
        if payload.get("reason"):
            after["reason"] = payload["reason"]
        return {"status": payload.get("from")}, after
    if event.type.endswith(".deleted"):
        return payload, None
    return None, payload


def entry_for(event: Event, recorded_at: datetime) -> AuditLogRow:
    """The audit row of an event."""
    before, after = before_and_after(event)
    return AuditLogRow(
        event_id=event.id,
        action=event.type,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        actor_subject=event.actor,
        actor_user_id=actor_user_id(event.actor),
        subject_user_id=subject_user_id(event),
        before=before,
        after=after,
        request_id=event.request_id,
        source=event.source,
        timestamp=as_utc(event.time),
        recorded_at=recorded_at,
    )
