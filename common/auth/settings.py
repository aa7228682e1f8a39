"""Identity settings under the original docs' `AUTH_*` names (no prefix), checked at start-up."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.errors import ConfigurationError
from common.logging import get_logger
from common.settings import MIN_SECRET_BYTES, Environment, load_settings

logger = get_logger(__name__)

#: The original docs' default secret: fine on a laptop, refused in production.
DEFAULT_JWT_SECRET = "change-me"
#: The default secret of internal tokens: fine on a laptop, refused in production.
DEFAULT_INTERNAL_SECRET = "change-me-internal-secret-for-development"
#: The original docs' client secret of `POST /api/v1/auth/token`: refused in production.
DEFAULT_CLIENT_SECRET = "admin123"

Algorithm = Literal["HS256", "RS256", "ES256"]


def parse_roles(csv: str) -> tuple[str, ...]:
    """Roles from a comma-separated list: blanks dropped, duplicates dropped, order kept."""
    return tuple(dict.fromkeys(role.strip() for role in csv.split(",") if role.strip()))


class AuthSettings(BaseSettings):
    """How tokens are issued and verified (`AUTH_*`), and who may ask for one."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", case_sensitive=False, populate_by_name=True
    )

    auth_jwt_secret: str = DEFAULT_JWT_SECRET
    auth_jwt_issuer: str = Field(default="enterprise-microservice-system", min_length=1)
    auth_jwt_audience: str = Field(default="enterprise-microservice-system", min_length=1)
    auth_token_ttl_minutes: int = Field(default=60, ge=1)
    auth_client_id: str = Field(default="admin", min_length=1)
    auth_client_secret: str = Field(default=DEFAULT_CLIENT_SECRET, min_length=1)
    #: comma-separated roles the client may ask for (all of them when it asks for none)
    auth_client_roles: str = "admin"
    auth_service_subject: str = Field(default="order-service", min_length=1)
    auth_service_roles: str = "service"
    #: HS256 verifies with `AUTH_JWT_SECRET`; RS256 and ES256 with keys from `AUTH_JWKS_URL`
    auth_jwt_algorithm: Algorithm = "HS256"
    auth_jwks_url: str | None = None
    #: least seconds between two fetches of the JWKS caused by an unknown `kid`
    auth_jwks_cooldown_seconds: float = Field(default=300.0, ge=0)
    auth_clock_skew_seconds: float = Field(default=30.0, ge=0)
    #: signs the gateway's internal tokens, which subgraphs trust (and nothing else)
    auth_internal_secret: str = DEFAULT_INTERNAL_SECRET
    #: lifetime of an internal token; the gateway reuses one for at most half of it
    auth_internal_token_ttl_seconds: int = Field(default=60, ge=10, le=3600)
    #: read to decide whether a weak secret is fatal (production) or only worth a warning
    gateway_env: Environment = Field(default="development", validation_alias="GATEWAY_ENV")

    @property
    def client_roles(self) -> tuple[str, ...]:
        """`AUTH_CLIENT_ROLES` as a tuple."""
        return parse_roles(self.auth_client_roles)

    @property
    def service_roles(self) -> tuple[str, ...]:
        """`AUTH_SERVICE_ROLES` as a tuple."""
        return parse_roles(self.auth_service_roles)

    @property
    def ttl_seconds(self) -> int:
        """Lifetime of an issued token in seconds."""
        return self.auth_token_ttl_minutes * 60

    def secret_problem(self) -> str | None:
        """What is wrong with `AUTH_JWT_SECRET` for signing, or None when it is strong enough."""
        return _weakness(self.auth_jwt_secret, DEFAULT_JWT_SECRET)

    def internal_secret_problem(self) -> str | None:
        """What is wrong with `AUTH_INTERNAL_SECRET`, or None when it is strong enough."""
        if self.auth_internal_secret == self.auth_jwt_secret:
            return "is the same as AUTH_JWT_SECRET; give internal tokens a secret of their own"
        return _weakness(self.auth_internal_secret, DEFAULT_INTERNAL_SECRET)

    def client_secret_problem(self) -> str | None:
        """What is wrong with `AUTH_CLIENT_SECRET` (it gets an admin token), or None."""
        return _weakness(self.auth_client_secret, DEFAULT_CLIENT_SECRET)


def _weakness(secret: str, default: str) -> str | None:
    if secret == default:
        return f"is the default {default!r}; set a random secret of at least 32 bytes"
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes; set a longer random secret"
    return None


def load_auth_settings(*, token_endpoint: bool = False, **overrides: Any) -> AuthSettings:
    """Read `AUTH_*`; a weak secret stops start-up in production and is logged elsewhere.

    RS256/ES256 need `AUTH_JWKS_URL` to verify; HS256 ignores it. `token_endpoint`: the caller
    serves `POST /api/v1/auth/token` (the gateway), so `AUTH_CLIENT_SECRET` is checked too.
    """
    settings = load_settings(AuthSettings, **overrides)
    problems = []
    if settings.auth_jwt_algorithm != "HS256" and not settings.auth_jwks_url:
        problems.append(
            f"AUTH_JWKS_URL: is required when AUTH_JWT_ALGORITHM is "
            f"{settings.auth_jwt_algorithm} (the keys to verify tokens with)"
        )
    weak = {
        # With RS256/ES256 nothing is signed with AUTH_JWT_SECRET.
        "AUTH_JWT_SECRET": settings.secret_problem()
        if settings.auth_jwt_algorithm == "HS256"
        else None,
        "AUTH_INTERNAL_SECRET": settings.internal_secret_problem(),
        # The endpoint issues tokens only with HS256 (501 otherwise): no secret to guess then.
        "AUTH_CLIENT_SECRET": settings.client_secret_problem()
        if token_endpoint and settings.auth_jwt_algorithm == "HS256"
        else None,
    }
    for name, problem in weak.items():
        if problem is None:
            continue
        if settings.gateway_env == "production":
            problems.append(f"{name}: {problem}")
        else:
            logger.warning("%s %s (refused when GATEWAY_ENV=production)", name, problem)
    if problems:
        raise ConfigurationError(problems)
    return settings
