"""The web front against a running system: one stack (SQLite), one nginx in front of it, one
browser run of every journey (frontend/e2e/journeys.mjs), shared by the tests of this folder.

Screenshots of every journey are kept under var/e2e/.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from devstack.edge import Edge, edge_service, render, test_config
from devstack.processes import ROOT, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS
from tests.support.stack import RunningStack, start_stack
from tests.support.web import FRONTEND, chromium, fresh_build, nginx, node

ADMIN_LOGIN = "ada.lovelace"
ADMIN_PASSWORD = "web-tests-admin-password-0123"
SHOTS_DIR = ROOT / "var" / "e2e"
#: The whole browser run may take this long (about a minute on an idle machine; several on a
#: 2-core machine shared with other test runs).
BROWSER_RUN_TIMEOUT = 540


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The system on SQLite with the seeded admin's password set, serving the current build."""
    fresh_build()
    log_dir = tmp_path_factory.mktemp("stack-web")
    names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
    db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
    running = start_stack(
        "sqlite", db_urls, log_dir, {"USER_SERVICE_SEED_ADMIN_PASSWORD": ADMIN_PASSWORD}
    )
    try:
        yield running
    finally:
        stop(list(running.services.values()))


@dataclass
class RunningEdge:
    """nginx in front of one or more upstreams."""

    edge: Edge
    url: str


def start_edge(upstreams: list[str], run_dir: Path, **options: Any) -> tuple[RunningEdge, Any]:
    """Render nginx/ for `upstreams`, check it with `nginx -t`, start nginx."""
    binary = nginx()
    edge = Edge(
        port=free_port(), upstreams=upstreams, run_dir=run_dir, log_dir=run_dir / "log", **options
    )
    render(edge)
    checked = test_config(binary, edge)
    assert checked.returncode == 0, checked.stderr
    service = start(edge_service(binary, edge))
    return RunningEdge(edge, service.url), service


@pytest.fixture(scope="session")
def edge(
    web_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningEdge]:
    """nginx in front of the web stack's gateway."""
    gateway = web_stack.services["gateway"]
    running, service = start_edge([f"127.0.0.1:{gateway.port}"], tmp_path_factory.mktemp("edge"))
    try:
        wait_healthy(service, timeout=30)
        yield running
    finally:
        stop([service])


@dataclass
class BrowserRun:
    """What the journeys script reported: one result per journey, and its other output."""

    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)
    returncode: int | None = None

    def result(self, name: str) -> dict[str, Any]:
        found = self.results.get(name)
        assert found is not None, (
            f"journey {name!r} did not run (exit {self.returncode}):\n"
            + "\n".join(self.output[-40:])
        )
        return found


@pytest.fixture(scope="session")
def browser_run(web_stack: RunningStack, edge: RunningEdge) -> BrowserRun:
    """Every journey in one Chromium, the payments subgraph stopped when the script asks."""
    node_path = node()
    browser = chromium()
    env = {
        **os.environ,
        "SHOP_URL": web_stack.gateway_url,
        "EDGE_URL": edge.url,
        "SHOTS_DIR": str(SHOTS_DIR),
        "CHROMIUM": str(browser),
        "ADMIN_LOGIN": ADMIN_LOGIN,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "ADMIN_TOKEN": web_stack.token("admin", user_id=1),
    }
    process = subprocess.Popen(
        [node_path, "e2e/journeys.mjs"],
        cwd=FRONTEND,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run = BrowserRun()
    timer = threading.Timer(BROWSER_RUN_TIMEOUT, process.kill)
    timer.start()
    try:
        assert process.stdout is not None and process.stdin is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            if line.startswith("E2E "):
                result = json.loads(line[4:])
                run.results[result["name"]] = result
            elif line.startswith("E2E-PAUSE payments"):
                stop([web_stack.services["payments"]])
                process.stdin.write("go\n")
                process.stdin.flush()
            else:
                run.output.append(line)
        run.returncode = process.wait()
        (SHOTS_DIR / "results.json").write_text(json.dumps(run.results, indent=2))
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
    return run
