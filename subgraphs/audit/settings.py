"""Settings of the audit subgraph (`AUDIT_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class AuditServiceSettings(SubgraphSettings):
    """`AUDIT_SERVICE_HOST`, `AUDIT_SERVICE_PORT` (8087), `AUDIT_SERVICE_DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="AUDIT_SERVICE_")

    domain: ClassVar[str] = "audit"
    default_db_name: ClassVar[str] = "auditdb"

    port: int = Field(default=8087, ge=1, le=65535)
