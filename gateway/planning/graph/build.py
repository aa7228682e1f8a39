"""Build the query graph of a supergraph, once (cached per supergraph object)."""

from __future__ import annotations

from types import MappingProxyType
from weakref import WeakKeyDictionary

from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType

from gateway.planning.graph.model import Edge, EdgeKind, QueryGraph, Vertex
from gateway.supergraph import Supergraph, TypeInfo

_CACHE: WeakKeyDictionary[Supergraph, QueryGraph] = WeakKeyDictionary()


def query_graph(supergraph: Supergraph) -> QueryGraph:
    """The query graph of `supergraph`, built on first use."""
    found = _CACHE.get(supergraph)
    if found is None:
        found = _CACHE[supergraph] = build_query_graph(supergraph)
    return found


def build_query_graph(supergraph: Supergraph) -> QueryGraph:
    """Vertices for every (type, subgraph) and the edges between them (see `model.py`)."""
    order = {name: i for i, name in enumerate(supergraph.graphs)}
    out: dict[Vertex, list[Edge]] = {}
    schema = supergraph.schema
    for info in supergraph.types.values():
        for graph in sorted(info.graphs, key=order.__getitem__):
            vertex = Vertex(info.name, graph)
            edges = out.setdefault(vertex, [])
            edges.extend(_field_edges(supergraph, info, graph))
            edges.extend(_key_edges(info, vertex, order))
            edges.extend(_downcasts(supergraph, info, graph))
            edges.extend(_interface_objects(supergraph, info, vertex, order))
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is None or root.name not in supergraph.types:
            continue
        head = Vertex(root.name, None)
        fields = supergraph.types[root.name].fields.values()
        serving = {graph for field in fields for graph in field.resolved_by}
        out[head] = [
            Edge(EdgeKind.ROOT, head, Vertex(root.name, graph))
            for graph in sorted(serving, key=order.__getitem__)
        ]
    return QueryGraph(
        frozenset(out), MappingProxyType({v: tuple(edges) for v, edges in out.items()})
    )


def _field_edges(supergraph: Supergraph, info: TypeInfo, graph: str) -> list[Edge]:
    head = Vertex(info.name, graph)
    edges: list[Edge] = []
    for field in info.fields.values():
        join = field.join_in(graph)
        if graph in field.resolved_by:
            edges.append(Edge(EdgeKind.FIELD, head, Vertex(field.type_name, graph), field.name))
        elif join is not None and join.external:
            # usable only under a field whose `@provides` names it
            tail = Vertex(field.type_name, graph)
            edges.append(Edge(EdgeKind.FIELD, head, tail, field.name, provided=True))
    return edges


def _key_edges(info: TypeInfo, head: Vertex, order: dict[str, int]) -> list[Edge]:
    return [
        Edge(EdgeKind.KEY, head, Vertex(info.name, graph), key=key)
        for graph in sorted(info.graphs, key=order.__getitem__)
        if graph != head.graph
        for key in info.resolvable_keys(graph)
    ]


def _downcasts(supergraph: Supergraph, info: TypeInfo, graph: str) -> list[Edge]:
    type_ = supergraph.schema.get_type(info.name)
    head = Vertex(info.name, graph)
    if isinstance(type_, GraphQLUnionType):
        members = info.union_members.get(graph, frozenset())
        return [
            Edge(EdgeKind.DOWNCAST, head, Vertex(t.name, graph))
            for t in type_.types
            if t.name in members
        ]
    if isinstance(type_, GraphQLInterfaceType) and not info.graphs[graph].is_interface_object:
        return [
            Edge(EdgeKind.DOWNCAST, head, Vertex(t.name, graph))
            for t in supergraph.schema.get_possible_types(type_)
            if info.name in supergraph.types[t.name].implements.get(graph, frozenset())
        ]
    return []


def _interface_objects(
    supergraph: Supergraph, info: TypeInfo, head: Vertex, order: dict[str, int]
) -> list[Edge]:
    type_ = supergraph.schema.get_type(info.name)
    if not isinstance(type_, GraphQLObjectType):
        return []
    edges: list[Edge] = []
    for interface in type_.interfaces:
        owner = supergraph.types.get(interface.name)
        if owner is None:
            continue
        for graph in sorted(owner.graphs, key=order.__getitem__):
            if owner.graphs[graph].is_interface_object and graph != head.graph:
                tail = Vertex(interface.name, graph)
                edges.extend(
                    Edge(EdgeKind.INTERFACE_OBJECT, head, tail, key=key)
                    for key in owner.resolvable_keys(graph)
                )
    return edges
