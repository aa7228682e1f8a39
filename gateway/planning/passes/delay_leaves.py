"""Pass: run a leaf entity step later when the same subgraph is asked the same thing then anyway.

A step nothing waits for (a leaf) may run in any later level: moved to the level of a later
step it agrees with (`FetchStep.agrees_with`), the two are sent as one request by
`merge_siblings`: one request fewer, and no level more. The latest such level is taken.
"""

from __future__ import annotations

from gateway.planning.passes.fetch_graph import FetchGraph


def delay_leaves(graph: FetchGraph) -> bool:
    """Move leaf entity steps to a later level where an agreeing step runs; whether any moved."""
    moved = False
    leaves = [s for s in graph.steps if s.is_entity and graph.is_leaf(s)]
    for step in leaves:
        for other in sorted(graph.steps, key=lambda s: -s.level):
            if other.level <= step.level:
                break
            if other.agrees_with(step):
                step.level = other.level
                moved = True
                break
    return moved
