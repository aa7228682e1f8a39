"""Idempotency keys in Redis, shared by every gateway replica (`REDIS_ENABLED=true`).

One string per caller's key, `prefix + sha256(scope, key)`, holding JSON. A claim is
`SET NX PX lock`: the running entry `{"fingerprint", "state": "running"}` vanishes by itself
after the lock window, which is the take-over rule (a process that died frees its keys). Done,
the entry holds the answer (`body` in base64) for the TTL. Completion and release are Lua
scripts that change the entry only while it is still exactly this fingerprint's running entry,
so a late completion never overwrites what a take-over stored, and a release never deletes an
answer. Expiry is Redis's own (server clock): nothing to clean up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError

from common.logging import get_logger
from gateway.rest.idempotency.model import (
    Claim,
    IdempotencyUnavailable,
    InFlight,
    Mismatch,
    Proceed,
    Replay,
    StoredAnswer,
    storage_id,
)

logger = get_logger(__name__)

#: KEYS[1] the key; ARGV[1] the running entry expected, ARGV[2] the finished entry, ARGV[3] TTL
#: (milliseconds). Returns 1 when stored, 0 when the claim is gone or someone else's.
COMPLETE_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""
#: KEYS[1] the key; ARGV[1] the running entry expected. Returns 1 when deleted, else 0.
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""
_SHA1 = {
    script: hashlib.sha1(script.encode()).hexdigest()
    for script in (COMPLETE_SCRIPT, RELEASE_SCRIPT)
}
#: claims tried when the entry found by a failed `SET NX` expires before it can be read
_ATTEMPTS = 5


def running_entry(fingerprint: str) -> str:
    """The value of an in-flight claim: deterministic, so the scripts compare it whole."""
    return json.dumps({"fingerprint": fingerprint, "state": "running"}, sort_keys=True)


def done_entry(fingerprint: str, answer: StoredAnswer) -> str:
    """The value of a finished request."""
    return json.dumps(
        {
            "body": base64.b64encode(answer.body).decode("ascii"),
            "fingerprint": fingerprint,
            "headers": answer.headers,
            "state": "done",
            "status": answer.status,
        },
        sort_keys=True,
    )


def _decide(raw: bytes | str, fingerprint: str) -> Claim:
    """What an existing entry means for a claim with `fingerprint`."""
    entry = json.loads(raw)
    if entry.get("fingerprint") != fingerprint:
        return Mismatch()
    if entry.get("state") != "done":
        return InFlight()
    answer = StoredAnswer(
        status=int(entry["status"]),
        body=base64.b64decode(entry["body"]),
        headers={str(name): str(value) for name, value in entry["headers"].items()},
    )
    return Replay(answer)


class RedisIdempotencyStore:
    """The `IdempotencyStore` in Redis; every Redis failure is `IdempotencyUnavailable`."""

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = "gateway:idempotency:",
        ttl_seconds: float = 86400,
        lock_seconds: float = 60,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl_ms = max(1, math.ceil(ttl_seconds * 1000))
        self.lock_ms = max(1, math.ceil(lock_seconds * 1000))

    def redis_key(self, scope: str, key: str) -> str:
        """The Redis key of one caller's idempotency key."""
        return self.prefix + storage_id(scope, key)

    async def claim(self, scope: str, key: str, fingerprint: str) -> Claim:
        name = self.redis_key(scope, key)
        try:
            for _ in range(_ATTEMPTS):
                if await self.client.set(
                    name, running_entry(fingerprint), nx=True, px=self.lock_ms
                ):
                    return Proceed()
                raw = await self.client.get(name)
                if raw is not None:
                    return _decide(raw, fingerprint)
                # gone between SET and GET (expired or released): try to take it again
        except RedisError as exc:
            raise self._unavailable("claim", exc) from exc
        return InFlight()  # it came and went five times in a row: busy, let the client retry

    async def complete(self, scope: str, key: str, fingerprint: str, answer: StoredAnswer) -> None:
        args = (running_entry(fingerprint), done_entry(fingerprint, answer), self.ttl_ms)
        stored = await self._script("complete", COMPLETE_SCRIPT, scope, key, *args)
        if not stored:
            logger.warning(
                "Idempotency answer not stored: the claim expired or was taken over",
                extra={"event": "idempotency_complete_lost", "backend": "redis"},
            )

    async def release(self, scope: str, key: str, fingerprint: str) -> None:
        await self._script("release", RELEASE_SCRIPT, scope, key, running_entry(fingerprint))

    def describe(self) -> dict[str, object]:
        return {"backend": "redis", "prefix": self.prefix}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _script(self, what: str, script: str, scope: str, key: str, *args: Any) -> int:
        keys_and_args = (1, self.redis_key(scope, key), *args)
        try:
            try:
                result: Any = await self.client.evalsha(_SHA1[script], *keys_and_args)
            except NoScriptError:
                result = await self.client.eval(script, *keys_and_args)
        except RedisError as exc:
            raise self._unavailable(what, exc) from exc
        return int(result)

    def _unavailable(self, what: str, exc: Exception) -> IdempotencyUnavailable:
        return IdempotencyUnavailable(
            f"idempotency store (Redis) unreachable during {what}: {type(exc).__name__}: {exc}"
        )
