"""Which channels a user is notified on, per event type, and the default for types not set.

The default, for every event type a user has not set: IN_APP and EMAIL. Setting a type to an
empty list of channels mutes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from subgraphs.notifications.models import NotificationChannel, PreferenceRow

#: Channels used for an event type the user has no preference row for.
DEFAULT_CHANNELS: tuple[NotificationChannel, ...] = (
    NotificationChannel.IN_APP,
    NotificationChannel.EMAIL,
)

#: The order channels are listed and delivered in.
_ORDER = {channel: position for position, channel in enumerate(NotificationChannel)}


def ordered(channels: Iterable[NotificationChannel]) -> tuple[NotificationChannel, ...]:
    """The channels without duplicates, in the enum's order."""
    return tuple(sorted(set(channels), key=_ORDER.__getitem__))


def encode(channels: Iterable[NotificationChannel]) -> str:
    """The stored form: names, comma-separated, in order (`EMAIL,IN_APP`; `` when muted)."""
    return ",".join(channel.value for channel in ordered(channels))


def decode(stored: str) -> tuple[NotificationChannel, ...]:
    """The channels of a stored preference (unknown names, from a later version, are skipped)."""
    names = {name for name in stored.split(",") if name}
    return ordered(NotificationChannel(n) for n in names if n in NotificationChannel.__members__)


@dataclass(frozen=True)
class EventPreference:
    """The channels one event type reaches a user on, and whether they are the default."""

    event_type: str
    channels: tuple[NotificationChannel, ...]
    is_default: bool


def effective(
    event_types: Iterable[str], stored: dict[str, PreferenceRow]
) -> list[EventPreference]:
    """The preference of every event type: the stored one, else the default."""
    result = []
    for event_type in event_types:
        row = stored.get(event_type)
        if row is None:
            result.append(EventPreference(event_type, ordered(DEFAULT_CHANNELS), True))
        else:
            result.append(EventPreference(event_type, decode(row.channels), False))
    return result
