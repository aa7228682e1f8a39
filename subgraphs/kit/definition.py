"""What a domain plugs into the shared app and CLI: its schema, tables, migrations, seed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import EventWiring
from subgraphs.kit.schema import ServiceSchema
from subgraphs.kit.settings import SubgraphSettings


@dataclass(frozen=True)
class Subgraph:
    """One domain subgraph as the kit sees it."""

    #: Domain name (`users`): the CLI program, the log `service` field, `/health`'s `service`.
    name: str
    #: Prometheus metric prefix, as the original docs name it (`user_service`).
    metrics_prefix: str
    settings_cls: type[SubgraphSettings]
    schema: ServiceSchema
    metadata: MetaData
    #: The Alembic script folder (holding env.py and versions/).
    migrations: Path
    #: Builds the request's DataLoaders over the request's session.
    make_loaders: Callable[[RequestDb], Any]
    #: Inserts demo rows into empty tables and returns how many rows it inserted.
    seed: Callable[[AsyncSession], Awaitable[int]]
    #: The outbox it publishes through and the consumers it runs (none by default).
    events: EventWiring = field(default_factory=EventWiring)
