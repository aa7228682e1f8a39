"""Typed settings from the environment (and `.env`), with the variable names of the original docs.

Each service has a prefix (`USER_SERVICE_`, `ORDER_SERVICE_`, `GATEWAY_`). A bad value stops
start-up with a `ConfigurationError` that names the variable and says what is expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar
from urllib.parse import quote

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.db import database_url_problem
from common.errors import ConfigurationError

LogLevel = Literal["debug", "info", "warning", "warn", "error", "critical"]
Environment = Literal["development", "production", "test"]

#: The least length of a secret or bearer token accepted in production. RFC 7518 section 3.2:
#: an HS256 key must be at least as long as the hash output (256 bits).
MIN_SECRET_BYTES = 32
#: Where SQLite databases live by default, relative to the working directory.
DEFAULT_DATA_DIR = Path("var")


class ServiceSettings(BaseSettings):
    """Settings every subgraph service has, under its own prefix (e.g. `USER_SERVICE_PORT`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    #: Short name of the domain (`users`); used for the SQLite file name and logs.
    domain: ClassVar[str] = "service"
    #: Default database name on PostgreSQL, as the original docs have it (`userdb`).
    default_db_name: ClassVar[str] = "servicedb"

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    log_level: LogLevel = "info"
    db_url: str | None = None
    db_host: str | None = None
    db_port: int = Field(default=5432, ge=1, le=65535)
    db_user: str = "postgres"
    db_password: str = ""
    db_name: str | None = None
    db_pool_size: int = Field(default=5, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    db_echo: bool = False
    seed: bool = True

    @property
    def database_url(self) -> str:
        """The SQLAlchemy async URL: `*_DB_URL`, else PostgreSQL from `*_DB_HOST`, else SQLite."""
        if self.db_url:
            return self.db_url
        if self.db_host:
            user = quote(self.db_user, safe="")
            password = f":{quote(self.db_password, safe='')}" if self.db_password else ""
            name = self.db_name or self.default_db_name
            return f"postgresql+asyncpg://{user}{password}@{self.db_host}:{self.db_port}/{name}"
        return f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / f'{self.domain}.db'}"


class GatewaySettings(BaseSettings):
    """Settings of the gateway (`GATEWAY_*`) and of its circuit breakers (`CIRCUIT_BREAKER_*`)."""

    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_",
        env_file=".env",
        extra="ignore",
        case_sensitive=False,
        populate_by_name=True,
    )

    host: str = "127.0.0.1"
    port: int = Field(default=4000, ge=1, le=65535)
    env: Environment = "development"
    log_level: LogLevel = "info"
    supergraph_path: Path = Path("schema/supergraph.graphql")
    #: seconds between checks of the supergraph file for a new version; 0 turns watching off
    supergraph_poll_interval: float = Field(default=5.0, ge=0)
    #: Dev mode: `NAME=URL,...` of subgraphs to compose at start and whenever their SDL changes,
    #: instead of reading `supergraph_path`.
    subgraphs: str | None = None
    #: entries in each of the parse, validation and plan caches
    plan_cache_size: int = Field(default=1000, ge=1)
    subgraph_connect_timeout: float = Field(default=2.0, gt=0)
    subgraph_request_timeout: float = Field(default=10.0, gt=0)
    subgraph_max_connections: int = Field(default=100, ge=1)
    #: request policy (docs/operations.md, "Request policy"): sizes before parsing ...
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    max_document_bytes: int = Field(default=64 * 1024, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    #: ... limits on the parsed operation ...
    max_depth: int = Field(default=15, ge=1)
    max_aliases: int = Field(default=30, ge=0)
    max_root_fields: int = Field(default=20, ge=1)
    max_directives: int = Field(default=10, ge=0)
    max_fields: int = Field(default=2000, ge=1)
    max_cost: int = Field(default=1_000_000, ge=1)
    #: work units graphql-core's overlapping-fields rule may spend validating one document
    validation_budget: int = Field(default=20_000, ge=1)
    #: nesting of arrays and objects in a request's JSON (body, GET `variables`/`extensions`)
    max_json_depth: int = Field(default=64, ge=2, le=200)
    #: list size assumed for a list field without a `first`/`pageSize`/`limit` argument
    default_list_size: int = Field(default=10, ge=1)
    #: ... introspection (unset: on, except in production), CORS and batching
    introspection: bool | None = None
    #: comma-separated origins allowed by CORS; none by default
    cors_origins: str = ""
    batching: bool = False
    max_batch_size: int = Field(default=10, ge=1)
    #: subscriptions one WebSocket may run at once (docs/subscriptions.md)
    subscriptions_per_connection: int = Field(default=10, ge=1)
    #: subscriptions one client (token subject, else address) may run at once on one process
    subscriptions_per_client: int = Field(default=50, ge=1)
    #: seconds a WebSocket client has to send `connection_init`
    subscription_init_timeout: float = Field(default=10.0, gt=0)
    #: attempts to re-establish a dropped subgraph subscription before ending it
    subscription_reconnect_attempts: int = Field(default=5, ge=0)
    #: identical queries in flight share one execution (gateway/app/coalesce.py)
    coalesce_requests: bool = True
    circuit_breaker_max_requests: int = Field(
        default=3, ge=1, validation_alias="CIRCUIT_BREAKER_MAX_REQUESTS"
    )
    circuit_breaker_interval: float = Field(
        default=60.0, gt=0, validation_alias="CIRCUIT_BREAKER_INTERVAL"
    )
    circuit_breaker_timeout: float = Field(
        default=30.0, gt=0, validation_alias="CIRCUIT_BREAKER_TIMEOUT"
    )
    #: requests per second per client and operation; 0 turns rate limiting off
    rate_limit: float = Field(default=100.0, ge=0)
    #: requests admitted at once; default twice the rate
    rate_burst: int | None = Field(default=None, ge=1)
    #: requests per second per client, all operations together; default three times
    #: `rate_limit` (0: no limit per client, only per operation)
    client_rate_limit: float | None = Field(default=None, ge=0)
    #: requests of one client admitted at once; default twice the client rate
    client_rate_burst: int | None = Field(default=None, ge=1)
    #: `POST /api/v1/auth/token` attempts per second per client id and address (0: unlimited)
    token_rate_limit: float = Field(default=0.2, ge=0)
    #: token attempts admitted at once per client id and address
    token_rate_burst: int = Field(default=10, ge=1)
    #: prefix of the rate-limit keys in Redis
    rate_limit_prefix: str = "gateway:rate:"
    #: seconds between attempts to reach Redis again while limits are local
    rate_limit_redis_retry: float = Field(default=5.0, gt=0)
    #: seconds a Redis connection or call may take before limits go local
    rate_limit_redis_timeout: float = Field(default=0.25, gt=0)
    #: key clients by the first `X-Forwarded-For` hop (only behind a proxy that sets it)
    trust_forwarded_for: bool = False
    #: comma-separated client headers passed on to every subgraph (none by default: subgraphs
    #: learn who the caller is from the gateway's internal token, not the client's token)
    forward_headers: str = ""
    #: Redis for shared rate limits, under the original `REDIS_*` names (as `EventSettings`)
    redis_enabled: bool = Field(default=False, validation_alias="REDIS_ENABLED")
    redis_host: str = Field(default="localhost", validation_alias="REDIS_HOST")
    redis_port: int = Field(default=6379, ge=1, le=65535, validation_alias="REDIS_PORT")
    redis_password: str = Field(default="", validation_alias="REDIS_PASSWORD")
    redis_db: int = Field(default=0, ge=0, validation_alias="REDIS_DB")
    #: `Idempotency-Key` of the REST shims (docs/idempotency.md): seconds a finished answer is
    #: kept for replays (24 h by default and recommended as the least) ...
    idempotency_ttl_seconds: int = Field(default=86400, ge=60)
    #: ... seconds a claim holds while its request runs; after that another request may take over
    idempotency_lock_seconds: float = Field(default=60.0, gt=0)
    #: prefix of the keys in Redis (`REDIS_ENABLED=true`)
    idempotency_prefix: str = "gateway:idempotency:"
    #: seconds a Redis connection or call may take before the store counts as unreachable (503)
    idempotency_redis_timeout: float = Field(default=1.0, gt=0)
    #: SQLAlchemy async URL of the store when Redis is off (SQLite file or PostgreSQL)
    idempotency_database_url: str = (
        f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'gateway-idempotency.db'}"
    )
    #: the web front's build (`npm run build` in frontend/): the SPA at `/`, GraphiQL's page
    frontend_dist: Path = Path("frontend/dist")
    #: bearer token `/metrics` and the detailed `/health` want in production (unset there:
    #: no `/metrics`, a minimal `/health`); elsewhere both are open
    metrics_token: str = ""
    #: persisted queries (docs/persisted-queries.md): `off`, `apq` (Apollo's automatic
    #: persisted queries) or `safelist` (only the manifest's operations run)
    persisted_queries: Literal["off", "apq", "safelist"] = "apq"
    #: the manifest of trusted operations (Apollo's or GraphQL Code Generator's format); needed
    #: by `safelist`, its operations also known by hash under `apq` when the file exists
    persisted_queries_manifest: Path = Path("frontend/src/gql/persisted-documents.json")
    #: prefix of the registered documents' keys in Redis (`REDIS_ENABLED=true`)
    persisted_queries_prefix: str = "gateway:apq:"
    #: seconds a registered document stays in Redis after its last registration
    persisted_queries_ttl_seconds: int = Field(default=86400, ge=1)
    #: documents kept by each replica (alone without Redis, and while Redis is unreachable)
    persisted_queries_local_size: int = Field(default=1000, ge=1)
    #: the entity and response cache (docs/caching.md): off unless `true`
    cache_enabled: bool = False
    #: default lifetime of a cached answer whose subgraph says `public`/`private` without
    #: `max-age` (the original name)
    redis_ttl_seconds: int = Field(default=300, ge=1, validation_alias="REDIS_TTL_SECONDS")
    #: prefix of the cache's keys in Redis (`REDIS_ENABLED=true`)
    cache_prefix: str = "gateway:cache:"
    #: cached answers each replica keeps itself (without Redis, and while it is unreachable)
    cache_local_size: int = Field(default=10_000, ge=1)
    #: `@policy` names -> the roles that grant them, a JSON object
    #: (`{"read_audit": ["admin", "service"]}`); a policy without a rule is granted to nobody
    authorization_policies: str = "{}"

    @field_validator("idempotency_database_url")
    @classmethod
    def _check_idempotency_database_url(cls, value: str) -> str:
        problem = database_url_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("authorization_policies")
    @classmethod
    def _check_authorization_policies(cls, value: str) -> str:
        try:
            rules = json.loads(value or "{}")
        except ValueError as exc:
            raise ValueError(
                f"not JSON ({exc}); expected an object such as "
                '{"read_audit": ["admin", "service"]}'
            ) from None
        if not isinstance(rules, dict) or not all(
            isinstance(name, str)
            and name
            and isinstance(roles, list)
            and all(isinstance(role, str) and role for role in roles)
            for name, roles in rules.items()
        ):
            raise ValueError(
                "expected a JSON object mapping each policy name to a list of role names, "
                'such as {"read_audit": ["admin", "service"]}'
            )
        return value

    @property
    def authorization_policy_rules(self) -> dict[str, tuple[str, ...]]:
        """`GATEWAY_AUTHORIZATION_POLICIES` parsed: policy name -> roles granting it."""
        rules: dict[str, list[str]] = json.loads(self.authorization_policies or "{}")
        return {name: tuple(roles) for name, roles in rules.items()}

    def production_problems(self) -> list[str]:
        """What stops a production start (`GATEWAY_ENV=production`), one line per variable."""
        if not self.production:
            return []
        problems = []
        if self.metrics_token and len(self.metrics_token.encode()) < MIN_SECRET_BYTES:
            problems.append(
                f"GATEWAY_METRICS_TOKEN: is shorter than {MIN_SECRET_BYTES} bytes; "
                "set a longer random token (or leave it unset to serve no /metrics)"
            )
        return problems

    @property
    def forwarded_header_names(self) -> tuple[str, ...]:
        """`GATEWAY_FORWARD_HEADERS`, lower-cased."""
        return tuple(
            dict.fromkeys(n.strip().lower() for n in self.forward_headers.split(",") if n.strip())
        )

    @property
    def production(self) -> bool:
        """True when `GATEWAY_ENV=production`: no plans, no details, no playground."""
        return self.env == "production"

    @property
    def cors_origin_list(self) -> list[str]:
        """`GATEWAY_CORS_ORIGINS` as a list, blanks dropped."""
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]


