"""The system as an attacker meets it: real processes on free ports, SQLite, local events.

`target` is one stack (development gateway, as `make run` starts it) shared by the security tests
that only read or create their own data; `production_gateway` is a second gateway process in
`GATEWAY_ENV=production`, with strong secrets, in front of the same subgraphs. `crash_stack` is
a stack whose orders, payments and notifications can be held at a test hook and SIGKILLed there
(`tests/security/crash.py`); tests that need other settings start a stack of their own
(`start_stack`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from devstack.processes import free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, gateway_service
from tests.security.crash import crash_hooks_env
from tests.support.stack import AUTH_ENV, SUPERGRAPH, RunningStack, start_stack

#: What a production gateway needs beyond the shared test secrets.
PRODUCTION_ENV = {
    **AUTH_ENV,
    "GATEWAY_ENV": "production",
    "AUTH_CLIENT_SECRET": "security-tests-client-secret-0123456789abcdef",
    "GATEWAY_TRUST_FORWARDED_FOR": "true",
}


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


@pytest.fixture(scope="session")
def production_gateway(target: RunningStack) -> Iterator[RunningStack]:
    """`target` seen through a second gateway process started with `GATEWAY_ENV=production`."""
    ports = {sg.name: target.services[sg.name].port for sg in SUBGRAPHS}
    env = {
        **PRODUCTION_ENV,
        "GATEWAY_IDEMPOTENCY_DATABASE_URL": f"sqlite+aiosqlite:///{target.log_dir}/prod-gw.db",
    }
    service = gateway_service(free_port(), SUPERGRAPH, ports, target.log_dir / "prod", env)
    start(service)
    try:
        wait_healthy(service, timeout=90)
        yield replace(target, services={**target.services, "gateway": service})
    finally:
        stop([service])


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
