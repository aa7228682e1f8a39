"""Fixture and federation-scenario supergraphs of the plan tests, loaded once each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gateway.planning import Fetch, Flatten, PlanNode, QueryPlan
from gateway.supergraph import Supergraph, load_supergraph

FIXTURES = Path(__file__).parent.parent / "fixtures"
#: The federation scenarios: a planner test over one plans against the scenario's own supergraph.
SCENARIOS = Path(__file__).resolve().parents[3] / "federation" / "scenarios"
#: The benchmark scenario the project carries in bench/ (its supergraph and TestQuery).
BENCHMARK = Path(__file__).resolve().parents[4] / "bench" / "federation"


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


def fetch_count(plan: QueryPlan) -> int:
    """How many subgraph requests the plan makes at most."""

    def count(node: PlanNode | None) -> int:
        if node is None:
            return 0
        if isinstance(node, Fetch | Flatten):
            return 1
        if hasattr(node, "nodes"):
            return sum(count(child) for child in node.nodes)
        return count(node.if_clause) + count(node.else_clause)

    return count(plan.node)


def step_count(plan: QueryPlan) -> int:
    """How many sequential steps the plan has."""

    def steps(node: PlanNode | None) -> int:
        if node is None:
            return 0
        if isinstance(node, Fetch | Flatten):
            return 1
        if hasattr(node, "nodes"):
            parts = [steps(child) for child in node.nodes]
            return sum(parts) if type(node).__name__ == "Sequence" else max(parts)
        return max(steps(node.if_clause), steps(node.else_clause))

    return steps(plan.node)
