"""The system as an attacker meets it: real processes on free ports, SQLite, local events.

`target` is one stack (development gateway, as `make run` starts it) shared by the security tests
that only read or create their own data; `production_gateway` is a second gateway process in
`GATEWAY_ENV=production`, with strong secrets, in front of the same subgraphs. `crash_stack` is
a stack whose orders, payments and notifications can be held at a test hook and SIGKILLed there
(`tests/security/crash.py`); tests that need other settings start a stack of their own
(`start_stack`).

The fuzzing module (`test_fuzz_graphql.py`) runs after every other test of the session: its
admin mutations change and delete data at random, which the other modules read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

import pytest

from devstack.processes import ROOT, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, gateway_service
from tests.security.crash import crash_hooks_env
from tests.support.stack import AUTH_ENV, SUPERGRAPH, RunningStack, start_stack

#: What a production gateway needs beyond the shared test secrets.
PRODUCTION_ENV = {
    **AUTH_ENV,
    "GATEWAY_ENV": "production",
    "AUTH_CLIENT_SECRET": "security-tests-client-secret-0123456789abcdef",
    "GATEWAY_TRUST_FORWARDED_FOR": "true",
    "GATEWAY_METRICS_TOKEN": "security-tests-metrics-token-0123456789abcdef",
}

#: Runs `python -m <module>` with `env` to its end; the finished process (output captured).
RunToExit = Callable[[str, Mapping[str, str]], "subprocess.CompletedProcess[str]"]


#: Modules moved to the end of the session (they change data other modules read).
LAST = ("test_fuzz_graphql.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fuzzing last: keep every other test's order, move its tests to the end."""
    last = [item for item in items if item.path.name in LAST and "security" in item.path.parts]
    if last:
        items[:] = [item for item in items if item not in last] + last


@pytest.fixture(scope="session")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The whole system on SQLite, started once for the security tests."""
    log_dir = tmp_path_factory.mktemp("stack-security")
    names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
    db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
    running = start_stack("sqlite", db_urls, log_dir)
    try:
        yield running
    finally:
        stop(list(running.services.values()))


@contextmanager
def gateway_in_front(
    target: RunningStack, name: str, env: Mapping[str, str]
) -> Iterator[RunningStack]:
    """`target` seen through another gateway process started with `env` (and a database of its
    own for idempotency keys), stopped on leaving."""
    ports = {sg.name: target.services[sg.name].port for sg in SUBGRAPHS}
    env = {
        "GATEWAY_IDEMPOTENCY_DATABASE_URL": f"sqlite+aiosqlite:///{target.log_dir}/{name}-gw.db",
        **env,
    }
    service = gateway_service(free_port(), SUPERGRAPH, ports, target.log_dir / name, env)
    start(service)
    try:
        wait_healthy(service, timeout=90)
        yield replace(target, services={**target.services, "gateway": service})
    finally:
        stop([service])


@pytest.fixture(scope="session")
def production_gateway(target: RunningStack) -> Iterator[RunningStack]:
    """`target` seen through a second gateway process started with `GATEWAY_ENV=production`."""
    with gateway_in_front(target, "prod", PRODUCTION_ENV) as gateway:
        yield gateway


@pytest.fixture(scope="session")
def run_to_exit() -> RunToExit:
    """Runs a process that should refuse to start, to its end (120 s at most: a loaded
    machine takes seconds to import it)."""

    def run(module: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
        # The test process's own gateway and auth settings stay out of the child's.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "AUTH_"))}
        return subprocess.run(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env={**inherited, "PYTHONUNBUFFERED": "1", **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def crash_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The system on SQLite with the crash hooks armed (inert until a test creates a flag file,
    see `tests/security/crash.py`); the tests that kill its processes share it."""
    log_dir = tmp_path_factory.mktemp("stack-crash")
    names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
    db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
    running = start_stack("sqlite", db_urls, log_dir, extra_env=crash_hooks_env(log_dir))
    try:
        yield running
    finally:
        stop(list(running.services.values()))
