"""Rate limits against real Redis: the Lua limiter shared by limiter instances and by two real
gateway processes, and a gateway falling back to local limits while its Redis is down."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import redis
from redis.asyncio import Redis

from devstack.processes import Service, free_port, start, stop, wait_healthy
from gateway.policy.rate_limit import RateLimitPolicy
from gateway.policy.rate_limit_redis import RedisRateLimit
from tests.support.servers import REDIS_URL, missing, redis_available
from tests.support.supergraphs import FIXTURES

SUPERGRAPH = FIXTURES / "users_orders.graphql"
QUERY = {"query": "{ __typename }"}


@pytest.fixture
def redis_url() -> str:
    reason = redis_available()
    if reason is not None:
        missing(reason)
    return REDIS_URL


def _prefix() -> str:
    return f"test:rate:{uuid.uuid4().hex[:12]}:"


def _gateway(name: str, log_dir: Path, env: dict[str, str]) -> Service:
    port = free_port()
    return Service(
        name=name,
        args=["-m", "gateway"],
        port=port,
        env={
            "GATEWAY_PORT": str(port),
            "GATEWAY_SUPERGRAPH_PATH": str(SUPERGRAPH),
            "GATEWAY_SUPERGRAPH_POLL_INTERVAL": "0",
            **env,
        },
        log_path=log_dir / f"{name}.log",
    )


@pytest.fixture
def started() -> Iterator[list[Service]]:
    """Services started by the test, stopped after it."""
    services: list[Service] = []
    yield services
    stop(services)


async def test_the_lua_limiter_is_shared_by_two_limiters(redis_url: str) -> None:
    policy = RateLimitPolicy(rate=1, burst=5)
    prefix = _prefix()
    clients = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    try:
        await clients[0].script_flush()  # the first call meets NOSCRIPT and falls back to EVAL
        limiters = [RedisRateLimit(client, prefix=prefix) for client in clients]
        decisions = [await limiters[i % 2].decide("client|op:Q", policy) for i in range(8)]
        assert [d.allowed for d in decisions] == [True] * 5 + [False] * 3
        assert [d.remaining for d in decisions[:5]] == [4, 3, 2, 1, 0]
        assert all(d.retry_after == 1 for d in decisions[5:])
        assert (await limiters[0].decide("another|op:Q", policy)).allowed
        ttl = await clients[0].pttl(prefix + "client|op:Q")
        assert 0 < ttl <= 5001  # the key expires once the bucket is full again
        # concurrent requests cannot both take the last slot: the script is atomic
        fresh = _prefix()
        racing = [RedisRateLimit(c, prefix=fresh) for c in clients]
        results = await asyncio.gather(*(racing[i % 2].decide("k", policy) for i in range(20)))
        assert sum(d.allowed for d in results) == 5
    finally:
        for client in clients:
            await client.aclose()


def test_two_gateways_share_one_limit(
    redis_url: str, started: list[Service], tmp_path: Path
) -> None:
    location = urlsplit(redis_url)
    env = {
        "REDIS_ENABLED": "true",
        "REDIS_HOST": location.hostname or "127.0.0.1",
        "REDIS_PORT": str(location.port or 6379),
        "REDIS_DB": "15",
        "GATEWAY_RATE_LIMIT_PREFIX": _prefix(),
        "GATEWAY_RATE_LIMIT": "1",
        "GATEWAY_RATE_BURST": "5",
    }
    for name in ("gateway-a", "gateway-b"):
        started.append(start(_gateway(name, tmp_path, env)))
    for service in started:
        wait_healthy(service, timeout=60)
    with httpx.Client(timeout=10) as http:
        responses = [http.post(f"{started[i % 2].url}/graphql", json=QUERY) for i in range(8)]
        statuses = [r.status_code for r in responses]
        assert statuses == [200] * 5 + [429] * 3, statuses
        for response in responses[5:]:
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert int(response.headers["Retry-After"]) >= 1
            assert response.headers["RateLimit-Limit"] == "5"
            assert response.headers["RateLimit-Remaining"] == "0"
            assert int(response.headers["RateLimit-Reset"]) >= 1
        assert responses[0].headers["RateLimit-Remaining"] == "4"
        for service in started:
            health = http.get(f"{service.url}/health").json()
            assert health["rate_limit"]["backend"] == "redis"


def _redis_server(port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.5).ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"redis-server did not answer on port {port}")


def _backend(http: httpx.Client, service: Service) -> str:
    backend: str = http.get(f"{service.url}/health").json()["rate_limit"]["backend"]
    return backend


def test_local_limits_while_redis_is_down_then_shared_again(
    started: list[Service], tmp_path: Path
) -> None:
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        missing("redis-server not installed")
    port = free_port()
    server = _redis_server(port)
    try:
        gateway = _gateway(
            "gateway",
            tmp_path,
            {
                "REDIS_ENABLED": "true",
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(port),
                "REDIS_DB": "0",
                "GATEWAY_RATE_LIMIT": "0.01",  # no refill during the test
                "GATEWAY_RATE_BURST": "3",
                "GATEWAY_RATE_LIMIT_REDIS_RETRY": "0.5",
            },
        )
        started.append(start(gateway))
        wait_healthy(gateway, timeout=60)
        with httpx.Client(timeout=10) as http:
            url = f"{gateway.url}/graphql"
            assert http.post(url, json=QUERY).status_code == 200
            assert _backend(http, gateway) == "redis"

            server.kill()
            server.wait()
            statuses = [http.post(url, json=QUERY).status_code for _ in range(5)]
            assert statuses == [200, 200, 200, 429, 429]  # a fresh local bucket of 3
            assert _backend(http, gateway) == "local"
            metrics = http.get(f"{gateway.url}/metrics").text
            assert 'gateway_rate_limit_backend{backend="local"} 1.0' in metrics

            server = _redis_server(port)
            deadline = time.monotonic() + 15
            while _backend(http, gateway) != "redis":
                assert time.monotonic() < deadline, "the limiter never went back to Redis"
                http.post(url, json=QUERY)  # requests are what probe Redis again
                time.sleep(0.2)
            metrics = http.get(f"{gateway.url}/metrics").text
            assert 'gateway_rate_limit_backend{backend="redis"} 1.0' in metrics
        log = gateway.log_tail(400)
        assert log.count("Redis unreachable") == 1
        assert log.count("Redis answers again") == 1
    finally:
        server.kill()
        server.wait()
