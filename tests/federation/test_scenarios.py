"""Every scenario operation through OUR gateway (a real process in front of real subgraph
servers), compared with the answer recorded from @apollo/gateway (`expected/<operation>.json`).

Answers compare `data` (values and field order) and, per error, message, path and
`extensions.code`. Operations that declare subgraph request expectations (`requests=`,
`representations=`, `order=`) are also checked for what the subgraphs received.
"""

from __future__ import annotations

import json

import pytest

from tests.federation.conftest import ScenarioRuns
from tests.federation.harness import (
    all_scenarios,
    assert_same_answer,
    check_requests,
    comparable,
    compose_all,
    node_available,
)
from tests.federation.model import Operation

SCENARIOS = all_scenarios()
CASES = [pytest.param(s, op, id=f"{s.name}-{op.name}") for s in SCENARIOS for op in s.operations]
COUNTED = [
    pytest.param(s, op, id=f"{s.name}-{op.name}")
    for s in SCENARIOS
    for op in s.operations
    if op.requests is not None or op.representations is not None or op.order is not None
]


@pytest.mark.parametrize(("scenario", "op"), CASES)
def test_answer(scenario_runs: ScenarioRuns, scenario, op: Operation) -> None:
    expected = scenario.expected(op)
    assert expected is not None, (
        f"no recorded answer {scenario.expected_path(op)}: run python -m tests.federation.record "
        f"{scenario.name}"
    )
    answer, _ = scenario_runs.answer(scenario, op, "ours")
    assert_same_answer(answer, comparable(expected), f"{scenario.name}/{op.name}")


@pytest.mark.parametrize(("scenario", "op"), COUNTED)
def test_subgraph_requests(scenario_runs: ScenarioRuns, scenario, op: Operation) -> None:
    _, requests = scenario_runs.answer(scenario, op, "ours")
    problems = check_requests(op, requests)
    assert not problems, (
        "\n".join(problems) + "\nrequests: " + json.dumps(requests, indent=1)[:4000]
    )


@pytest.fixture(scope="module")
def composed() -> dict[str, str]:
    """Every scenario composed by @apollo/composition (one Node run for all)."""
    if node_available() is not None:
        return {}
    return compose_all(SCENARIOS)


@pytest.mark.node
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_supergraph_is_freshly_composed(
    node_reference: None, composed: dict[str, str], scenario
) -> None:
    """The checked-in supergraph is what @apollo/composition makes of the subgraph SDLs."""
    assert composed[scenario.name] == scenario.supergraph_path.read_text(), (
        f"{scenario.supergraph_path} is stale: python -m tests.federation.record --compose-only "
        f"{scenario.name}"
    )
