"""`PlanCost`: what the planner minimises, for one key path or for a whole plan.

Compared field by field, in declaration order (the documented tie-break):

1. `fetches`: subgraph requests the plan (or path) costs; each one is a network round trip and a
   subgraph resolution, so fewer is always better.
2. `steps`: sequential plan steps (the depth of the fetch DAG): fetches in one step run in
   parallel, so with equal fetches the plan with fewer steps answers sooner.

Remaining ties are broken by the caller with named criteria (`HandoffRank`), never by position in
an anonymous tuple.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PlanCost:
    """The cost of a plan or path: fewest fetches, then fewest sequential steps."""

    fetches: int = 0
    steps: int = 0

    def __add__(self, other: PlanCost) -> PlanCost:
        return PlanCost(self.fetches + other.fetches, self.steps + other.steps)

    @classmethod
    def hop(cls) -> PlanCost:
        """One key jump: one more entity fetch, one step after the fetch that gave its key."""
        return cls(1, 1)


@dataclass(frozen=True, order=True)
class HandoffRank:
    """How the walk ranks the subgraphs that can resolve a field it hands off (lowest first)."""

    #: fetches and steps of the key path to the subgraph (plus one for `@requires` data)
    cost: PlanCost
    #: False when an entity fetch to that subgraph at this path exists already (it is reused)
    new_fetch: bool
    #: minus how many of the sibling fields the subgraph resolves too (more is better)
    minus_local_fields: int
    #: position of the subgraph in the supergraph (stable last resort)
    graph_order: int