S = TypeVar("S", bound=BaseSettings)


def _variable_name(settings_cls: type[BaseSettings], loc: tuple[Any, ...]) -> str:
    """The environment variable a validation error location refers to."""
    name = str(loc[0]) if loc else "?"
    for field_name, info in settings_cls.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str) and name in (alias, field_name):
            return alias.upper()
    prefix = str(settings_cls.model_config.get("env_prefix") or "")
    return f"{prefix}{name}".upper()


def load_settings(settings_cls: type[S], **overrides: Any) -> S:
    """Read settings from the environment; raise `ConfigurationError` naming each bad variable."""
    try:
        return settings_cls(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = _variable_name(settings_cls, tuple(err["loc"]))
            problems.append(f"{name}: {err['msg']}{_shown_input(name, err.get('input'))}")
        raise ConfigurationError(problems) from None


#: variables whose values are never repeated in an error (they may be credentials)
_SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "_KEY", "_URL")
_MAX_SHOWN = 80


def _shown_input(variable: str, value: Any) -> str:
    """` (got ...)` for a bad value worth showing; nothing for one that may be a credential
    (a secret, or a URL that may carry a password)."""
    if any(word in variable for word in _SECRET_WORDS):
        return ""
    shown = repr(value)
    return f" (got {shown[:_MAX_SHOWN]}{'...' if len(shown) > _MAX_SHOWN else ''})"


class EventSettings(BaseSettings):
    """Where events travel: Redis Streams when `REDIS_ENABLED`, else a local event log file.

    The `REDIS_*` names are the original docs'; the local log lets `make run` work without Redis.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    redis_enabled: bool = False
    redis_host: str = "localhost"
    redis_port: int = Field(default=6379, ge=1, le=65535)
    redis_password: str = ""
    redis_db: int = Field(default=0, ge=0)
    events_stream: str = Field(default="events", min_length=1)
    events_log_url: str = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'events.db'}"
    events_consumer_name: str | None = None

    @property
    def redis_url(self) -> str:
        """The redis-py URL for the `REDIS_*` settings."""
        password = f":{quote(self.redis_password, safe='')}@" if self.redis_password else ""
        return f"redis://{password}{self.redis_host}:{self.redis_port}/{self.redis_db}"
