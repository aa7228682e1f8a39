"""Notification rules: listing, marking read, preferences; one transaction per change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.errors import NotFound
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, Identity
from subgraphs.kit.ids import parse_id
from subgraphs.kit.pagination import Page, PageRequest, page_request
from subgraphs.notifications import preferences, repository
from subgraphs.notifications.messages import EVENT_TYPES
from subgraphs.notifications.models import NotificationChannel, NotificationRow, PreferenceRow
from subgraphs.notifications.preferences import EventPreference
from subgraphs.notifications.repository import NotificationFilter
from subgraphs.notifications.validation import clean_preferences


@dataclass(frozen=True)
class UserPageKey:
    """One user's page of notifications, as `User.notifications` asks for it (a loader key)."""

    user_id: int
    request: PageRequest
    unread_only: bool = False
    channel: NotificationChannel | None = None


def not_found(notification_id: object) -> NotFound:
    """The error for an id that names no notification (of the caller)."""
    return NotFound(f"No notification with id {notification_id!s}.", field="id")


class NotificationService:
    """What the schema may do with notifications, over the request's session."""

    def __init__(self, db: RequestDb, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def get_many(self, notification_ids: Sequence[int]) -> list[NotificationRow | None]:
        """Notifications in the order of `notification_ids` (None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(notification_ids)))
        return [found.get(notification_id) for notification_id in notification_ids]

    async def user_pages(self, keys: Sequence[UserPageKey]) -> list[Page[NotificationRow]]:
        """Each key's page; keys that differ only by user share two queries."""
        pages: dict[UserPageKey, Page[NotificationRow]] = {}
        groups: dict[tuple[PageRequest, bool, NotificationChannel | None], set[int]] = {}
        for key in keys:
            groups.setdefault((key.request, key.unread_only, key.channel), set()).add(key.user_id)
        async with self.db.read() as session:
            for (request, unread_only, channel), user_ids in groups.items():
                found = await repository.pages_by_users(
                    session, sorted(user_ids), request, unread_only=unread_only, channel=channel
                )
                for user_id, page in found.items():
                    pages[UserPageKey(user_id, request, unread_only, channel)] = page
        return [pages[key] for key in keys]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        user_id: object | None = None,
        unread_only: bool = False,
        channel: NotificationChannel | None = None,
    ) -> Page[NotificationRow]:
        """A page of notifications, newest first, filtered by user, unread and channel."""
        request = page_request(page, page_size)
        row_user_id = None if user_id is None else parse_id(user_id)
        if user_id is not None and row_user_id is None:
            # No user has a malformed id, so no notification matches.
            return Page(items=[], request=request, total=0)
        where = NotificationFilter(user_id=row_user_id, unread_only=unread_only, channel=channel)
        async with self.db.read() as session:
            return await repository.list_page(session, request, where)

    async def mark_read(self, notification_id: object, caller: Identity | None) -> NotificationRow:
        """Mark a notification read (once: a second call keeps the first time).

        With a caller, only the owner (or an admin) may; others get NOT_FOUND, as if it did not
        exist. Without one (until identity reaches subgraphs) anyone may.
        """
        row_id = parse_id(notification_id)
        if row_id is None:
            raise not_found(notification_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None or not _may_touch(caller, row):
                raise not_found(notification_id)
            if row.read_at is None:
                row.read_at = self.clock()
        return row

    async def preferences(self, user_id: int) -> list[EventPreference]:
        """The user's channels for every event type (the default where not set)."""
        async with self.db.read() as session:
            stored = await repository.preferences_of(session, user_id)
        return preferences.effective(EVENT_TYPES, stored)

    async def update_preferences(
        self, user_id: int, entries: Sequence[tuple[str, Sequence[NotificationChannel]]]
    ) -> list[EventPreference]:
        """Set the channels of the given event types; the others keep theirs."""
        clean = clean_preferences(entries)
        now = self.clock()
        async with self.db.write() as session:
            for event_type, channels in clean:
                row = await repository.preference(session, user_id, event_type)
                if row is None:
                    row = PreferenceRow(user_id=user_id, event_type=event_type)
                    repository.add_preference(session, row)
                row.channels = preferences.encode(channels)
                row.updated_at = now
            await session.flush()
            stored = await repository.preferences_of(session, user_id)
        return preferences.effective(EVENT_TYPES, stored)


def _may_touch(caller: Identity | None, row: NotificationRow) -> bool:
    if caller is None or caller.has_role(ADMIN):
        return True
    return caller.user_id == row.user_id
