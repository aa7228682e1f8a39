"""The audit subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.audit.consumer import consumer_spec
from subgraphs.audit.loaders import make_loaders
from subgraphs.audit.models import AuditBase, processed_events
from subgraphs.audit.schema import schema
from subgraphs.audit.seed import seed_audit
from subgraphs.audit.settings import AuditServiceSettings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventWiring

SUBGRAPH = Subgraph(
    name="audit",
    metrics_prefix="audit_service",
    settings_cls=AuditServiceSettings,
    schema=schema,
    metadata=AuditBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_audit,
    # Publishes nothing; records every event.
    events=EventWiring(processed=processed_events, consumers=(consumer_spec(),)),
)


def create_app(settings: AuditServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.audit.app:create_app`); no migration, no seed."""
    return create_service_app(SUBGRAPH, settings or load_settings(AuditServiceSettings))
