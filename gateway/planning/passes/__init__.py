"""The optimise passes over a plan's fetch graph, one per module, run until nothing changes.

Each pass takes the `FetchGraph` the walk produced, rewrites it in place and says whether it
changed anything; `optimise` runs them in order, round after round, until a whole round changes
nothing (Hive Router's `planner/fetch/optimize`). The first round does all the work for the plans
this planner makes today; the rounds after it only check.

- `prune_empty`: steps that fetch nothing are dropped;
- `delay_leaves`: a leaf entity step runs later, with an agreeing step to the same subgraph;
- `merge_siblings`: agreeing entity steps of one level become one `_entities` call for all
  their paths.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.planning.passes.delay_leaves import delay_leaves
from gateway.planning.passes.fetch_graph import FetchGraph, FetchStep
from gateway.planning.passes.merge_siblings import merge_siblings
from gateway.planning.passes.prune_empty import prune_empty

#: a pass rewrites the graph in place and says whether it changed anything
Pass = Callable[[FetchGraph], bool]

PASSES: tuple[Pass, ...] = (prune_empty, delay_leaves, merge_siblings)


def optimise(graph: FetchGraph, passes: tuple[Pass, ...] = PASSES) -> FetchGraph:
    """Run `passes` in order until a whole round changes nothing; return `graph`. This ends:
    each of `PASSES` only drops steps or moves a step to a later, existing level."""
    changed = True
    while changed:
        changed = False
        for run in passes:
            changed = run(graph) or changed
    return graph


__all__ = ["PASSES", "FetchGraph", "FetchStep", "Pass", "optimise"]
