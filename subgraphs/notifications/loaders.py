"""The request's DataLoaders: lookups by id, and users' pages of notifications, batched."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.kit.pagination import Page
from subgraphs.notifications.models import NotificationRow
from subgraphs.notifications.service import NotificationService, UserPageKey


@dataclass(frozen=True)
class NotificationLoaders:
    """DataLoaders of one request."""

    #: Notifications by id; None for a missing one.
    notification_by_id: DataLoader[int, NotificationRow | None]
    #: A page of a user's notifications (User.notifications), two queries per batch.
    user_page: DataLoader[UserPageKey, Page[NotificationRow]]


def make_loaders(db: RequestDb) -> NotificationLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = NotificationService(db)
    return NotificationLoaders(
        notification_by_id=DataLoader(load_fn=service.get_many),
        user_page=DataLoader(load_fn=service.user_pages),
    )
