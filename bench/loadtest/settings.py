"""`make loadtest` settings from the environment (LOADTEST_*), each checked with a clear error."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from devstack.stack import Subgraph


class SettingsError(ValueError):
    """A LOADTEST_* variable is not usable; the message names it and says what is expected."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise SettingsError(f"{name} must be a whole number of at least {minimum} (got {raw!r})")
    return int(raw)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false (got {raw!r})")


@dataclass(frozen=True)
class LoadSettings:
    users: int = 40
    spawn_rate: int = 4
    seconds: int = 60
    shoppers: int = 40
    products: int = 60
    #: empty: start a stack of the load test's own; else the gateway URL of a running one
    target: str = ""
    postgres_dsn: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    redis: bool = True
    #: LOADTEST_REDIS=true (not merely left unset): no Redis is an error, not a fallback
    redis_required: bool = False
    redis_url: str = "redis://127.0.0.1:6379/0"
    admin_password: str = ""
    metrics_token: str | None = None
    env: Mapping[str, str] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LoadSettings:
        env = dict(os.environ if env is None else env)
        users = _int(env, "LOADTEST_USERS", 40, 1)
        settings = cls(
            users=users,
            spawn_rate=_int(env, "LOADTEST_SPAWN_RATE", 4, 1),
            seconds=_int(env, "LOADTEST_SECONDS", 60, 5),
            # Every simulated shopper signs in as an account of its own.
            shoppers=max(users, _int(env, "LOADTEST_SHOPPERS", users, 1)),
            products=_int(env, "LOADTEST_PRODUCTS", 60, 1),
            target=env.get("LOADTEST_TARGET", "").strip(),
            postgres_dsn=env.get("LOADTEST_POSTGRES_DSN", "").strip() or cls.postgres_dsn,
            redis=_bool(env, "LOADTEST_REDIS", True),
            redis_required=env.get("LOADTEST_REDIS", "").strip().lower() in ("1", "true", "yes"),
            redis_url=env.get("LOADTEST_REDIS_URL", "").strip() or cls.redis_url,
            admin_password=env.get("USER_SERVICE_SEED_ADMIN_PASSWORD", ""),
            metrics_token=env.get("GATEWAY_METRICS_TOKEN") or None,
            env=env,
        )
        if settings.target and not settings.target.startswith(("http://", "https://")):
            raise SettingsError(
                f"LOADTEST_TARGET must be the gateway's URL, e.g. http://127.0.0.1:4000 "
                f"(got {settings.target!r})"
            )
        return settings

    def port_of(self, subgraph: Subgraph) -> int:
        """A running stack's subgraph port: `<PREFIX>PORT` as `make run` reads it, else the
        default."""
        raw = (self.env or {}).get(f"{subgraph.env_prefix}PORT", "")
        return int(raw) if raw.isdigit() else subgraph.default_port
