"""Where the walk chooses between subgraphs, and the search for the cheapest whole plan.

The walk meets a decision wherever several subgraphs can resolve a field: a shareable root field,
or an entity field handed off with several resolvers. It ranks the candidates (`HandoffRank`, or
the root rule) and takes the first, unless `Choices.forced` says otherwise. `cheapest_plan` then
tries, one decision at a time, every other candidate, re-planning the whole operation, and keeps a
change only when the whole plan's `PlanCost` (fewest fetches, then fewest sequential steps) goes
down; it repeats until nothing improves or the trial budget is spent. The first plan is the greedy
one, so an operation with no better alternative plans exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from gateway.planning.errors import PlanningError
from gateway.planning.fetch_group import FetchGroup
from gateway.planning.graph.cost import PlanCost

#: at most this many whole-operation re-plans per operation (keeps cold planning small)
MAX_TRIALS = 24

Result = TypeVar("Result")


@dataclass(frozen=True)
class Decision:
    """One place where the walk picks a subgraph: a field at a response path of a parent type."""

    path: tuple[str, ...]
    type_name: str
    field: str


@dataclass
class Choices:
    """Forced picks for some decisions, and every decision the last walk met."""

    forced: dict[Decision, str] = field(default_factory=dict)
    seen: dict[Decision, tuple[str, ...]] = field(default_factory=dict)

    def choose(self, decision: Decision, ranked: Sequence[str]) -> str:
        """The forced candidate if it is among `ranked` (best first), else the best."""
        if decision not in self.seen:
            self.seen[decision] = tuple(ranked)
        forced = self.forced.get(decision)
        return forced if forced is not None and forced in ranked else ranked[0]


def cost_of(groups: Iterable[FetchGroup]) -> PlanCost:
    """Fetches and sequential steps of a set of fetch groups."""
    used = [g for g in groups if g.selections]
    if not used:
        return PlanCost()
    return PlanCost(len(used), 1 + max(g.level() for g in used))


def cheapest_plan(plan: Callable[[Choices], tuple[Result, PlanCost]]) -> Result:
    """The result of `plan` under the cheapest choices found (see the module docstring). When
    the greedy choices lead to a field no subgraph can be reached for, the alternatives are
    tried too; the greedy plan's `PlanningError` is raised only if none of them plans."""
    choices = Choices()
    found: tuple[Result, PlanCost] | None = None
    failure: PlanningError | None = None
    try:
        found = plan(choices)
    except PlanningError as exc:
        failure = exc
    trials = 0
    index = 0
    unimproved = 0  # decisions visited since the last improvement
    while trials < MAX_TRIALS:
        decisions = list(choices.seen.items())
        if unimproved >= len(decisions):
            break  # a whole round without a cheaper plan
        decision, candidates = decisions[index % len(decisions)]
        index += 1
        unimproved += 1
        current = choices.forced.get(decision, candidates[0])
        for candidate in candidates:
            if candidate == current or trials >= MAX_TRIALS:
                continue
            trials += 1
            trial = Choices({**choices.forced, decision: candidate})
            try:
                result = plan(trial)
            except PlanningError:
                continue  # this alternative leads nowhere; the plan in hand stands
            if found is None or result[1] < found[1]:
                found, choices, unimproved = result, trial, 0
                break
    if found is None:
        assert failure is not None
        raise failure
    return found[0]
