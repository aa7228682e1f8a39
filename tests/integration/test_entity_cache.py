"""The entity cache with real processes: every subgraph (SQLite, then PostgreSQL), two gateway
replicas sharing one Redis (a throwaway key prefix and event stream), events on Redis Streams.

A read through one replica is answered from the cache through the other; a write through the
graph is seen at once by the next read on the other replica; a write the saga makes (no request
through the gateway) is seen once its event has arrived, long before the answer's lifetime is up;
a private answer is its caller's alone.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from devstack.processes import Service, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, gateway_service
from tests.integration.test_order_saga import place, redis_env
from tests.integration.test_orders_through_gateway import create_product, new_user, settled
from tests.support.servers import (
    REDIS_URL,
    missing,
    redis_available,
    throwaway_postgres_databases,
)
from tests.support.stack import AUTH_ENV, SUPERGRAPH, RunningStack, start_stack

PRODUCT = "query($sku: String!) { productBySku(sku: $sku) { id name stock } }"
ORDER = "query($id: ID!) { order(id: $id) { id status items { quantity product { name } } } }"
#: well under the products' 60 s lifetime: only an invalidation can make the change visible
INVALIDATION_DEADLINE = 20.0


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def replicas(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningStack, str]]:
    """The stack (its gateway: replica A) and the URL of a second gateway (replica B), on each
    database backend."""
    reason = redis_available()
    if reason is not None:
        missing(reason)
    backend: str = request.param
    run = uuid.uuid4().hex[:8]
    stream, prefix = f"test-cache-{run}", f"test:cache:{run}:"
    log_dir = tmp_path_factory.mktemp(f"stack-cache-{backend}")
    with ExitStack() as databases:
        if backend == "sqlite":
            names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
            db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
        else:
            db_urls = databases.enter_context(
                throwaway_postgres_databases(*(sg.name for sg in SUBGRAPHS), "gateway")
            )
        yield from _replicas(backend, db_urls, log_dir, stream, prefix)


def _replicas(
    backend: str, db_urls: dict[str, str], log_dir: Path, stream: str, prefix: str
) -> Iterator[tuple[RunningStack, str]]:
    events = redis_env(stream)
    gateway_env = {
        **events,
        "GATEWAY_CACHE_ENABLED": "true",
        "GATEWAY_CACHE_PREFIX": prefix,
        "GATEWAY_RATE_LIMIT": "0",
    }
    client = redis.Redis.from_url(REDIS_URL)
    with ExitStack() as cleanup:
        cleanup.callback(client.close)
        cleanup.callback(client.delete, stream)
        cleanup.callback(lambda: [client.delete(k) for k in client.scan_iter(match=prefix + "*")])
        stack = start_stack(f"{backend}+redis", db_urls, log_dir, events, gateway_env)
        cleanup.callback(stop, list(stack.services.values()))
        ports = {sg.name: stack.services[sg.name].port for sg in SUBGRAPHS}
        second: Service = gateway_service(
            free_port(),
            SUPERGRAPH,
            ports,
            log_dir=log_dir / "replica-b",
            extra_env={
                **AUTH_ENV,
                "GATEWAY_TRUST_FORWARDED_FOR": "true",
                "GATEWAY_IDEMPOTENCY_DATABASE_URL": db_urls["gateway"],
                **gateway_env,
            },
        )
        start(second)
        cleanup.callback(stop, [second])
        wait_healthy(second, timeout=90)
        yield stack, second.url


def post(url: str, query: str, variables: dict[str, Any], headers: dict[str, str]) -> Any:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=30
    )
    payload = response.json()
    assert response.status_code == 200 and "errors" not in payload, payload
    return payload


def test_a_read_on_one_replica_is_a_hit_on_the_other_and_writes_are_seen_at_once(
    replicas: tuple[RunningStack, str],
) -> None:
    stack, b = replicas
    a = stack.gateway_url
    product = create_product(stack, stock=5)
    variables = {"sku": product["sku"]}
    first = post(a, PRODUCT, variables, {})
    assert first["extensions"]["cache"]["misses"] >= 1
    second = post(b, PRODUCT, variables, {})
    assert second["data"] == first["data"]
    assert second["extensions"]["cache"] == {
        "hits": 1,
        "misses": 0,
        "types": {"root": {"hits": 1, "misses": 0}},
    }

    renamed = "Renamed " + product["sku"]
    post(
        a,
        "mutation($id: ID!, $name: String!) "
        "{ updateProduct(id: $id, input: {name: $name}) { id } }",
        {"id": product["id"], "name": renamed},
        stack.admin,
    )
    after = post(b, PRODUCT, variables, {})  # at once, on the other replica
    assert after["data"]["productBySku"]["name"] == renamed
    assert after["extensions"]["cache"]["misses"] == 1

    assert httpx.get(f"{b}/health", timeout=10).json()["entity_cache"] == {"backend": "redis"}
    metrics = httpx.get(f"{b}/metrics", timeout=10).text
    assert 'cache_hits_total{subgraph="products",type="root"}' in metrics
    assert 'cache_misses_total{subgraph="products",type="root"}' in metrics


def test_events_retire_what_the_saga_changed_on_every_replica(
    replicas: tuple[RunningStack, str],
) -> None:
    stack, b = replicas
    user = new_user(stack)
    product = create_product(stack, stock=5)
    variables = {"sku": product["sku"]}
    assert post(b, PRODUCT, variables, {})["data"]["productBySku"]["stock"] == 5
    assert post(b, PRODUCT, variables, {})["extensions"]["cache"]["hits"] == 1  # cached now

    order_id = place(stack, user, product["sku"], 2)  # through A; products answers by event
    assert settled(stack, order_id)["status"] == "CONFIRMED"
    deadline = time.monotonic() + INVALIDATION_DEADLINE
    while post(b, PRODUCT, variables, {})["data"]["productBySku"]["stock"] != 3:
        assert time.monotonic() < deadline, "the stock taken by the saga never showed on B"
        time.sleep(0.2)

    # The order as its owner reads it through B: the status the saga set, the product's name
    # through the products subgraph (an `_entities` fetch, cached per entity).
    read = post(b, ORDER, {"id": order_id}, user["headers"])
    assert read["data"]["order"]["status"] == "CONFIRMED"
    again = post(b, ORDER, {"id": order_id}, user["headers"])
    assert again["data"] == read["data"]
    assert again["extensions"]["cache"]["types"]["Product"]["hits"] == 1
    assert again["extensions"]["cache"]["types"]["root"]["hits"] == 1

    cancelled = post(
        stack.gateway_url,
        "mutation($id: ID!) { cancelOrder(id: $id) { status } }",
        {"id": order_id},
        user["headers"],
    )
    assert cancelled["data"]["cancelOrder"]["status"] == "CANCELLED"
    assert post(b, ORDER, {"id": order_id}, user["headers"])["data"]["order"]["status"] == (
        "CANCELLED"
    )


def test_a_private_answer_is_its_caller_s_alone(replicas: tuple[RunningStack, str]) -> None:
    stack, b = replicas
    owner, other = new_user(stack, "Owner"), new_user(stack, "Other")
    product = create_product(stack, stock=5)
    order_id = place(stack, owner, product["sku"], 1)
    settled(stack, order_id)
    mine = post(b, ORDER, {"id": order_id}, owner["headers"])
    assert post(b, ORDER, {"id": order_id}, owner["headers"])["extensions"]["cache"]["hits"] >= 1
    theirs = post(b, ORDER, {"id": order_id}, other["headers"])
    assert mine["data"]["order"]["id"] == order_id
    assert theirs["data"]["order"] is None  # another user's order reads as missing, cache or not
