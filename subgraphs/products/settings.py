"""Settings of the products subgraph (`PRODUCT_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class ProductServiceSettings(SubgraphSettings):
    """`PRODUCT_SERVICE_HOST`, `PRODUCT_SERVICE_PORT` (8085), `PRODUCT_SERVICE_DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="PRODUCT_SERVICE_")

    domain: ClassVar[str] = "products"
    default_db_name: ClassVar[str] = "productdb"

    port: int = Field(default=8085, ge=1, le=65535)
