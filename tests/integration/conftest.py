"""The running system for integration tests: real subgraph and gateway processes on free ports.

`stack` starts once per backend (SQLite files in a temporary folder, then throwaway PostgreSQL
databases) and is shared by the tests of that backend. `observed` is one more stack (SQLite)
exporting its spans to an OTLP receiver of the test, shared by the Prometheus and tracing tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from devstack.processes import free_port, stop
from devstack.stack import SUBGRAPHS
from tests.integration.observed import TRACING_ENV, ObservedStack
from tests.support.otlp import OtlpReceiver
from tests.support.servers import throwaway_postgres_databases
from tests.support.stack import RunningStack, start_stack

__all__ = ["RunningStack", "start_stack"]


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStack]:
    """The whole system on one database backend, started once for the tests that use it."""
    backend: str = request.param
    log_dir = tmp_path_factory.mktemp(f"stack-{backend}")
    with ExitStack() as cleanup:
        if backend == "sqlite":
            names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
            db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
        else:
            db_urls = cleanup.enter_context(
                throwaway_postgres_databases(*(sg.name for sg in SUBGRAPHS), "gateway")
            )
        running = start_stack(backend, db_urls, log_dir)
        cleanup.callback(stop, list(running.services.values()))
        yield running


@pytest.fixture(scope="session")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObservedStack]:
    """The whole system on SQLite with tracing on, its spans sent to a receiver of the test."""
    log_dir = tmp_path_factory.mktemp("stack-observed")
    receiver = OtlpReceiver(free_port()).start()
    names = [sg.name for sg in SUBGRAPHS] + ["gateway"]
    db_urls = {name: f"sqlite+aiosqlite:///{log_dir / name}.db" for name in names}
    env = {**TRACING_ENV, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    try:
        running = start_stack("sqlite", db_urls, log_dir, extra_env=env, gateway_env=env)
        try:
            yield ObservedStack(running, receiver)
        finally:
            stop(list(running.services.values()))
    finally:
        receiver.stop()
