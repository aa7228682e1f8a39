"""The users subgraph as the kit runs it, and its ASGI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from common.settings import load_settings
from subgraphs.kit.app import create_service_app
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventWiring
from subgraphs.users.config import SessionPolicy, use_policy
from subgraphs.users.loaders import make_loaders
from subgraphs.users.models import UsersBase, outbox
from subgraphs.users.schema import schema
from subgraphs.users.seed import seed_users
from subgraphs.users.settings import UserServiceSettings

SUBGRAPH = Subgraph(
    name="users",
    metrics_prefix="user_service",
    settings_cls=UserServiceSettings,
    schema=schema,
    metadata=UsersBase.metadata,
    migrations=Path(__file__).parent / "migrations",
    make_loaders=make_loaders,
    seed=seed_users,
    events=EventWiring(outbox=outbox),
)


def create_app(settings: UserServiceSettings | None = None) -> FastAPI:
    """The ASGI app (`uvicorn --factory subgraphs.users.app:create_app`); no migration, no seed.

    Sign-in uses these settings (the CLI's `serve` loads the same ones on first use).
    """
    settings = settings or load_settings(UserServiceSettings)
    use_policy(SessionPolicy.from_settings(settings))
    return create_service_app(SUBGRAPH, settings)
