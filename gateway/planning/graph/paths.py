"""The cheapest chain of key jumps from one subgraph to another, over the query graph.

A uniform-cost (Dijkstra) search over `KEY` edges of one entity type: each jump costs
`PlanCost.hop()`; an edge is usable from a subgraph that can select the key's fields (the caller's
`can_select` decides, with `@override` labels in mind; for the first jump, out of the subgraph the
walk is in, the caller may also count the fields a `@provides` in scope gives there). Equal costs
go to the subgraph first in supergraph order, so plans are stable.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gateway.planning.graph.cost import PlanCost
from gateway.planning.graph.model import QueryGraph, Vertex
from gateway.supergraph import Key

#: whether a subgraph can select the fields of a key of an entity type: (graph, type, key)
CanSelect = Callable[[str, str, Key], bool]


@dataclass(frozen=True)
class Jump:
    """One key jump of a path: fetch the entity from `graph` by `key`."""

    graph: str
    key: Key


@dataclass(order=True)
class _Item:
    cost: PlanCost
    order: int
    graph: str = field(compare=False)


class KeyPathSearch:
    """Cheapest key paths of one query graph."""

    def __init__(self, graph: QueryGraph, order: dict[str, int], can_select: CanSelect) -> None:
        self.graph = graph
        self.order = order
        self.can_select = can_select

    def cheapest(
        self,
        source: str,
        type_name: str,
        targets: Iterable[str],
        at_source: Callable[[Key], bool] | None = None,
    ) -> tuple[PlanCost, list[Jump]] | None:
        """The cheapest path of key jumps on `type_name` from `source` to one of `targets`
        (at least one jump), or None when no key connects them. `at_source`, when given, says
        which keys `source` can select where the walk is (instead of `can_select`)."""
        goals = set(targets)
        best: dict[str, PlanCost] = {source: PlanCost()}
        previous: dict[str, tuple[str, Key]] = {}
        queue = [_Item(PlanCost(), self.order.get(source, 0), source)]
        done: set[str] = set()
        while queue:
            item = heapq.heappop(queue)
            if item.graph in done:
                continue
            done.add(item.graph)
            if item.graph in goals and item.graph != source:
                return item.cost, self._unwind(previous, source, item.graph)
            for edge in self.graph.key_edges(Vertex(type_name, item.graph)):
                tail = edge.tail.graph
                assert tail is not None and edge.key is not None
                cost = item.cost + PlanCost.hop()
                if tail in done or (tail in best and best[tail] <= cost):
                    continue
                if item.graph == source and at_source is not None:
                    if not at_source(edge.key):
                        continue
                elif not self.can_select(item.graph, type_name, edge.key):
                    continue
                best[tail] = cost
                previous[tail] = (item.graph, edge.key)
                heapq.heappush(queue, _Item(cost, self.order[tail], tail))
        return None

    @staticmethod
    def _unwind(previous: dict[str, tuple[str, Key]], source: str, last: str) -> list[Jump]:
        jumps: list[Jump] = []
        current = last
        while current != source:
            before, key = previous[current]
            jumps.append(Jump(current, key))
            current = before
        return jumps[::-1]
