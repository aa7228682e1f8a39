"""The orders subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventWiring
from subgraphs.orders.loaders import make_loaders
from subgraphs.orders.models import OrdersBase, outbox, processed_events
from subgraphs.orders.saga import SAGA_CONSUMER
from subgraphs.orders.schema import schema
from subgraphs.orders.seed import seed_orders
from subgraphs.orders.settings import OrderServiceSettings

SUBGRAPH = Subgraph(
    name="orders",
    metrics_prefix="order_service",
    settings_cls=OrderServiceSettings,
    schema=schema,
    metadata=OrdersBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_orders,
    events=EventWiring(outbox=outbox, processed=processed_events, consumers=(SAGA_CONSUMER,)),
)


def create_app(settings: OrderServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.orders.app:create_app`); no migration, no seed."""
    return create_service_app(SUBGRAPH, settings or load_settings(OrderServiceSettings))
