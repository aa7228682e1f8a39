"""Settings of the users subgraph (`USER_SERVICE_*`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from subgraphs.kit.settings import SubgraphSettings


class UserServiceSettings(SubgraphSettings):
    """`USER_SERVICE_HOST`, `USER_SERVICE_PORT` (8081), `USER_SERVICE_DB_URL`, ...

    Tokens are signed with the `AUTH_*` settings (`common.auth`), which the kit checks at
    start-up.
    """

    # Merged with the parent's config (env file, case-insensitive names); only the prefix differs.
    model_config = SettingsConfigDict(env_prefix="USER_SERVICE_")

    domain: ClassVar[str] = "users"
    default_db_name: ClassVar[str] = "userdb"

    port: int = Field(default=8081, ge=1, le=65535)
    #: days a refresh token stays valid (each refresh issues a new one for as long again)
    refresh_token_ttl_days: float = Field(default=14.0, gt=0, le=3650)
    #: failed logins on one account within the window before `login` refuses it
    login_max_failures_per_account: int = Field(default=5, ge=1)
    #: failed logins from one client address within the window before each login from it
    #: must carry a solved challenge (never a lock: many clients may share the address)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    #: difficulty of that challenge, in leading zero bits of SHA-256 (16: ~65,000 hashes)
    login_challenge_bits: int = Field(default=16, ge=1, le=32)
    #: the most it grows to (one bit each time the address's failures double past the limit)
    login_challenge_max_bits: int = Field(default=20, ge=1, le=32)
    #: how far back failed logins count
    login_window_seconds: int = Field(default=900, ge=1)
    #: the password of the first seeded user (an admin); no password when unset
    seed_admin_password: SecretStr | None = None

    @model_validator(mode="after")
    def _challenge_bits_in_order(self) -> UserServiceSettings:
        if self.login_challenge_max_bits < self.login_challenge_bits:
            raise ValueError(
                "USER_SERVICE_LOGIN_CHALLENGE_MAX_BITS must not be below "
                "USER_SERVICE_LOGIN_CHALLENGE_BITS"
            )
        return self
