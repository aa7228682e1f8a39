"""What the plan tests count in a plan (their supergraphs: tests.support.supergraphs)."""

from __future__ import annotations

from gateway.planning import Fetch, Flatten, PlanNode, QueryPlan


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
