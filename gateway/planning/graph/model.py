"""Query graph vertices and edges.

A vertex is a type as one subgraph sees it (`Product` in `catalog`), plus one root vertex per root
kind (`Query`), from which root-type jumps lead to every subgraph's root type. Edges:

- `FIELD`: a field the subgraph resolves, to the vertex of its named type in the same subgraph
  (`provided` edges are only usable under the field whose `@provides` names them);
- `KEY`: an entity fetch by one of the tail subgraph's resolvable keys; usable when the head
  subgraph can select the key's fields (the edge's `condition`);
- `ROOT`: from the root vertex to a subgraph's root type;
- `DOWNCAST`: from an abstract type to a member/implementation the subgraph knows;
- `INTERFACE_OBJECT`: from an object type to an `@interfaceObject` of one of its interfaces in
  another subgraph (by that subgraph's key).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from gateway.supergraph import Key


class EdgeKind(Enum):
    """What following an edge means for the plan."""

    FIELD = "field"
    KEY = "key"
    ROOT = "root"
    DOWNCAST = "downcast"
    INTERFACE_OBJECT = "interface_object"


@dataclass(frozen=True)
class Vertex:
    """A type in one subgraph (`graph` None: the root vertex of a root kind)."""

    type_name: str
    graph: str | None


@dataclass(frozen=True)
class Edge:
    """One transition of the query graph."""

    kind: EdgeKind
    head: Vertex
    tail: Vertex
    #: the field followed (FIELD edges)
    field: str | None = None
    #: the key used (KEY and INTERFACE_OBJECT edges): its fields are the edge's condition
    key: Key | None = None
    #: FIELD edges only usable under a `@provides` naming them
    provided: bool = False


@dataclass(frozen=True)
class QueryGraph:
    """Every vertex and edge of one supergraph, with the edges out of each vertex."""

    vertices: frozenset[Vertex]
    out: Mapping[Vertex, tuple[Edge, ...]]

    def edges(self, vertex: Vertex) -> tuple[Edge, ...]:
        """The edges leaving `vertex`."""
        return self.out.get(vertex, ())

    def key_edges(self, vertex: Vertex) -> tuple[Edge, ...]:
        """The key jumps leaving `vertex`, in supergraph order of their tail subgraph."""
        return tuple(e for e in self.edges(vertex) if e.kind is EdgeKind.KEY)

    def provided_edge(self, vertex: Vertex, field: str) -> Edge | None:
        """The `provided` edge for `field` from `vertex`: the subgraph has the field as
        `@external` and answers it only under a field whose `@provides` names it."""
        return next(
            (
                e
                for e in self.edges(vertex)
                if e.kind is EdgeKind.FIELD and e.field == field and e.provided
            ),
            None,
        )

    def field_edge(self, vertex: Vertex, field: str) -> Edge | None:
        """The (non-provided) edge for `field` from `vertex`, if the subgraph resolves it."""
        return next(
            (
                e
                for e in self.edges(vertex)
                if e.kind is EdgeKind.FIELD and e.field == field and not e.provided
            ),
            None,
        )
