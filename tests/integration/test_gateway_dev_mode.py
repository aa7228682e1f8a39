"""Dev mode: `python -m gateway --subgraphs users=...,orders=...` composes from the running
subgraphs. Started before them it answers 503, and serves the composed graph once they are up;
a subgraph going away later leaves the last good supergraph serving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from common.auth import issue_token
from devstack.processes import Service, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, subgraph_service
from tests.integration.stack_events import eventually
from tests.support.stack import AUTH, AUTH_ENV

QUERY = "{ orders(pageSize: 2) { items { id user { name } } } }"


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[dict[str, Service]]:
    wanted = [sg for sg in SUBGRAPHS if sg.name in ("users", "orders")]
    subgraphs = {
        sg.name: subgraph_service(
            sg,
            free_port(),
            db_url=f"sqlite+aiosqlite:///{tmp_path / sg.name}.db",
            log_dir=tmp_path,
            extra_env={
                **AUTH_ENV,
                "EVENTS_LOG_URL": f"sqlite+aiosqlite:///{tmp_path / 'events.db'}",
            },
        )
        for sg in wanted
    }
    listed = ",".join(f"{name}={s.url}/graphql" for name, s in subgraphs.items())
    port = free_port()
    gateway = Service(
        name="gateway",
        args=["-m", "gateway", "--subgraphs", listed, "--port", str(port)],
        port=port,
        env={**AUTH_ENV, "GATEWAY_SUPERGRAPH_POLL_INTERVAL": "0.3"},
        log_path=tmp_path / "gateway.log",
    )
    services = {"gateway": gateway, **subgraphs}
    try:
        yield services
    finally:
        stop(list(services.values()))


def graphql(service: Service) -> httpx.Response:
    """The query, as an admin (it lists every user's orders)."""
    admin = {"Authorization": f"Bearer {issue_token('admin', ['admin'], AUTH)}"}
    return httpx.post(f"{service.url}/graphql", json={"query": QUERY}, headers=admin, timeout=10)


def test_composes_once_the_subgraphs_answer_and_keeps_the_last_good_graph(
    processes: dict[str, Service],
) -> None:
    gateway = start(processes["gateway"])
    eventually(
        lambda: _status(gateway), lambda status: status == 503, timeout=30
    )  # up, but nothing to compose from yet
    assert graphql(gateway).status_code == 503

    for name in ("users", "orders"):
        start(processes[name])
    for name in ("users", "orders"):
        wait_healthy(processes[name], timeout=60)
    wait_healthy(gateway, timeout=30)
    answer = graphql(gateway).json()
    assert "errors" not in answer, answer
    assert len(answer["data"]["orders"]["items"]) == 2
    assert all(item["user"]["name"] for item in answer["data"]["orders"]["items"])

    stop([processes["users"]])
    log = processes["gateway"].log_path
    assert log is not None
    eventually(lambda: log.read_text(), lambda text: "supergraph refused" in text, timeout=30)
    assert httpx.get(f"{gateway.url}/health", timeout=5).status_code == 200, "last good serves"
    partial = graphql(gateway).json()
    assert partial["data"]["orders"]["items"][0]["user"] is None
    assert partial["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"


def _status(gateway: Service) -> int | None:
    try:
        return httpx.get(f"{gateway.url}/health", timeout=2).status_code
    except httpx.HTTPError:
        return None
