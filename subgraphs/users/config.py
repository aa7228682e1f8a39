"""What sign-in needs at run time: token signing, refresh lifetime, login limits, the login
challenge, the hasher.

The process loads it once from its settings (`USER_SERVICE_*` and `AUTH_*`) on first use;
`create_app` installs the settings it was given, and tests install their own with `use_policy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from common.auth import AuthSettings, load_auth_settings
from common.settings import load_settings
from subgraphs.users.challenge import LoginChallenge, ProofOfWork
from subgraphs.users.passwords import DEFAULT_PASSWORDS, Passwords
from subgraphs.users.settings import UserServiceSettings

#: The only algorithm this service signs with; others mean tokens come from an identity provider.
SIGNING_ALGORITHM = "HS256"


@dataclass(frozen=True)
class SessionPolicy:
    """Token signing and login limits of this process."""

    auth: AuthSettings
    refresh_ttl: timedelta = timedelta(days=14)
    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    login_window: timedelta = timedelta(seconds=900)
    #: proof-of-work difficulty (leading zero bits) once an address is over its limit, one bit
    #: more each time its failures double, up to the maximum
    challenge_bits: int = 16
    challenge_max_bits: int = 20
    #: the challenge hook; None: proof of work keyed by AUTH_INTERNAL_SECRET
    challenge: LoginChallenge | None = None
    #: argon2id with argon2-cffi's default parameters (tests use cheaper ones)
    passwords: Passwords = field(default_factory=lambda: DEFAULT_PASSWORDS)

    @classmethod
    def from_settings(cls, settings: UserServiceSettings) -> SessionPolicy:
        """The policy `USER_SERVICE_*` and `AUTH_*` describe (production as `*_ENV` says)."""
        return cls(
            auth=load_auth_settings(gateway_env=settings.env),
            refresh_ttl=timedelta(days=settings.refresh_token_ttl_days),
            max_failures_per_account=settings.login_max_failures_per_account,
            max_failures_per_address=settings.login_max_failures_per_address,
            login_window=timedelta(seconds=settings.login_window_seconds),
            challenge_bits=settings.login_challenge_bits,
            challenge_max_bits=settings.login_challenge_max_bits,
        )

    @property
    def login_challenge(self) -> LoginChallenge:
        """What an address over its limit must solve (`challenge`, or proof of work)."""
        return self.challenge or ProofOfWork(self.auth.auth_internal_secret)

    @property
    def issues_tokens(self) -> bool:
        """False when `AUTH_JWT_ALGORITHM` is not HS256: an identity provider issues tokens."""
        return self.auth.auth_jwt_algorithm == SIGNING_ALGORITHM

    @property
    def access_token_seconds(self) -> int:
        """Lifetime of an access token (`AUTH_TOKEN_TTL_MINUTES`)."""
        return self.auth.ttl_seconds


_policy: SessionPolicy | None = None


def use_policy(policy: SessionPolicy | None) -> None:
    """Make `policy` the process's policy (None: load it from the environment on next use)."""
    global _policy
    _policy = policy


def session_policy() -> SessionPolicy:
    """The process's policy, loaded from the environment the first time it is needed."""
    global _policy
    if _policy is None:
        _policy = SessionPolicy.from_settings(load_settings(UserServiceSettings))
    return _policy
