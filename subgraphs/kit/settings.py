"""Settings every subgraph has beyond `common.settings.ServiceSettings`."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationInfo, field_validator

from common.settings import Environment, ServiceSettings


def refuse_in_production(value: Path | None, info: ValidationInfo) -> Path | None:
    """A test hook's flag file, refused when `*_ENV=production`: no production path may pause."""
    if value is not None and info.data.get("env") == "production":
        raise ValueError("a test hook; unset it in production")
    return value


class SubgraphSettings(ServiceSettings):
    """ServiceSettings plus `*_ENV`, which turns GraphiQL off outside development, and the
    crash tests' hook (`subgraphs.kit.test_hooks`)."""

    env: Environment = "development"
    #: Tests only: while this file exists, /graphql answers are held after the operation ran.
    test_hold_answer_file: Path | None = None

    _no_hook_in_production = field_validator("test_hold_answer_file")(refuse_in_production)

    @property
    def development(self) -> bool:
        """True when `*_ENV=development` (the default): GraphiQL is served at /graphql."""
        return self.env == "development"
