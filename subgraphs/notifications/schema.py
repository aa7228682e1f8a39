"""The notifications subgraph's GraphQL schema: `Notification @key(fields: "id")`, preferences
and the `User` stub that gains `notifications`.

Resolvers call the service or the request's DataLoaders, never the database; the service holds
the rules of who reads what, for the caller the resolvers hand it (`info.context.identity`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, Page, PageInfo, page_request
from subgraphs.kit.schema import build_schema
from subgraphs.notifications.live import watch_notifications
from subgraphs.notifications.loaders import NotificationLoaders
from subgraphs.notifications.models import NotificationChannel, NotificationRow
from subgraphs.notifications.preferences import DEFAULT_CHANNELS, EventPreference
from subgraphs.notifications.service import NotificationService, UserPageKey, UserPreferences

NotificationsInfo = Info[RequestContext[NotificationLoaders], None]

# The domain enum itself becomes the GraphQL enum, so rows and resolvers share one type.
strawberry.enum(
    NotificationChannel,
    description="IN_APP is kept for the user to read; EMAIL, SMS and PUSH are sent.",
)


# No description: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=["id"])
class User:
    """The users subgraph's entity; this subgraph adds `notifications`."""

    id: strawberry.ID

    @strawberry.field(
        description="This user's notifications, newest first: every channel unless `channel` "
        "says which (IN_APP is the in-app inbox). For the user themselves, admins and "
        "services. Errors: UNAUTHENTICATED, FORBIDDEN (another user's)."
    )
    async def notifications(
        self,
        info: NotificationsInfo,
        unread_only: bool = False,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        channel: NotificationChannel | None = None,
    ) -> NotificationPage:
        request = page_request(page, page_size)
        user_id = parse_id(self.id)
        _service(info).require_may_read(user_id, self.id)
        if user_id is None:
            return NotificationPage.of(Page(items=[], request=request, total=0))
        key = UserPageKey(user_id, request, unread_only=unread_only, channel=channel)
        return NotificationPage.of(await info.context.loaders.user_page.load(key))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Any id: whether the user exists is for the users subgraph to say."""
        return cls(id=strawberry.ID(str(id)))


@strawberry.federation.type(
    keys=["id"], description="A message to one user on one channel, made from an event."
)
class Notification:
    """A stored notification."""

    id: strawberry.ID
    user_id: strawberry.Private[int]
    channel: NotificationChannel
    title: str
    body: str
    read: bool
    event_type: str = strawberry.field(description="The event that caused it (`order.created`).")
    created_at: datetime
    read_at: datetime | None

    @strawberry.field(
        description="Whom it is for (resolved by the users subgraph); null once deleted."
    )
    def user(self) -> User | None:
        # Nullable on purpose: a deleted user must not null the whole list in the answer.
        return User(id=strawberry.ID(format_id(self.user_id)))

    @classmethod
    def from_row(cls, row: NotificationRow) -> Notification:
        """The GraphQL view of a notification row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            user_id=row.user_id,
            channel=row.channel,
            title=row.title,
            body=row.body,
            read=row.read_at is not None,
            event_type=row.event_type,
            created_at=as_utc(row.created_at),
            read_at=as_utc(row.read_at) if row.read_at is not None else None,
        )

    @classmethod
    async def resolve_reference(
        cls, info: NotificationsInfo, id: strawberry.ID
    ) -> Notification | None:
        """The notification an `_entities` representation names; None when missing or not the
        caller's to see (its user, admins and services see it)."""
        row_id = parse_id(id)
        if row_id is None:
            return None
        row = _service(info).visible(await info.context.loaders.notification_by_id.load(row_id))
        return cls.from_row(row) if row is not None else None


def _service(info: NotificationsInfo) -> NotificationService:
    """The service acting for this request's caller."""
    return NotificationService(info.context.db, caller=info.context.identity)


@strawberry.type(description="A page of notifications.")
class NotificationPage:
    """Notifications of one page and where the page sits."""

    items: list[Notification]
    page_info: PageInfo

    @classmethod
    def of(cls, page: Page[NotificationRow]) -> NotificationPage:
        """The GraphQL view of a page of rows."""
        return cls(
            items=[Notification.from_row(row) for row in page.items], page_info=PageInfo.of(page)
        )


