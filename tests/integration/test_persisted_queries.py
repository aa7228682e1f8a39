"""Persisted queries with real gateway processes and real Redis: a document registered through
one replica runs by its hash on another (POST and GET), and a safelist gateway runs its
manifest's operations only (throwaway Redis key prefix per test); a replica whose Redis goes
down keeps serving documents from its own copy and goes back to Redis when it returns."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import redis

from devstack.processes import Service, free_port, start, stop, wait_healthy
from tests.integration.test_rate_limit import _redis_server
from tests.support.servers import REDIS_URL, missing, redis_available
from tests.support.supergraphs import FIXTURES

SUPERGRAPH = FIXTURES / "users_orders.graphql"
QUERY = "query Typename { __typename }"
OTHER = "query Other { __typename other: __typename }"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(text)}}


@pytest.fixture
def redis_url() -> str:
    reason = redis_available()
    if reason is not None:
        missing(reason)
    return REDIS_URL


@pytest.fixture
def started() -> Iterator[list[Service]]:
    services: list[Service] = []
    yield services
    stop(services)


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
            "GATEWAY_RATE_LIMIT": "0",
            **env,
        },
        log_path=log_dir / f"{name}.log",
    )


def _redis_env(redis_url: str, prefix: str) -> dict[str, str]:
    location = urlsplit(redis_url)
    return {
        "REDIS_ENABLED": "true",
        "REDIS_HOST": location.hostname or "127.0.0.1",
        "REDIS_PORT": str(location.port or 6379),
        "REDIS_DB": "15",
        "GATEWAY_PERSISTED_QUERIES": "apq",
        "GATEWAY_PERSISTED_QUERIES_PREFIX": prefix,
        "GATEWAY_PERSISTED_QUERIES_TTL_SECONDS": "120",
    }


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_a_document_registered_on_one_replica_runs_by_hash_on_another(
    redis_url: str, started: list[Service], tmp_path: Path
) -> None:
    prefix = f"test:apq:{uuid.uuid4().hex[:12]}:"
    env = _redis_env(redis_url, prefix)
    for name in ("gateway-a", "gateway-b"):
        started.append(start(_gateway(name, tmp_path, env)))
    for service in started:
        wait_healthy(service, timeout=60)
    a, b = (f"{service.url}/graphql" for service in started)
    store = redis.Redis.from_url(redis_url, db=15)
    try:
        with httpx.Client(timeout=10) as http:
            by_hash = {"extensions": persisted(QUERY)}
            miss = http.post(b, json=by_hash)
            assert (miss.status_code, _code(miss)) == (200, "PERSISTED_QUERY_NOT_FOUND")

            mismatch = http.post(a, json={"query": OTHER, **by_hash})
            assert (mismatch.status_code, _code(mismatch)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")
            assert store.get(prefix + sha(QUERY)) is None  # nothing registered

            registered = http.post(a, json={"query": QUERY, **by_hash})
            assert registered.json() == {"data": {"__typename": "Query"}}
            assert store.get(prefix + sha(QUERY)) == QUERY.encode()
            assert 0 < store.ttl(prefix + sha(QUERY)) <= 120

            hit = http.post(b, json=by_hash)  # the other replica finds it in Redis
            assert hit.json() == {"data": {"__typename": "Query"}}
            extensions = json.dumps(persisted(QUERY))
            by_get = http.get(b, params={"extensions": extensions}, headers=PREFLIGHT)
            assert by_get.json() == {"data": {"__typename": "Query"}}
            metrics = http.get(f"{started[1].url}/metrics").text
            assert 'gateway_persisted_queries_backend{backend="redis"} 1.0' in metrics
            assert 'gateway_persisted_queries_total{result="hit"} 2.0' in metrics
            health = http.get(f"{started[1].url}/health").json()
            assert health["persisted_queries"] == {"mode": "apq", "backend": "redis"}
            assert health["entity_cache"] == {"backend": "off"}
    finally:
        for key in store.scan_iter(match=prefix + "*"):
            store.delete(key)
        store.close()


def test_a_safelist_gateway_runs_only_the_manifest_s_operations(
    started: list[Service], tmp_path: Path
) -> None:
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({f"sha256:{sha(QUERY)}": QUERY}))
    gateway = _gateway(
        "gateway-safelist",
        tmp_path,
        {
            "GATEWAY_PERSISTED_QUERIES": "safelist",
            "GATEWAY_PERSISTED_QUERIES_MANIFEST": str(manifest),
        },
    )
    started.append(start(gateway))
    wait_healthy(gateway, timeout=60)
    url = f"{gateway.url}/graphql"
    with httpx.Client(timeout=10) as http:
        by_id = http.post(url, json={"extensions": persisted(QUERY)})
        assert by_id.json() == {"data": {"__typename": "Query"}}
        assert http.post(url, json={"query": QUERY}).status_code == 200
        refused = http.post(url, json={"query": OTHER})
        assert (refused.status_code, _code(refused)) == (403, "QUERY_NOT_IN_SAFELIST")
        unknown = http.post(url, json={"query": OTHER, "extensions": persisted(OTHER)})
        assert (unknown.status_code, _code(unknown)) == (404, "PERSISTED_QUERY_NOT_IN_LIST")


def test_a_safelist_without_its_manifest_does_not_start(tmp_path: Path) -> None:
    gateway = _gateway(
        "gateway-no-manifest",
        tmp_path,
        {
            "GATEWAY_PERSISTED_QUERIES": "safelist",
            "GATEWAY_PERSISTED_QUERIES_MANIFEST": str(tmp_path / "missing.json"),
        },
    )
    start(gateway)
    try:
        assert gateway.process is not None
        assert gateway.process.wait(timeout=60) != 0
    finally:
        stop([gateway])
    assert "GATEWAY_PERSISTED_QUERIES_MANIFEST" in gateway.log_tail(200)


def test_documents_stay_usable_while_redis_is_down(started: list[Service], tmp_path: Path) -> None:
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        missing("redis-server not installed")
    port = free_port()
    server = _redis_server(port)
    try:
        gateway = _gateway(
            "gateway-outage",
            tmp_path,
            {
                "REDIS_ENABLED": "true",
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(port),
                "REDIS_DB": "0",
                "GATEWAY_RATE_LIMIT_REDIS_RETRY": "0.5",
            },
        )
        started.append(start(gateway))
        wait_healthy(gateway, timeout=60)
        url = f"{gateway.url}/graphql"
        with httpx.Client(timeout=10) as http:
            assert http.post(url, json={"query": QUERY, "extensions": persisted(QUERY)}).json() == {
                "data": {"__typename": "Query"}
            }
            server.kill()
            server.wait()
            # The replica's own copy answers; a new document registers locally.
            assert http.post(url, json={"extensions": persisted(QUERY)}).status_code == 200
            body = {"query": OTHER, "extensions": persisted(OTHER)}
            assert http.post(url, json=body).status_code == 200
            assert "errors" not in http.post(url, json={"extensions": persisted(OTHER)}).json()
            metrics = http.get(f"{gateway.url}/metrics").text
            assert 'gateway_persisted_queries_backend{backend="local"} 1.0' in metrics

            server = _redis_server(port)
            deadline = time.monotonic() + 15
            while 'gateway_persisted_queries_backend{backend="redis"} 1.0' not in metrics:
                assert time.monotonic() < deadline, "persisted queries never went back to Redis"
                http.post(url, json={"extensions": persisted(QUERY)})  # requests probe Redis
                time.sleep(0.2)
                metrics = http.get(f"{gateway.url}/metrics").text
        log = gateway.log_tail(400)
        assert log.count("Redis unreachable: persisted queries") == 1
        assert log.count("Redis answers again: persisted queries") == 1
    finally:
        server.kill()
        server.wait()
