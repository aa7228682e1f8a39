"""The event envelope: what every event carries besides its payload."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Event:
    """One fact that happened: `order.created` for order 42, by whom, in which request."""

    type: str
    entity_type: str
    entity_id: str
    payload: dict[str, Any]
    source: str
    actor: str | None = None
    request_id: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    time: datetime = field(default_factory=_now)

    def to_json(self) -> str:
        """The wire form: one JSON object."""
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "time": self.time.isoformat(),
                "source": self.source,
                "actor": self.actor,
                "request_id": self.request_id,
                "entity_type": self.entity_type,
                "entity_id": self.entity_id,
                "payload": self.payload,
            },
            separators=(",", ":"),
            default=str,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        """Read the wire form back; `ValueError` when it is not an event."""
        try:
            raw = json.loads(text)
            return cls(
                id=str(raw["id"]),
                type=str(raw["type"]),
                time=datetime.fromisoformat(raw["time"]),
                source=str(raw["source"]),
                actor=raw.get("actor"),
                request_id=raw.get("request_id"),
                entity_type=str(raw["entity_type"]),
                entity_id=str(raw["entity_id"]),
                payload=dict(raw.get("payload") or {}),
            )
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not an event: {exc}") from exc
