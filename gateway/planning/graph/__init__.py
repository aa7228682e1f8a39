"""The query graph of a supergraph and the cost-based path search the planner routes with.

`model.py`: vertices (a type in one subgraph) and edges (fields, key jumps, root-type jumps,
downcasts, interface-object transitions, `@provides`-scoped field edges); `build.py` builds it once
per supergraph; `cost.py` holds `PlanCost`, the planner's one cost; `paths.py` searches the
cheapest key path between subgraphs.
"""

from gateway.planning.graph.build import query_graph
from gateway.planning.graph.cost import PlanCost
from gateway.planning.graph.model import Edge, EdgeKind, QueryGraph, Vertex
from gateway.planning.graph.paths import KeyPathSearch

__all__ = ["Edge", "EdgeKind", "KeyPathSearch", "PlanCost", "QueryGraph", "Vertex", "query_graph"]
