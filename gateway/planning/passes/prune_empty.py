"""Pass: drop steps that fetch nothing.

A group the walk opened can end up empty (every field it was opened for went to another
subgraph, or was only a stop on the way to one); asking a subgraph for nothing would still cost a
request. Levels were placed before, so the steps after an empty one keep their level.
"""

from __future__ import annotations

from gateway.planning.passes.fetch_graph import FetchGraph


def prune_empty(graph: FetchGraph) -> bool:
    """Drop the steps without selections; whether any was dropped."""
    empty = [step for step in graph.steps if not step.selections]
    for step in empty:
        graph.remove(step)
    return bool(empty)
