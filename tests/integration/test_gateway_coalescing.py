"""The real gateway process coalesces identical queries in flight at its door: two concurrent
identical requests of one caller make one set of subgraph fetches, and two different identities
never share one.

The subgraph is a real HTTP server on a real port that holds every answer until the test
releases it, so the requests are in flight together by construction, not by timing: the test
waits until the gateway says the second request joined the first (its
`gateway_coalesced_requests_total`), or until the subgraph has received both fetches.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.auth import INTERNAL_TOKEN_HEADER, issue_token
from devstack.processes import Service, free_port, start, stop, wait_healthy
from tests.integration.stack_events import eventually
from tests.support.stack import AUTH, AUTH_ENV
from tests.support.supergraphs import FIXTURES

SUPERGRAPH = FIXTURES / "users_orders.graphql"
QUERY = '{ user(id: "1") { name } }'
ANSWER = {"data": {"user": {"name": "Ada"}}}


@dataclass
class HeldSubgraph:
    """Answers every GraphQL POST with `ANSWER` once `release` is set; records what it got."""

    release: threading.Event = field(default_factory=threading.Event)
    received: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def serve_held(subgraph: HeldSubgraph, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the gateway's client expects

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with subgraph.lock:
                subgraph.received.append((body, self.headers.get(INTERNAL_TOKEN_HEADER)))
            subgraph.release.wait(60)
            payload = json.dumps(ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def held() -> Iterator[tuple[HeldSubgraph, int]]:
    subgraph, port = HeldSubgraph(), free_port()
    server = serve_held(subgraph, port)
    try:
        yield subgraph, port
    finally:
        subgraph.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def gateway(tmp_path: Path, held: tuple[HeldSubgraph, int]) -> Iterator[Service]:
    url = f"http://127.0.0.1:{held[1]}/graphql"
    port = free_port()
    service = Service(
        name="gateway",
        args=["-m", "gateway", "--supergraph", str(SUPERGRAPH), "--port", str(port)],
        port=port,
        env={
            **AUTH_ENV,
            "GATEWAY_SUPERGRAPH_POLL_INTERVAL": "0",
            "GATEWAY_SUBGRAPH_USERS_URL": url,
            "GATEWAY_SUBGRAPH_ORDERS_URL": url,
            "GATEWAY_COALESCE_REQUESTS": "true",
        },
        log_path=tmp_path / "gateway.log",
    )
    start(service)
    try:
        wait_healthy(service, timeout=60)
        yield service
    finally:
        stop([service])


def bearer(subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(subject, ['user'], AUTH)}"}


def coalesced(service: Service) -> float:
    """The gateway's `gateway_coalesced_requests_total`."""
    text = httpx.get(f"{service.url}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith("gateway_coalesced_requests_total "):
            return float(line.split()[1])
    return 0.0


def post(pool: ThreadPoolExecutor, service: Service, headers: dict[str, str]) -> Future[Any]:
    return pool.submit(
        httpx.post, f"{service.url}/graphql", json={"query": QUERY}, headers=headers, timeout=60
    )


def test_identical_requests_in_flight_make_one_set_of_subgraph_fetches(
    gateway: Service, held: tuple[HeldSubgraph, int]
) -> None:
    subgraph, _ = held
    before = coalesced(gateway)
    ada = bearer("ada")
    with ThreadPoolExecutor(2) as pool:
        first = post(pool, gateway, ada)
        eventually(subgraph.count, lambda n: n == 1)
        second = post(pool, gateway, ada)
        eventually(lambda: coalesced(gateway), lambda n: n == before + 1)
        subgraph.release.set()
        answers = [first.result(), second.result()]
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json() for a in answers] == [ANSWER, ANSWER]
    assert subgraph.count() == 1, "one set of subgraph fetches for both requests"


def test_two_identities_never_share(gateway: Service, held: tuple[HeldSubgraph, int]) -> None:
    subgraph, _ = held
    before = coalesced(gateway)
    with ThreadPoolExecutor(2) as pool:
        first = post(pool, gateway, bearer("ada"))
        eventually(subgraph.count, lambda n: n == 1)
        second = post(pool, gateway, bearer("bob"))
        # The second request reaches the subgraph while the first is still held there.
        eventually(subgraph.count, lambda n: n == 2)
        subgraph.release.set()
        answers = [first.result(), second.result()]
    assert [a.json() for a in answers] == [ANSWER, ANSWER]
    assert coalesced(gateway) == before
    tokens = [token for _, token in subgraph.received]
    assert len(set(tokens)) == 2 and None not in tokens, "each fetch carries its own caller"