@strawberry.type(description="The channels one event type reaches a user on.")
class EventTypeChannels:
    """A user's channels for one event type."""

    event_type: str
    channels: list[NotificationChannel]
    is_default: bool = strawberry.field(
        description="True when the user has not chosen: the default channels apply."
    )

    @classmethod
    def of(cls, preference: EventPreference) -> EventTypeChannels:
        """The GraphQL view of a preference."""
        return cls(
            event_type=preference.event_type,
            channels=list(preference.channels),
            is_default=preference.is_default,
        )


_DEFAULT = " and ".join(channel.value for channel in DEFAULT_CHANNELS)


@strawberry.type(description=f"A user's channels per event type; a type never set uses {_DEFAULT}.")
class NotificationPreferences:
    """Every event type a user can be notified of, with its channels."""

    user: User | None
    event_types: list[EventTypeChannels]


@strawberry.input(description="The channels for one event type; an empty list mutes it.")
class EventTypeChannelsInput:
    """One event type's new channels."""

    event_type: str
    channels: list[NotificationChannel]


def _preferences(found: UserPreferences) -> NotificationPreferences:
    return NotificationPreferences(
        user=User(id=strawberry.ID(format_id(found.user_id))),
        event_types=[EventTypeChannels.of(preference) for preference in found.event_types],
    )


@strawberry.type
class Query:
    """Read notifications and preferences."""

    @strawberry.field(
        description="The caller's notifications, newest first: every channel unless `channel` "
        "says which (IN_APP is the in-app inbox). For signed-in users. "
        "Errors: UNAUTHENTICATED, FORBIDDEN (a token without a user)."
    )
    async def my_notifications(
        self,
        info: NotificationsInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        unread_only: bool = False,
        channel: NotificationChannel | None = None,
    ) -> NotificationPage:
        result = await _service(info).my_page(
            page=page, page_size=page_size, unread_only=unread_only, channel=channel
        )
        return NotificationPage.of(result)

    @strawberry.field(
        description="Every user's notifications, newest first. Admins and services only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (page arguments)."
    )
    async def notifications(
        self,
        info: NotificationsInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        user_id: strawberry.ID | None = None,
        unread_only: bool = False,
        channel: NotificationChannel | None = None,
    ) -> NotificationPage:
        result = await _service(info).list_page(
            page=page,
            page_size=page_size,
            user_id=user_id,
            unread_only=unread_only,
            channel=channel,
        )
        return NotificationPage.of(result)

    @strawberry.field(
        description="The caller's channels per event type. For signed-in users. "
        "Errors: UNAUTHENTICATED, FORBIDDEN (a token without a user)."
    )
    async def my_notification_preferences(self, info: NotificationsInfo) -> NotificationPreferences:
        return _preferences(await _service(info).preferences())


@strawberry.type
class Mutation:
    """Change notifications and preferences."""

    @strawberry.mutation(
        description="Mark one of the caller's notifications read; a second call keeps the first "
        "time. For its user (and admins). Errors: UNAUTHENTICATED, FORBIDDEN (a token without "
        "a user), NOT_FOUND (also for another user's notification)."
    )
    async def mark_notification_read(
        self, info: NotificationsInfo, id: strawberry.ID
    ) -> Notification:
        row = await _service(info).mark_read(id)
        return Notification.from_row(row)

    @strawberry.mutation(
        description="Set the caller's channels for the given event types; others keep theirs. "
        "For signed-in users. Errors: UNAUTHENTICATED, FORBIDDEN (a token without a user), "
        "VALIDATION_FAILED."
    )
    async def update_notification_preferences(
        self, info: NotificationsInfo, input: list[EventTypeChannelsInput]
    ) -> NotificationPreferences:
        found = await _service(info).update_preferences(
            [(entry.event_type, entry.channels) for entry in input]
        )
        return _preferences(found)


@strawberry.type
class Subscription:
    """Live notifications (graphql-transport-ws; through the gateway, or GraphQL over SSE)."""

    @strawberry.subscription(
        description="The caller's new in-app notifications (the inbox of myNotifications with "
        "channel IN_APP), each as it is stored. For signed-in users. Errors: UNAUTHENTICATED, "
        "FORBIDDEN (a token without a user)."
    )
    async def notification_added(
        self, info: NotificationsInfo
    ) -> AsyncGenerator[Notification, None]:
        async for row in watch_notifications(info.context):
            yield Notification.from_row(row)


schema = build_schema(query=Query, mutation=Mutation, subscription=Subscription, types=[User])
