"""Settings of the notifications subgraph (`NOTIFICATION_SERVICE_*`)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings, refuse_in_production


class NotificationServiceSettings(SubgraphSettings):
    """`NOTIFICATION_SERVICE_HOST`, `NOTIFICATION_SERVICE_PORT` (8086), `..._DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_SERVICE_")

    domain: ClassVar[str] = "notifications"
    default_db_name: ClassVar[str] = "notificationdb"

    port: int = Field(default=8086, ge=1, le=65535)
    #: Tests only: while this file exists, the sender holds after an external send, before the
    #: send is recorded (`subgraphs.kit.test_hooks`).
    test_hold_after_send_file: Path | None = None

    _no_send_hook_in_production = field_validator("test_hold_after_send_file")(refuse_in_production)
