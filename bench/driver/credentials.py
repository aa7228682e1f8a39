"""Our gateway's credentials for a run: production's secrets, the unique mode's signed tokens, and
which setting a refused start names.

Everything here is generated per run and lives only in the run's environment and `bench/logs/`.
Tokens are signed HS256 with the standard library (RFC 7515/7519), so the driver needs nothing
installed; `tests/unit/bench/` checks that the gateway's own verifier accepts them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Every secret a production gateway may refuse to start without (a default or weak one stops it).
#: Each run gets fresh random values, all different: a setting production starts asking for must
#: be added here, and a refused start names it (`refused_settings`).
PRODUCTION_SECRETS = (
    "AUTH_JWT_SECRET",
    "AUTH_INTERNAL_SECRET",
    "AUTH_CLIENT_SECRET",
    "GATEWAY_METRICS_TOKEN",
)
#: `iss` and `aud` of the run's tokens, given to the gateway too (AUTH_JWT_ISSUER/AUDIENCE).
ISSUER = "bench-issuer"
AUDIENCE = "bench-audience"
#: Lifetime of the run's tokens: longer than any run.
TOKEN_LIFETIME_SECONDS = 4 * 3600


def run_secrets(
    random_text: Callable[[], str] = lambda: secrets.token_urlsafe(32),
) -> dict[str, str]:
    """A fresh, distinct random value (43 characters, 256 bits) for each of PRODUCTION_SECRETS."""
    values: dict[str, str] = {}
    for name in PRODUCTION_SECRETS:
        value = random_text()
        while value in values.values():
            value = random_text()
        values[name] = value
    return values


def gateway_auth_env(run: dict[str, str]) -> dict[str, str]:
    """The environment that makes our gateway verify the run's tokens: its secrets, HS256, and
    the issuer and audience the tokens carry."""
    return {
        **run,
        "AUTH_JWT_ALGORITHM": "HS256",
        "AUTH_JWT_ISSUER": ISSUER,
        "AUTH_JWT_AUDIENCE": AUDIENCE,
    }


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_hs256(claims: dict[str, Any], secret: str) -> str:
    """A compact JWS of `claims`, HS256 with `secret` (RFC 7515, section 7.1)."""
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


@dataclass(frozen=True)
class TokenSigner:
    """Signs the run's user tokens: token `n` is user `n` (`sub` `user:<n>`, `uid` n, role
    `user`), as the users subgraph's `login` would issue it; so each request of the unique mode is
    a distinct signed-in user, and the subgraphs see a distinct identity for each."""

    secret: str
    issued_at: int
    lifetime: int = TOKEN_LIFETIME_SECONDS

    def claims(self, n: int) -> dict[str, Any]:
        return {
            "sub": f"user:{n}",
            "uid": n,
            "roles": ["user"],
            "scope": "user",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": self.issued_at,
            "exp": self.issued_at + self.lifetime,
            "jti": f"bench-{n}",
        }

    def token(self, n: int) -> str:
        return sign_hs256(self.claims(n), self.secret)

    def write(self, path: Path, first: int, count: int) -> None:
        """Tokens `first` .. `first + count - 1`, one a line, into `path` (for load.lua)."""
        with path.open("w") as out:
            for n in range(first, first + count):
                out.write(self.token(n))
                out.write("\n")


class TokenPool:
    """Hands out ranges of user numbers so that no two requests of a run share a token."""

    def __init__(self, signer: TokenSigner) -> None:
        self.signer = signer
        self.next = 1

    def one(self) -> str:
        n, self.next = self.next, self.next + 1
        return self.signer.token(n)

    def file(self, path: Path, count: int) -> Path:
        self.signer.write(path, self.next, count)
        self.next += count
        return path


def tokens_needed(seconds: int, rate_ceiling: int, connections: int) -> int:
    """Tokens for one wrk run of `seconds` at up to `rate_ceiling` requests/s: wrk sends one more
    per connection than it counts as answered."""
    return seconds * rate_ceiling + 2 * connections


#: A setting's name where a problem starts: first, after "- " (one a line) or after "; ".
_PROBLEM = re.compile(r"(?:^\s*|\s-\s+|;\s+)([A-Z][A-Z0-9_]{2,}):\s+")


def refused_settings(log_text: str) -> list[tuple[str, str]]:
    """(variable, problem) of each setting a start-up refusal names, from a gateway's output.

    The gateway says `invalid configuration:` and then `NAME: problem` per setting, on one line
    (`; ` between them) or one a line (`- NAME: problem`, after a traceback or not); the last
    such message counts.
    """
    marker = log_text.rfind("invalid configuration:")
    if marker < 0:
        return []
    rest = log_text[marker + len("invalid configuration:") :]
    found = list(_PROBLEM.finditer(rest))
    problems = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(rest)
        problem = " ".join(rest[match.end() : end].split()).rstrip(";")
        problems.append((match[1], problem))
    return problems


def refusal_note(problems: list[tuple[str, str]]) -> str:
    """What to tell the user when the gateway refused the run's settings."""
    named = "; ".join(f"{name} {problem}" for name, problem in problems)
    unknown = [name for name, _ in problems if name not in PRODUCTION_SECRETS]
    hint = (
        f" The driver does not generate {', '.join(unknown)}: add it to PRODUCTION_SECRETS in "
        "bench/driver/credentials.py (or to the gateway's environment in bench/driver/gateways.py)."
        if unknown
        else ""
    )
    return f"production refused to start: {named}.{hint}"
