"""The payments subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import ConsumerSpec, EventWiring
from subgraphs.payments.loaders import make_loaders
from subgraphs.payments.models import PaymentsBase, outbox, processed_events
from subgraphs.payments.read_model import ORDER_EVENTS, apply_order_event
from subgraphs.payments.schema import schema
from subgraphs.payments.seed import seed_payments
from subgraphs.payments.settings import PaymentServiceSettings

SUBGRAPH = Subgraph(
    name="payments",
    metrics_prefix="payment_service",
    settings_cls=PaymentServiceSettings,
    schema=schema,
    metadata=PaymentsBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_payments,
    events=EventWiring(
        outbox=outbox,
        processed=processed_events,
        consumers=(ConsumerSpec(group="payments", types=ORDER_EVENTS, handler=apply_order_event),),
    ),
)


def create_app(settings: PaymentServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.payments.app:create_app`); no migration."""
    return create_service_app(SUBGRAPH, settings or load_settings(PaymentServiceSettings))
