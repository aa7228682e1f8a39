"""Differential test: every scenario operation through OUR gateway and through @apollo/gateway,
on the same subgraph servers; the answers must be equal (same normalisation as
test_scenarios). Also checks that the checked-in expected answers still are what the reference
answers, so they cannot go stale; a hand-written one (with a `_note`) must still differ from the
reference, and only in its errors where it says `_same_data_as_reference`. An operation with
`reference="hive"` (where @apollo/gateway is known to be wrong) is compared with
@graphql-hive/gateway instead, and @apollo/gateway must still answer it differently. Scenarios
the reference cannot serve (`REFERENCE_UNSUPPORTED`: it refuses their supergraph) are only
checked to still be refused, their answers being hand-written.
"""

from __future__ import annotations

import pytest

from tests.federation.conftest import ScenarioRuns
from tests.federation.harness import all_scenarios, assert_same_answer, comparable
from tests.federation.model import Operation
from tests.support.node import run_per_supergraph

pytestmark = pytest.mark.node

SCENARIOS = [s for s in all_scenarios() if s.reference_unsupported is None]
CASES = [pytest.param(s, op, id=f"{s.name}-{op.name}") for s in SCENARIOS for op in s.operations]
#: scenarios @apollo/gateway cannot serve (their answers are all hand-written)
UNSUPPORTED = [s for s in all_scenarios() if s.reference_unsupported is not None]


def _reference(runs: ScenarioRuns, scenario, op: Operation) -> dict:
    runs.want_reference = True
    return runs.answer(scenario, op, op.reference)[0]


#: how the tests name each reference gateway
NAMES = {"apollo": "@apollo/gateway", "hive": "@graphql-hive/gateway"}


@pytest.mark.parametrize(("scenario", "op"), CASES)
def test_recorded_answer_is_current(
    node_reference: None, scenario_runs: ScenarioRuns, scenario, op: Operation
) -> None:
    expected = scenario.expected(op)
    assert expected is not None, f"no recorded answer {scenario.expected_path(op)}"
    if "_note" in expected:
        # A hand-written answer must still differ from the reference (else re-record it), and
        # where it says so, only in its errors.
        reference = _reference(scenario_runs, scenario, op)
        assert reference != comparable(expected), (
            f"{scenario.name}/{op.name}: the reference now gives the hand-written answer; drop "
            "the _note and re-record"
        )
        if expected.get("_same_data_as_reference"):
            assert reference.get("data") == expected.get("data"), "data must match the reference"
        return
    assert_same_answer(
        _reference(scenario_runs, scenario, op),
        comparable(expected),
        f"{scenario.name}/{op.name}: {NAMES[op.reference]} vs recorded (re-record with "
        f"python -m tests.federation.record {scenario.name})",
    )
    if op.reference != "apollo":
        apollo = scenario_runs.answer(scenario, op, "apollo")[0]
        assert apollo != comparable(expected), (
            f"{scenario.name}/{op.name}: @apollo/gateway now gives the {NAMES[op.reference]} "
            "answer; drop reference= and re-record"
        )


@pytest.mark.parametrize(("scenario", "op"), CASES)
def test_same_answer_as_reference(
    node_reference: None, scenario_runs: ScenarioRuns, scenario, op: Operation
) -> None:
    expected = scenario.expected(op) or {}
    reference = _reference(scenario_runs, scenario, op)
    if "_note" in expected:
        reference = comparable(expected)  # the reference is known to be wrong here
    answer, _ = scenario_runs.answer(scenario, op, "ours")
    assert_same_answer(
        answer, reference, f"{scenario.name}/{op.name}: ours vs {NAMES[op.reference]}"
    )


@pytest.mark.parametrize("scenario", UNSUPPORTED, ids=[s.name for s in UNSUPPORTED])
def test_reference_refuses_what_it_cannot_serve(node_reference: None, scenario) -> None:
    """Where a scenario says @apollo/gateway cannot serve it, it must still refuse to (else
    record its answers), and every expected answer must say it was written by hand."""
    [loaded] = run_per_supergraph("load_supergraph.mjs", [scenario.supergraph_path]).values()
    assert loaded.error is not None, f"{scenario.name}: @apollo/gateway now loads the supergraph"
    assert "is for: SECURITY but is unsupported" in loaded.error, loaded.error
    for op in scenario.operations:
        expected = scenario.expected(op)
        assert expected is not None and "_note" in expected, (
            f"{scenario.expected_path(op)} must be hand-written (with a _note)"
        )
