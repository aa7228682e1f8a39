"""Settings of the orders subgraph (`ORDER_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class OrderServiceSettings(SubgraphSettings):
    """`ORDER_SERVICE_HOST`, `ORDER_SERVICE_PORT` (8082), `ORDER_SERVICE_DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="ORDER_SERVICE_")

    domain: ClassVar[str] = "orders"
    default_db_name: ClassVar[str] = "orderdb"

    port: int = Field(default=8082, ge=1, le=65535)
