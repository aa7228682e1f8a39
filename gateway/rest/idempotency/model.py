"""What every idempotency store shares: the answers of a claim, the store protocol, fingerprints
and the storage id of a caller's key."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer to a request, replayed as it was."""

    status: int
    #: the JSON body as sent
    body: bytes
    #: only headers worth replaying (`Location`, `Content-Type`): the caller decides
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Proceed:
    """The key was free (or its earlier claim was abandoned): run the request, then `complete()`
    or `release()`."""


@dataclass(frozen=True)
class Replay:
    """A finished answer with the same fingerprint: send it again, run nothing."""

    answer: StoredAnswer


@dataclass(frozen=True)
class InFlight:
    """The same key with the same request is being served right now: 409."""


@dataclass(frozen=True)
class Mismatch:
    """The key was used with another request (its fingerprint differs): 422."""


Claim = Proceed | Replay | InFlight | Mismatch


class IdempotencyUnavailable(Exception):
    """The store cannot be reached: the caller answers 503 (never runs the request unguarded)."""


class IdempotencyStore(Protocol):
    """Idempotency keys shared by every gateway replica (docs/idempotency.md)."""

    async def claim(self, scope: str, key: str, fingerprint: str) -> Claim:
        """Take `key` of caller `scope` for a request, or say why not; atomic across processes."""
        ...

    async def complete(self, scope: str, key: str, fingerprint: str, answer: StoredAnswer) -> None:
        """Keep `answer` for replays, if the in-flight claim is still this fingerprint's."""
        ...

    async def release(self, scope: str, key: str, fingerprint: str) -> None:
        """Forget an in-flight claim of this fingerprint (the request failed before any effect);
        never a finished answer."""
        ...

    def describe(self) -> dict[str, object]:
        """The backend for `/health`, without secrets."""
        ...

    async def aclose(self) -> None:
        """Close connections."""
        ...


def fingerprint(method: str, route: str, body: object) -> str:
    """sha256 hex of the method, the route template (`/api/v1/payments/{id}/refund`) and the
    canonical JSON of the parsed body (sorted keys, no whitespace): equal for the same request
    whatever its key order or spacing."""
    canonical = json.dumps(
        [method.upper(), route, body],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def storage_id(scope: str, key: str) -> str:
    """sha256 hex naming one caller's key: any strings are safe, and two callers' equal keys
    never meet (the pair is JSON-encoded, so no separator can be forged)."""
    pair = json.dumps([scope, key], ensure_ascii=True)
    return hashlib.sha256(pair.encode("ascii")).hexdigest()
