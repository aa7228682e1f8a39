"""The login challenge: what a client behind a busy address solves to be let through.

When many failed logins came from one address (every client behind a proxy or a NAT shares it),
`login` does not lock the address out: it asks each attempt from there for a solved challenge
(`CHALLENGE_REQUIRED`, the challenge in `extensions.challenge`). A person pays a fraction of a
second once; a script guessing at many accounts pays it for every guess.

`LoginChallenge` is the hook: `ProofOfWork` (the default) is hashcash-like, where a CAPTCHA
provider would implement the same two methods (issue: what the client is shown; accept: check
the client's answer). A challenge is bound to the address it was issued for, expires, and the
login flow spends each one once (`session_repository.spend_challenge`).

Proof of work: the challenge is a signed token (HS256, a key derived from
`AUTH_INTERNAL_SECRET`) carrying an id, a hash of the address, the difficulty and the expiry;
the solution is any text `s` (at most 128 characters) such that SHA-256 of the UTF-8 bytes of
`token + ":" + s` starts with `difficulty` zero bits.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

import jwt

ALGORITHM: Final = "sha256-leading-zero-bits"
#: How long a challenge may be solved and used.
TTL: Final = timedelta(minutes=5)
MAX_TOKEN_LENGTH: Final = 1024
MAX_SOLUTION_LENGTH: Final = 128
_AUDIENCE: Final = "login-challenge"
_KEY_LABEL: Final = b"users/login-challenge/v1"


@dataclass(frozen=True)
class ChallengeAnswer:
    """What a client sends back: the challenge as it got it, and its solution."""

    challenge: str
    solution: str


@dataclass(frozen=True)
class Accepted:
    """A solved challenge: its id, spent once, and when it expires."""

    id: str
    expires_at: datetime


class LoginChallenge(Protocol):
    """Issues challenges to a client address and accepts their solutions."""

    def issue(self, address_key: str, difficulty: int, now: datetime) -> dict[str, Any]:
        """What the client is shown (`extensions.challenge` of CHALLENGE_REQUIRED)."""
        ...

    def accept(self, answer: ChallengeAnswer, address_key: str, now: datetime) -> Accepted | str:
        """The solved challenge, or why the answer is refused (a sentence for the client)."""
        ...


def leading_zero_bits(digest: bytes) -> int:
    """How many zero bits `digest` starts with."""
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def _digest(token: str, solution: str) -> bytes:
    return hashlib.sha256(f"{token}:{solution}".encode()).digest()


def solve(token: str, difficulty: int) -> str:
    """A solution of a proof-of-work challenge (what a client does; for tests and as reference)."""
    prefix = hashlib.sha256(f"{token}:".encode())
    for counter in itertools.count():
        solution = format(counter, "x")
        attempt = prefix.copy()
        attempt.update(solution.encode())
        if leading_zero_bits(attempt.digest()) >= difficulty:
            return solution
    raise AssertionError("unreachable")  # pragma: no cover


class ProofOfWork:
    """Hashcash-like challenges, stateless until spent: signed, bound to an address, expiring."""

    def __init__(self, secret: str, new_id: Callable[[], str] = lambda: secrets.token_hex(16)):
        # A key of its own, so a challenge is never valid as any other token of the system.
        self._key = hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).hexdigest()
        self._new_id = new_id

    def issue(self, address_key: str, difficulty: int, now: datetime) -> dict[str, Any]:
        expires = now + TTL
        claims = {
            "aud": _AUDIENCE,
            "jti": self._new_id(),
            "adr": _address_hash(address_key),
            "bits": difficulty,
            "exp": int(expires.timestamp()),
        }
        token = jwt.encode(claims, self._key, algorithm="HS256")
        return {
            "token": token,
            "algorithm": ALGORITHM,
            "difficulty": difficulty,
            "expiresIn": int(TTL.total_seconds()),
        }

    def accept(self, answer: ChallengeAnswer, address_key: str, now: datetime) -> Accepted | str:
        try:
            # Expiry is checked against `now` below: the clock is the service's, not pyjwt's.
            claims = jwt.decode(
                answer.challenge,
                self._key,
                algorithms=["HS256"],
                audience=_AUDIENCE,
                options={"verify_exp": False, "require": ["exp", "jti", "adr", "bits", "aud"]},
            )
        except jwt.InvalidTokenError:
            return "This is not a challenge this service issued; use the one in the last answer."
        if not hmac.compare_digest(str(claims["adr"]), _address_hash(address_key)):
            return "This challenge was issued to another address; solve the one just sent."
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=now.tzinfo)
        if expires_at <= now:
            return "This challenge has expired; solve the one just sent."
        difficulty = int(claims["bits"])
        if leading_zero_bits(_digest(answer.challenge, answer.solution)) < difficulty:
            return "The solution does not solve the challenge; solve the one just sent."
        return Accepted(id=str(claims["jti"]), expires_at=expires_at)


def _address_hash(address_key: str) -> str:
    return hashlib.sha256(address_key.encode()).hexdigest()[:32]
