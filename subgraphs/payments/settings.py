"""Settings of the payments subgraph (`PAYMENT_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class PaymentServiceSettings(SubgraphSettings):
    """`PAYMENT_SERVICE_HOST`, `PAYMENT_SERVICE_PORT` (8084), `PAYMENT_SERVICE_DB_URL`, ..."""

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="PAYMENT_SERVICE_")

    domain: ClassVar[str] = "payments"
    default_db_name: ClassVar[str] = "paymentdb"

    port: int = Field(default=8084, ge=1, le=65535)
