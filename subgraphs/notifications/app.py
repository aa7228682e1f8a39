"""The notifications subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventWiring
from subgraphs.notifications.consumer import consumer_spec
from subgraphs.notifications.deliveries import DeliveryDispatcher
from subgraphs.notifications.loaders import make_loaders
from subgraphs.notifications.models import NotificationsBase, outbox, processed_events
from subgraphs.notifications.schema import schema
from subgraphs.notifications.seed import seed_notifications
from subgraphs.notifications.settings import NotificationServiceSettings

SUBGRAPH = Subgraph(
    name="notifications",
    metrics_prefix="notification_service",
    settings_cls=NotificationServiceSettings,
    schema=schema,
    metadata=NotificationsBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_notifications,
    # Publishes `notification.created` (for live subscriptions); consumes order and payment
    # events; sends what the consumer stored.
    events=EventWiring(
        outbox=outbox,
        processed=processed_events,
        consumers=(consumer_spec(),),
        workers=(DeliveryDispatcher(),),
    ),
)


def create_app(settings: NotificationServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.notifications.app:create_app`)."""
    return create_service_app(SUBGRAPH, settings or load_settings(NotificationServiceSettings))
