"""The repositories subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.repositories.loaders import make_loaders
from subgraphs.repositories.models import RepositoriesBase
from subgraphs.repositories.schema import schema
from subgraphs.repositories.seed import seed_repositories
from subgraphs.repositories.settings import RepositoryServiceSettings

SUBGRAPH = Subgraph(
    name="repositories",
    metrics_prefix="repository_service",
    settings_cls=RepositoryServiceSettings,
    schema=schema,
    metadata=RepositoriesBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_repositories,
)


def create_app(settings: RepositoryServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.repositories.app:create_app`); no migration."""
    return create_service_app(SUBGRAPH, settings or load_settings(RepositoryServiceSettings))
