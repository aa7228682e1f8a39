"""Notification rules: who reads what, listing, marking read, preferences; one transaction per
change.

A service acts for one caller (`Identity`, or None for an anonymous one):
- the caller's own notifications and preferences (`my_page`, `preferences`,
  `update_preferences`) need a signed-in user: UNAUTHENTICATED without a caller, FORBIDDEN for
  a token without a user (a service's);
- every user's notifications (`list_page`) need the admin or service role;
- one user's notifications (`User.notifications`) are for that user, admins and services;
- a notification (by id, as an entity) shows to its user, admins and services; to anyone else
  it is missing;
- marking one read is for its user (and admins): another user's answers NOT_FOUND, as if it did
  not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.errors import Forbidden, NotFound, Unauthenticated
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import (
    ADMIN,
    SERVICE,
    Identity,
    caller_user_id,
    caller_with_role,
    is_privileged,
)
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


@dataclass(frozen=True)
class UserPreferences:
    """One user's channels for every event type."""

    user_id: int
    event_types: list[EventPreference]


def not_found(notification_id: object) -> NotFound:
    """The error for an id that names no notification (of the caller)."""
    return NotFound(f"No notification with id {notification_id!s}.", field="id")


def require_user(caller: Identity | None, doing: str) -> int:
    """The signed-in user's id; UNAUTHENTICATED without a caller, FORBIDDEN for a token that
    stands for no user (a service's)."""
    return caller_user_id(caller, doing)


def require_privileged(caller: Identity | None, doing: str) -> Identity:
    """The caller when an admin or a service; UNAUTHENTICATED without one, else FORBIDDEN."""
    return caller_with_role(
        caller, ADMIN, SERVICE, doing=doing, hint="your own notifications are in myNotifications."
    )


class NotificationService:
    """What `caller` (None: an anonymous caller) may do with notifications, over the request's
    session. The loader methods (`get_many`, `user_pages`) read for every caller alike: their
    results go through `visible` / `require_may_read` before a caller sees them."""

    def __init__(
        self, db: RequestDb, *, caller: Identity | None = None, clock: Clock = utc_now
    ) -> None:
        self.db = db
        self.caller = caller
        self.clock = clock

    def visible(self, row: NotificationRow | None) -> NotificationRow | None:
        """`row` when the caller may read it (its user, admins, services), else None."""
        if row is None or not (is_privileged(self.caller) or _owns(self.caller, row)):
            return None
        return row

    def require_may_read(self, user_id: int | None, given_id: object) -> None:
        """Refuse to show a user's notifications (`user_id`, None for a malformed `given_id`)
        to anyone but them, admins and services."""
        caller = self.caller
        if caller is None:
            raise Unauthenticated(
                "Sign in first: a user's notifications are for that user, admins and services."
            )
        if not is_privileged(caller) and (user_id is None or caller.user_id != user_id):
            raise Forbidden(
                f"The notifications of user {given_id!s} are for that user, admins and services "
                f"(role {ADMIN} or {SERVICE}); your own are in myNotifications."
            )

    async def get_many(self, notification_ids: Sequence[int]) -> list[NotificationRow | None]:
        """Notifications in the order of `notification_ids` (None where missing), in one query.

        Not filtered by caller (a request's loaders are shared by its resolvers)."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(notification_ids)))
        return [found.get(notification_id) for notification_id in notification_ids]

    async def user_pages(self, keys: Sequence[UserPageKey]) -> list[Page[NotificationRow]]:
        """Each key's page; keys that differ only by user share two queries.

        Not filtered by caller (a request's loaders are shared by its resolvers)."""
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
        """A page of every user's notifications, newest first, filtered by user, unread and
        channel. Admins and services only (UNAUTHENTICATED, FORBIDDEN)."""
        require_privileged(self.caller, "listing every user's notifications")
        return await self._page(page, page_size, user_id, unread_only, channel)

    async def my_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        unread_only: bool = False,
        channel: NotificationChannel | None = None,
    ) -> Page[NotificationRow]:
        """A page of the caller's notifications, newest first (UNAUTHENTICATED, FORBIDDEN)."""
        user_id = require_user(self.caller, "reading your notifications")
        return await self._page(page, page_size, user_id, unread_only, channel)

    async def _page(
        self,
        page: int,
        page_size: int,
        user_id: object | None,
        unread_only: bool,
        channel: NotificationChannel | None,
    ) -> Page[NotificationRow]:
        request = page_request(page, page_size)
        row_user_id = None if user_id is None else parse_id(user_id)
        if user_id is not None and row_user_id is None:
            # No user has a malformed id, so no notification matches.
            return Page(items=[], request=request, total=0)
        where = NotificationFilter(user_id=row_user_id, unread_only=unread_only, channel=channel)
        async with self.db.read() as session:
            return await repository.list_page(session, request, where)

    async def mark_read(self, notification_id: object) -> NotificationRow:
        """Mark a notification read (once: a second call keeps the first time).

        Only its user (or an admin) may: another user gets NOT_FOUND, as if it did not exist;
        UNAUTHENTICATED without a caller, FORBIDDEN for a token without a user (a service's).
        """
        caller = self.caller
        if caller is None or not caller.has_role(ADMIN):
            require_user(caller, "marking a notification read")
        row_id = parse_id(notification_id)
        if row_id is None:
            raise not_found(notification_id)
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None or not (caller is not None and (caller.is_admin or _owns(caller, row))):
                raise not_found(notification_id)
            if row.read_at is None:
                row.read_at = self.clock()
        return row

    async def preferences(self) -> UserPreferences:
        """The caller's channels for every event type (the default where not set)."""
        user_id = require_user(self.caller, "reading your notification preferences")
        async with self.db.read() as session:
            stored = await repository.preferences_of(session, user_id)
        return UserPreferences(user_id, preferences.effective(EVENT_TYPES, stored))

    async def update_preferences(
        self, entries: Sequence[tuple[str, Sequence[NotificationChannel]]]
    ) -> UserPreferences:
        """Set the caller's channels of the given event types; the others keep theirs."""
        user_id = require_user(self.caller, "changing your notification preferences")
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
        return UserPreferences(user_id, preferences.effective(EVENT_TYPES, stored))


def _owns(caller: Identity | None, row: NotificationRow) -> bool:
    return caller is not None and caller.user_id is not None and caller.user_id == row.user_id
