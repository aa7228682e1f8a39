"""The real gateway process reloads its supergraph file: a valid change replaces the schema, a
broken one is refused while the old schema keeps serving. No subgraph is needed: only
`__typename` and introspection are asked."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devstack.processes import Service, free_port, start, stop, wait_healthy
from tests.support.supergraphs import FIXTURES

PRODUCT_TYPE = '{ __type(name: "Product") { name } }'


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[tuple[Service, Path]]:
    path = tmp_path / "supergraph.graphql"
    path.write_bytes((FIXTURES / "users_orders.graphql").read_bytes())
    port = free_port()
    service = Service(
        name="gateway",
        args=["-m", "gateway", "--supergraph", str(path), "--port", str(port)],
        port=port,
        env={"GATEWAY_SUPERGRAPH_POLL_INTERVAL": "0.2", "GATEWAY_LOG_LEVEL": "info"},
        log_path=tmp_path / "gateway.log",
    )
    start(service)
    try:
        wait_healthy(service, timeout=60)
        yield service, path
    finally:
        stop([service])


def replace(path: Path, content: bytes) -> str:
    """Write atomically (temporary file, then rename), as operators should; the new hash."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
    return hashlib.sha256(content).hexdigest()


def health(service: Service) -> dict[str, object]:
    return httpx.get(f"{service.url}/health", timeout=5).json()  # type: ignore[no-any-return]


def wait_for(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def graphql(service: Service, query: str) -> httpx.Response:
    return httpx.post(f"{service.url}/graphql", json={"query": query}, timeout=10)


def test_valid_then_broken_supergraph(gateway: tuple[Service, Path]) -> None:
    service, path = gateway
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    assert health(service)["schemaHash"] == first
    assert graphql(service, "{ __typename }").json() == {"data": {"__typename": "Query"}}
    assert graphql(service, PRODUCT_TYPE).json() == {"data": {"__type": None}}

    second = replace(path, (FIXTURES / "inventory.graphql").read_bytes())
    wait_for(lambda: health(service)["schemaHash"] == second)
    assert graphql(service, PRODUCT_TYPE).json() == {"data": {"__type": {"name": "Product"}}}

    replace(path, b"type Query {")
    wait_for(lambda: "lastReloadError" in health(service))
    state = health(service)
    assert state["status"] == "ok" and state["schemaHash"] == second
    assert "Syntax Error" in str(state["lastReloadError"])
    assert graphql(service, PRODUCT_TYPE).json() == {"data": {"__type": {"name": "Product"}}}
    metrics = httpx.get(f"{service.url}/metrics", timeout=5).text
    assert 'gateway_supergraph_reloads_total{result="failure"} 1.0' in metrics
    assert 'gateway_supergraph_reloads_total{result="success"} 2.0' in metrics
    log = service.log_tail(200)
    assert '"result": "failure"' in log and '"event": "supergraph_reload"' in log
