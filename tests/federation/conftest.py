"""Fixtures of the federation scenario suite: one scenario's processes at a time.

The scenarios' subgraph servers and gateways are real processes. `scenario_runs.get(scenario,
apollo=...)` starts what a test needs and keeps it for the following tests of the same scenario
(tests are generated grouped by scenario), stopping the previous scenario's processes first: so
each scenario's processes start once per module (like a module-scoped fixture, but shared by
test_scenarios and test_differential). `scenario_runs.answer(...)` runs an operation once per
gateway and remembers the answer and the subgraph requests it cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.federation.harness import RunningScenario, Scenario, node_available, start_scenario
from tests.federation.model import Operation
from tests.support.servers import missing


class ScenarioRuns:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.current: RunningScenario | None = None
        #: set by the differential tests: start @apollo/gateway with ours
        self.want_reference = False
        #: (gateway, scenario, operation) -> normalised answer and the subgraph requests it cost
        self.answers: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any]]] = {}

    def get(
        self, scenario: Scenario, *, ours: bool = True, apollo: bool = False, hive: bool = False
    ) -> RunningScenario:
        if self.current is not None and self.current.scenario.name != scenario.name:
            self.current.stop()
            self.current = None
        if self.current is None:
            log_dir = self.base / scenario.name
            log_dir.mkdir(parents=True, exist_ok=True)
            self.current = start_scenario(scenario, log_dir, ours=ours, apollo=apollo, hive=hive)
        else:
            self.current.ensure(ours=ours, apollo=apollo, hive=hive)
        return self.current

    def answer(
        self, scenario: Scenario, op: Operation, gateway: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run `op` through `gateway` ("ours", "apollo" or "hive") once; later calls reuse the
        result (test_scenarios and test_differential ask for the same answers)."""
        key = (gateway, scenario.name, op.name)
        if key not in self.answers:
            # The differential tests need both gateways: start them together.
            both = gateway != "ours" or self.want_reference
            run = self.get(
                scenario,
                ours=gateway == "ours" or both,
                apollo=gateway == "apollo",
                hive=gateway == "hive",
            )
            self.answers[key] = run.run(gateway, op)
        return self.answers[key]

    def close(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None


@pytest.fixture(scope="session")
def scenario_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScenarioRuns]:
    runs = ScenarioRuns(tmp_path_factory.mktemp("federation"))
    try:
        yield runs
    finally:
        runs.close()


@pytest.fixture
def node_reference() -> None:
    """Skip without Node and the reference packages (fail under CI=true)."""
    reason = node_available()
    if reason is not None:
        missing(reason)
