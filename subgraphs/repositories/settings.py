"""Settings of the repositories subgraph (`REPOSITORY_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class RepositoryServiceSettings(SubgraphSettings):
    """`REPOSITORY_SERVICE_HOST`, `REPOSITORY_SERVICE_PORT` (8083), `REPOSITORY_SERVICE_DB_URL`."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="REPOSITORY_SERVICE_")

    domain: ClassVar[str] = "repositories"
    default_db_name: ClassVar[str] = "repositorydb"

    port: int = Field(default=8083, ge=1, le=65535)
