"""Pass: entity steps of one level that ask one subgraph the same thing become one fetch.

Steps of a level run in parallel; two that go to the same subgraph with the same guards and agree
on every entity type they share (`FetchStep.agrees_with`) are sent as one `_entities` call for
all their paths (`Flatten.more_paths`). Each step joins the first earlier step of its level that
agrees with it. The executor sends one request per `Flatten`: batching is decided here only.
"""

from __future__ import annotations

from gateway.planning.passes.fetch_graph import FetchGraph, FetchStep


def merge_siblings(graph: FetchGraph) -> bool:
    """Merge agreeing steps of each level; whether any were merged."""
    merged = False
    for level in graph.levels():
        kept: list[FetchStep] = []
        for step in level:
            into = next((k for k in kept if k.agrees_with(step)), None)
            if into is None:
                kept.append(step)
                continue
            into.absorb(step)
            graph.remove(step, replacement=into)
            merged = True
    return merged
