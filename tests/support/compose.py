"""Reading docker-compose.yml as `docker compose` would, without a Docker engine: YAML (with
its merge keys) and the Compose specification's variable interpolation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from devstack.processes import ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
#: The secrets compose must refuse to start without; none may have a default in the file.
SECRETS = (
    "POSTGRES_PASSWORD",
    "REDIS_PASSWORD",
    "AUTH_JWT_SECRET",
    "AUTH_INTERNAL_SECRET",
    "AUTH_CLIENT_SECRET",
    "GATEWAY_METRICS_TOKEN",
    "GRAFANA_ADMIN_PASSWORD",
)
#: An environment with every secret set, as a filled-in .env would give.
SECRETS_SET = {name: f"test-{name.lower()}-value-0123456789abcdef" for name in SECRETS}
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(Exception):
    """A `${NAME:?message}` whose variable is unset (compose refuses to start)."""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """`text` with `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`,
    `${NAME?error}` and `$$` resolved as the Compose specification says."""

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("name") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        value = env.get(name)
        unset = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-") and unset:
            return interpolate(arg, env)
        if op in (":?", "?") and unset:
            raise MissingVariable(f"{name}: {arg}")
        return value or ""

    return _VARIABLE.sub(replace, text)


def _resolve(value: Any, env: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return interpolate(value, env)
    if isinstance(value, list):
        return [_resolve(item, env) for item in value]
    if isinstance(value, dict):
        return {key: _resolve(item, env) for key, item in value.items()}
    return value


def raw_compose() -> dict[str, Any]:
    """docker-compose.yml parsed, merge keys applied, variables left as written."""
    return dict(yaml.safe_load(COMPOSE_FILE.read_text()))


def compose(env: Mapping[str, str]) -> dict[str, Any]:
    """docker-compose.yml as compose sees it with `env` (the shell and .env); `MissingVariable`
    when a required variable is unset."""
    return dict(_resolve(raw_compose(), env))


def environment_of(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's `environment:` as a mapping (compose also allows a list of NAME=value)."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}
