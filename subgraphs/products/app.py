"""The products subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventWiring
from subgraphs.products.inventory import INVENTORY_CONSUMER
from subgraphs.products.loaders import make_loaders
from subgraphs.products.models import ProductsBase, outbox, processed_events
from subgraphs.products.schema import schema
from subgraphs.products.seed import seed_products
from subgraphs.products.settings import ProductServiceSettings

SUBGRAPH = Subgraph(
    name="products",
    metrics_prefix="product_service",
    settings_cls=ProductServiceSettings,
    schema=schema,
    metadata=ProductsBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_products,
    events=EventWiring(outbox=outbox, processed=processed_events, consumers=(INVENTORY_CONSUMER,)),
)


def create_app(settings: ProductServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.products.app:create_app`); no migration."""
    return create_service_app(SUBGRAPH, settings or load_settings(ProductServiceSettings))
