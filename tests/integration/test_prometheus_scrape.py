"""A real Prometheus scrapes the running system with monitoring/'s config and rules: every
expression of every dashboard, recording rule and alert is accepted and returns series.

The stack (`observed`, shared with the tracing test) serves traffic crossing every subgraph while
Prometheus scrapes every second; alerts are asked in their `bool` form (a healthy system fires
none, but every series they compare must exist).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.processes import free_port
from devstack.stack import SUBGRAPHS
from tests.integration.observed import ObservedStack, serve_traffic
from tests.support.prometheus import (
    RunningPrometheus,
    config_for,
    dashboard_expressions,
    prometheus_missing,
    rule_expressions,
    running_prometheus,
)
from tests.support.servers import missing

#: How long series may take to appear: two scrapes for a rate, then a rule evaluation.
SETTLE_SECONDS = 60


@pytest.fixture(scope="module")
def prometheus(
    observed: ObservedStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPrometheus]:
    reason = prometheus_missing()
    if reason is not None:
        missing(reason)
    stack = observed.stack
    targets = {name: f"127.0.0.1:{service.port}" for name, service in stack.services.items()}
    workdir: Path = tmp_path_factory.mktemp("prometheus")
    port = free_port()
    config = config_for(targets, f"127.0.0.1:{port}")
    with running_prometheus(config, workdir, port) as running:
        # Traffic after the first scrapes, so rates see it happen.
        jobs = "count(max by (job) (max_over_time(up[5m])) == 1)"  # gateway, subgraphs, itself
        every_job = [str(len(SUBGRAPHS) + 2)]
        wait_for(lambda: [s["value"][1] for s in running.series(jobs)] == every_job, "targets up")
        serve_traffic(stack)
        yield running


def wait_for(check, what: str, timeout: float = SETTLE_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_every_target_of_the_make_run_config_is_scraped(prometheus: RunningPrometheus) -> None:
    scraped = prometheus.series("max by (job) (max_over_time(up[5m]))")
    up = {s["metric"]["job"]: s["value"][1] for s in scraped}
    jobs = {"gateway", *(sg.name for sg in SUBGRAPHS)}
    assert {job: up.get(job) for job in jobs} == dict.fromkeys(jobs, "1")


def test_every_dashboard_rule_and_alert_expression_returns_series(
    prometheus: RunningPrometheus,
) -> None:
    expressions = {**dashboard_expressions(), **rule_expressions()}
    assert len(expressions) > 100
    empty = {}
    for name, expr in expressions.items():
        answer = prometheus.query(expr)
        assert answer["status"] == "success", f"{name}: {expr}: {answer.get('error')}"
        if not answer["data"]["result"]:
            empty[name] = expr
    # Rates need two scrapes and recorded series a rule evaluation after them: ask again.
    deadline = time.monotonic() + SETTLE_SECONDS
    while empty and time.monotonic() < deadline:
        time.sleep(1)
        empty = {name: expr for name, expr in empty.items() if not prometheus.series(expr)}
    assert not empty, "no series for:\n" + "\n".join(f"{k}: {v}" for k, v in empty.items())
