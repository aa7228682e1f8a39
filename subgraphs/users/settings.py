"""Settings of the users subgraph (`USER_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class UserServiceSettings(SubgraphSettings):
    """`USER_SERVICE_HOST`, `USER_SERVICE_PORT` (8081), `USER_SERVICE_DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="USER_SERVICE_")

    domain: ClassVar[str] = "users"
    default_db_name: ClassVar[str] = "userdb"

    port: int = Field(default=8081, ge=1, le=65535)
