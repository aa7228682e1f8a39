"""The nginx edge (nginx/, as `make edge` renders it) in front of the real gateway: the SPA with
its headers, the API proxied, anonymous product reads cached and authenticated ones never, the
backup rate limit, and WebSocket upgrades passed through."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect
from websockets.sync.server import ServerConnection, serve

from common.web import PAGE_CONTENT_SECURITY_POLICY
from devstack.processes import free_port, stop
from tests.support.stack import RunningStack
from tests.web.conftest import RunningEdge, start_edge

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_list(name) == [value], (name, response.headers)
    assert len(response.headers.get_list("x-request-id")) == 1


def test_spa_is_served_with_its_headers(edge: RunningEdge) -> None:
    page = httpx.get(f"{edge.url}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers.get_list("content-security-policy") == [PAGE_CONTENT_SECURITY_POLICY]
    assert_security_headers(page)
    # A page path of the SPA (history fallback), not a file.
    assert httpx.get(f"{edge.url}/orders/12?placed=1").text == page.text
    asset = page.text.split('src="', 1)[1].split('"', 1)[0]
    script = httpx.get(f"{edge.url}{asset}", headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert script.headers["content-encoding"] == "gzip"
    assert_security_headers(script)
    assert httpx.get(f"{edge.url}/assets/no-such-file.js").status_code == 404


def test_graphql_and_rest_are_proxied_with_the_request_id(edge: RunningEdge) -> None:
    answer = httpx.post(
        f"{edge.url}/graphql",
        json={"query": "{ products(pageSize: 1) { items { sku } } }"},
        headers={"X-Request-ID": "edge-test-1"},
    )
    assert answer.status_code == 200
    assert answer.json()["data"]["products"]["items"][0]["sku"]
    assert answer.headers.get_list("x-request-id") == ["edge-test-1"]
    assert_security_headers(answer)
    rest = httpx.get(f"{edge.url}/api/v1/products", params={"page_size": 2})
    assert rest.status_code == 200
    assert rest.json()["success"] is True
    assert httpx.get(f"{edge.url}/health").json()["status"] in {"ok", "degraded"}
    assert httpx.get(f"{edge.url}/openapi.json").json()["openapi"].startswith("3.")
    assert httpx.get(f"{edge.url}/metrics").status_code == 404


def test_graphiql_keeps_the_gateway_s_own_policy(edge: RunningEdge) -> None:
    page = httpx.get(f"{edge.url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'id="graphiql"' in page.text
    assert page.headers.get_list("content-security-policy") == [PAGE_CONTENT_SECURITY_POLICY]


def test_anonymous_product_reads_are_cached_never_authenticated_ones(
    edge: RunningEdge, web_stack: RunningStack
) -> None:
    url = f"{edge.url}/api/v1/products"
    anonymous = {"page_size": 3, "probe": uuid.uuid4().hex}
    first, second = httpx.get(url, params=anonymous), httpx.get(url, params=anonymous)
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.json() == first.json()
    signed_in = {"page_size": 4, "probe": uuid.uuid4().hex}
    admin = web_stack.admin
    statuses = [httpx.get(url, params=signed_in, headers=admin) for _ in range(2)]
    assert [r.headers["x-cache-status"] for r in statuses] == ["BYPASS", "BYPASS"]
    # Nothing an authenticated read answered was stored for others.
    assert httpx.get(url, params=signed_in).headers["x-cache-status"] == "MISS"


@pytest.fixture(scope="module")
def echo_server() -> Iterator[tuple[int, list[dict[str, str]]]]:
    """A WebSocket server (graphql-transport-ws) that echoes, recording the handshake headers."""
    seen: list[dict[str, str]] = []

    def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        seen.append(dict(connection.request.headers.raw_items()))
        for message in connection:
            connection.send(message)

    port = free_port()
    server = serve(
        handler,
        "127.0.0.1",
        port,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, seen
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def ws_edge(
    echo_server: tuple[int, list[dict[str, str]]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningEdge]:
    """A second nginx whose upstream is the echo server, with a tiny backup rate limit."""
    port, _ = echo_server
    run_dir: Path = tmp_path_factory.mktemp("edge-ws")
    running, service = start_edge([f"127.0.0.1:{port}"], run_dir, rate_limit="1r/m", rate_burst=2)
    try:
        for _ in range(100):
            if service.process is not None and service.process.poll() is not None:
                raise AssertionError(service.log_tail())
            try:
                httpx.get(f"{running.url}/", timeout=1)
                break
            except httpx.HTTPError:
                threading.Event().wait(0.05)
        yield running
    finally:
        stop([service])


def test_websocket_upgrade_passes_through(
    ws_edge: RunningEdge, echo_server: tuple[int, list[dict[str, str]]]
) -> None:
    _, seen = echo_server
    ws_url = ws_edge.url.replace("http://", "ws://") + "/graphql"
    with connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        assert socket.subprotocol == "graphql-transport-ws"
        socket.send('{"type": "connection_init"}')
        assert socket.recv(timeout=5) == '{"type": "connection_init"}'
    handshake = {k.lower(): v for k, v in seen[-1].items()}
    assert handshake["upgrade"].lower() == "websocket"
    assert handshake["x-forwarded-for"] == "127.0.0.1"
    assert handshake["x-request-id"]


def test_backup_rate_limit_answers_429(ws_edge: RunningEdge) -> None:
    statuses = [
        httpx.post(f"{ws_edge.url}/graphql", json={"query": "{ __typename }"}).status_code
        for _ in range(5)
    ]
    assert 429 in statuses, statuses
