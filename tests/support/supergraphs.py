"""The supergraphs tests plan and execute against, loaded once each per process: the fixtures of
`tests/unit/gateway/fixtures/`, the federation scenarios' and the benchmark's."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gateway.supergraph import Supergraph, load_supergraph

_TESTS = Path(__file__).resolve().parents[1]
FIXTURES = _TESTS / "unit" / "gateway" / "fixtures"
#: The federation scenarios: a planner test over one plans against the scenario's own supergraph.
SCENARIOS = _TESTS / "federation" / "scenarios"
#: The benchmark scenario the project carries in bench/ (its supergraph and TestQuery).
BENCHMARK = _TESTS.parent / "bench" / "federation"


@cache
def load(name: str) -> Supergraph:
    """The fixture supergraph `tests/unit/gateway/fixtures/<name>`."""
    return load_supergraph(FIXTURES / name)


def scenario_supergraph(name: str) -> Path:
    """The supergraph of the federation scenario `name`,
    `tests/federation/scenarios/<name>/supergraph.graphql`."""
    return SCENARIOS / name / "supergraph.graphql"


@cache
def load_scenario(name: str) -> Supergraph:
    """The supergraph of the federation scenario `name`."""
    return load_supergraph(scenario_supergraph(name))


@cache
def load_benchmark() -> Supergraph:
    """The benchmark's supergraph, `bench/federation/supergraph.graphql`."""
    return load_supergraph(BENCHMARK / "supergraph.graphql")
