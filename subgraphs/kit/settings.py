"""Settings every subgraph has beyond `common.settings.ServiceSettings`."""

from __future__ import annotations

from common.settings import Environment, ServiceSettings


class SubgraphSettings(ServiceSettings):
    """ServiceSettings plus `*_ENV`, which turns GraphiQL off outside development."""

    env: Environment = "development"

    @property
    def development(self) -> bool:
        """True when `*_ENV=development` (the default): GraphiQL is served at /graphql."""
        return self.env == "development"
