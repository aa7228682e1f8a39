"""Notifications over REST, each endpoint one operation of the notifications subgraph:

`GET /api/v1/notifications` (the caller's; with `user_id` a user's, for admins and services),
`PUT /api/v1/notifications/{id}/read`, `POST /api/v1/notifications/subscribe` (the caller's
channels per event type) and its read side `GET /api/v1/notifications/preferences`.

Notifications are made from events (an order placed, a payment received): there is no endpoint
to send one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.rest.case import graph_input, reference_as_id
from gateway.rest.schemas import WITH_BODY, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    MAX_ID,
    Lowered,
    PageNumber,
    PageSize,
    PathId,
    graph_id,
    page_variables,
)

NOTIFICATIONS_PATH = "/api/v1/notifications"
Channel = Literal["email", "sms", "push", "in_app"]
_CHANNELS = len(get_args(Channel))
#: More event types than any client names at once (the subgraph knows a handful).
MAX_PREFERENCES = 50


def _user_id(value: Any) -> Any:
    """`user { id }` of the graph as `user_id` (null when the user is deleted)."""
    return reference_as_id(value, "user", "user_id")


class Notification(BaseModel):
    """A message to one user on one channel, made from an event."""

    id: int = Field(examples=[1])
    user_id: int | None = Field(
        description="Whom it is for; null once the user is deleted.", examples=[1]
    )
    channel: Annotated[Channel, Lowered] = Field(
        description="in_app is kept for the user to read; email, sms and push are sent."
    )
    title: str = Field(examples=["Order #12 placed"])
    body: str
    read: bool
    event_type: str = Field(description="The event that caused it.", examples=["order.created"])
    created_at: datetime
    read_at: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _user(cls, value: Any) -> Any:
        return _user_id(value)


class EventTypeChannels(BaseModel):
    """The channels one event type reaches the user on."""

    event_type: str = Field(examples=["order.created"])
    channels: list[Annotated[Channel, Lowered]] = Field(examples=[["email", "in_app"]])
    is_default: bool = Field(description="True when the user has not chosen: defaults apply.")


class Preferences(BaseModel):
    """A user's channels per event type; a type never set uses in_app and email."""

    user_id: int | None = Field(examples=[1])
    event_types: list[EventTypeChannels]

    @model_validator(mode="before")
    @classmethod
    def _user(cls, value: Any) -> Any:
        return _user_id(value)


class Preference(BaseModel):
    """The channels for one event type; an empty list mutes it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    event_type: str = Field(
        min_length=1,
        max_length=100,
        description="An event type notifications are made of (`order.created`, "
        "`order.status_changed`, `payment.succeeded`, `payment.failed`, `payment.refunded`).",
        examples=["order.created"],
    )
    channels: list[Channel] = Field(max_length=_CHANNELS, examples=[["email", "in_app"]])


class Subscription(BaseModel):
    """The caller's new channels for the event types given; others keep theirs."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "preferences": [
                        {"event_type": "order.created", "channels": ["email", "in_app"]},
                        {"event_type": "payment.failed", "channels": []},
                    ]
                }
            ]
        },
    )

    preferences: list[Preference] = Field(min_length=1, max_length=MAX_PREFERENCES)


_NOTIFICATION = "{ id channel title body read eventType createdAt readAt user { id } }"
_PAGE = f"{{ items {_NOTIFICATION} pageInfo {{ page pageSize totalPages totalCount }} }}"
_PREFERENCES = "{ user { id } eventTypes { eventType channels isDefault } }"
MINE = Operation(
    "MyNotifications",
    "query MyNotifications($page: Int!, $pageSize: Int!, $unreadOnly: Boolean!,"
    " $channel: NotificationChannel) { myNotifications(page: $page, pageSize: $pageSize,"
    f" unreadOnly: $unreadOnly, channel: $channel) {_PAGE} }}",
    "myNotifications",
)
BY_USER = Operation(
    "Notifications",
    "query Notifications($page: Int!, $pageSize: Int!, $userId: ID, $unreadOnly: Boolean!,"
    " $channel: NotificationChannel) { notifications(page: $page, pageSize: $pageSize,"
    f" userId: $userId, unreadOnly: $unreadOnly, channel: $channel) {_PAGE} }}",
    "notifications",
)
MARK_READ = Operation(
    "MarkNotificationRead",
    f"mutation MarkNotificationRead($id: ID!) {{ markNotificationRead(id: $id) {_NOTIFICATION} }}",
    "markNotificationRead",
)
SUBSCRIBE = Operation(
    "UpdateNotificationPreferences",
    "mutation UpdateNotificationPreferences($input: [EventTypeChannelsInput!]!) {"
    f" updateNotificationPreferences(input: $input) {_PREFERENCES} }}",
    "updateNotificationPreferences",
)
PREFERENCES = Operation(
    "MyNotificationPreferences",
    f"query MyNotificationPreferences {{ myNotificationPreferences {_PREFERENCES} }}",
    "myNotificationPreferences",
)


def notifications_router(shim: Shim) -> APIRouter:
    """The notification endpoints."""
    router = APIRouter(prefix=NOTIFICATIONS_PATH, tags=["notifications"])

    @router.get(
        "",
        operation_id="listNotifications",
        summary="The signed-in user's notifications, newest first; with user_id that user's "
        "(admins and services)",
        responses=responses(Many[Notification]),
    )
    async def list_notifications(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        unread_only: Annotated[bool, Query(description="Only the unread ones.")] = False,
        channel: Annotated[
            Channel | None, Query(description="One channel (in_app is the in-app inbox).")
        ] = None,
        user_id: Annotated[
            int | None,
            Query(
                ge=1,
                le=MAX_ID,
                description="Whose notifications: admins and services only (a user is "
                "refused with 403 even for their own id; leave it out for your own).",
            ),
        ] = None,
    ) -> JSONResponse:
        variables = page_variables(
            page,
            page_size,
            unreadOnly=unread_only,
            channel=channel.upper() if channel is not None else None,
        )
        if user_id is None:
            return await shim.page(request, MINE, variables, Notification)
        variables["userId"] = graph_id(user_id)
        return await shim.page(request, BY_USER, variables, Notification)

    @router.put(
        "/{notification_id:int}/read",
        operation_id="markNotificationRead",
        summary="Mark one of your notifications read; a second call keeps the first time",
        responses=responses(One[Notification], errors=(404,)),
    )
    async def mark_read(request: Request, notification_id: PathId) -> JSONResponse:
        return await shim.one(request, MARK_READ, {"id": graph_id(notification_id)}, Notification)

    @router.post(
        "/subscribe",
        operation_id="subscribeNotifications",
        summary="Choose the channels each event type reaches you on (signed-in users)",
        responses=responses(One[Preferences], errors=WITH_BODY),
    )
    async def subscribe(request: Request, body: Subscription) -> JSONResponse:
        variables = {"input": graph_input(body, enums=("channels",))["preferences"]}
        return await shim.one(request, SUBSCRIBE, variables, Preferences)

    @router.get(
        "/preferences",
        operation_id="myNotificationPreferences",
        summary="Your channels per event type (signed-in users)",
        responses=responses(One[Preferences]),
    )
    async def preferences(request: Request) -> JSONResponse:
        return await shim.one(request, PREFERENCES, None, Preferences)

    return router
