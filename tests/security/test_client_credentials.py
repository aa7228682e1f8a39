"""Issue 12, finding 2: production accepted `admin`/`admin123` and let a guesser try 960 secrets in
1.1 s. Production now refuses to start with the default or a short `AUTH_CLIENT_SECRET`, and the
token endpoint throttles attempts per client id and address (shared through Redis)."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from redis.asyncio import Redis

from gateway.policy.errors import PolicyError
from gateway.policy.rate_limit import RateLimitPolicy
from gateway.policy.rate_limit_redis import RedisRateLimit
from gateway.policy.rate_limiter import RateLimiter, RateLimits
from tests.security.conftest import PRODUCTION_ENV, RunToExit
from tests.support.servers import REDIS_URL, missing, redis_available
from tests.support.stack import SUPERGRAPH, RunningStack

TOKEN = "/api/v1/auth/token"


def attempt(gateway: RunningStack, secret: str, address: str) -> httpx.Response:
    body = {"client_id": "admin", "client_secret": secret}
    return httpx.post(
        f"{gateway.gateway_url}{TOKEN}", json=body, headers={"X-Forwarded-For": address}, timeout=30
    )


def test_production_refuses_to_start_with_the_default_client_secret(
    run_to_exit: RunToExit,
) -> None:
    # (A secret under 32 bytes is refused the same way: tests/unit/gateway/test_gateway_main.py.)
    env = {**PRODUCTION_ENV, "GATEWAY_SUPERGRAPH_PATH": str(SUPERGRAPH)}
    env.pop("AUTH_CLIENT_SECRET")  # the original docs' admin123
    ended = run_to_exit("gateway", env)
    assert ended.returncode == 2, ended.stderr
    assert ended.stderr.count("\n") == 1 and "Traceback" not in ended.stderr
    assert ended.stderr.startswith("gateway: invalid configuration: AUTH_CLIENT_SECRET: ")
    assert "is the default" in ended.stderr


def test_the_default_credentials_get_no_token_from_production(
    production_gateway: RunningStack,
) -> None:
    answer = attempt(production_gateway, "admin123", "192.0.2.10")
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]["code"] == "UNAUTHENTICATED"


def test_guessing_is_throttled_per_client_id_and_address(
    production_gateway: RunningStack,
) -> None:
    guesser = f"2001:db8:1::{uuid.uuid4().hex[:4]}"  # an address no other test uses
    started = time.monotonic()
    answers = []
    while len(answers) < 60 and not any(a.status_code == 429 for a in answers):
        answers.append(attempt(production_gateway, f"guess-{len(answers)}", guesser))
    statuses = [a.status_code for a in answers]
    # GATEWAY_TOKEN_RATE_BURST (10) attempts at once, then one every 5 s (0.2 per second): the
    # 429 comes once the burst and what refilled meanwhile are spent, however slow this machine.
    refilled = int((time.monotonic() - started) / 5) + 1
    assert statuses[-1] == 429, statuses
    assert 10 <= statuses.count(401) <= 10 + refilled, statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["Cache-Control"] == "no-store"
    # the right secret from the guesser's address waits too ...
    secret = PRODUCTION_ENV["AUTH_CLIENT_SECRET"]
    assert attempt(production_gateway, secret, guesser).status_code == 429
    # ... while the real client elsewhere is not locked out
    granted = attempt(production_gateway, secret, "192.0.2.77")
    assert granted.status_code == 200, granted.text
    assert granted.json()["data"]["roles"] == ["admin"]


async def test_redis_shares_the_throttle_between_replicas() -> None:
    reason = redis_available()
    if reason is not None:
        missing(reason)
    prefix = f"test:token:{uuid.uuid4().hex[:12]}:"
    limits = RateLimits(token=RateLimitPolicy(rate=0.01, burst=3))
    clients = [Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)]
    replicas = [RateLimiter(limits, redis=RedisRateLimit(c, prefix=prefix)) for c in clients]
    try:
        for i in range(3):
            await replicas[i % 2].check_token_request("admin", "203.0.113.5")
        for replica in replicas:
            with pytest.raises(PolicyError) as refused:
                await replica.check_token_request("admin", "203.0.113.5")
            assert refused.value.status == 429
        await replicas[0].check_token_request("admin", "203.0.113.6")  # another address
        assert all(r.backend == "redis" for r in replicas)
    finally:
        for client in clients:
            await client.aclose()
