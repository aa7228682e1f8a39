"""Which graph can resolve what, and how to reach an entity in another graph.

Kept apart from the walk so that later rules (`@provides` widening what a graph resolves under a
field, `@override` labels, interface objects) change one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from graphql import (
    FieldNode,
    GraphQLCompositeType,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
)

from gateway.planning.graph import KeyPathSearch, Vertex, query_graph
from gateway.planning.graph.paths import Jump
from gateway.supergraph import Key, Supergraph

#: one step of a route: fetch the entity from `graph` by `key`
Hop = Jump


class Router:
    """Answers resolvability and routing questions over one supergraph."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str] = frozenset()) -> None:
        self.supergraph = supergraph
        #: the progressive `@override` labels enabled for this plan
        self.labels = labels
        self._order = {name: i for i, name in enumerate(supergraph.graphs)}
        #: the supergraph's query graph (built once per supergraph) and its key-path search
        self.graph = query_graph(supergraph)
        self.paths = KeyPathSearch(self.graph, self._order, self._can_select)

    def resolves(self, graph: str, type_name: str, field_name: str) -> bool:
        """Whether `graph` can resolve `type_name.field_name` for an object it returned."""
        if field_name == "__typename":
            return True
        return graph in self.resolvers(type_name, field_name)

    def resolvers(self, type_name: str, field_name: str) -> frozenset[str]:
        """The graphs resolving a field, with progressive overrides decided by `labels`."""
        info = self.supergraph.field(type_name, field_name)
        if info is None:
            return frozenset()
        graphs = set(info.resolved_by)
        for join in info.joins:
            if join.graph is None or join.override_label is None or join.used_overridden:
                continue
            # Composition marks both sides with the label: the overriding graph (`override:`
            # set) resolves while the label is enabled, the overridden one while it is not.
            if (join.override is not None) != (join.override_label in self.labels):
                graphs.discard(join.graph)
        return frozenset(graphs)

    def requires(self, graph: str, type_name: str, field_name: str) -> SelectionSetNode | None:
        """The `@requires` field set of a field in `graph`, if it has one."""
        info = self.supergraph.field(type_name, field_name)
        join = info.join_in(graph) if info else None
        return join.requires.selection_set if join and join.requires else None

    def provides(self, graph: str, type_name: str, field_name: str) -> SelectionSetNode | None:
        """The `@provides` field set of a field in `graph`, if it has one."""
        info = self.supergraph.field(type_name, field_name)
        join = info.join_in(graph) if info else None
        return join.provides.selection_set if join and join.provides else None

    def has_provided_edge(self, graph: str, type_name: str, field_name: str) -> bool:
        """Whether the query graph has a `provided` edge for the field in `graph`: usable where
        a `@provides` in scope names the field (the walk decides the scope)."""
        vertex = Vertex(type_name, graph)
        return self.graph.provided_edge(vertex, field_name) is not None

    def defines(self, graph: str, type_name: str) -> bool:
        """Whether `graph` knows the type (so it may appear in that graph's operations)."""
        info = self.supergraph.types.get(type_name)
        return info is not None and info.defined_in(graph)

    def is_interface_object(self, graph: str, type_name: str) -> bool:
        """Whether `graph` models the interface `type_name` as an object (`@interfaceObject`):
        it resolves fields for every implementation but answers `__typename` with the
        interface's name."""
        info = self.supergraph.types.get(type_name)
        member = info.graphs.get(graph) if info else None
        return member is not None and member.is_interface_object

    def implementation_graphs(self, interface: str) -> frozenset[str]:
        """Graphs that know the implementations of an entity interface and can be asked for it
        by key: there `__typename` is the real type."""
        info = self.supergraph.types.get(interface)
        if info is None:
            return frozenset()
        return frozenset(
            graph
            for graph, member in info.graphs.items()
            if not member.is_interface_object and info.resolvable_keys(graph)
        )

    def interface_object_resolvers(
        self, type_: GraphQLCompositeType, field_name: str
    ) -> list[tuple[str, str]]:
        """(interface, graph) pairs where `graph` resolves `field_name` for the object type
        `type_` through an `@interfaceObject` of an interface it implements."""
        if not isinstance(type_, GraphQLObjectType):
            return []
        return [
            (interface.name, graph)
            for interface in type_.interfaces
            for graph in sorted(self.resolvers(interface.name, field_name), key=self.graph_order)
            if self.is_interface_object(graph, interface.name)
        ]

    def can_provide(self, graph: str, type_name: str, selection_set: SelectionSetNode) -> bool:
        """Whether `graph` can resolve every field of a field set on `type_name`."""
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                inner = (
                    selection.type_condition.name.value if selection.type_condition else type_name
                )
                if not self.can_provide(graph, inner, selection.selection_set):
                    return False
            elif isinstance(selection, FieldNode):
                name = selection.name.value
                if not self.resolves(graph, type_name, name):
                    return False
                if selection.selection_set is not None:
                    info = self.supergraph.field(type_name, name)
                    if info is None or not self.can_provide(
                        graph, info.type_name, selection.selection_set
                    ):
                        return False
        return True

    def route(
        self,
        source: str,
        type_name: str,
        targets: Iterable[str],
        at_source: Callable[[Key], bool] | None = None,
    ) -> list[Hop] | None:
        """The cheapest chain of entity fetches from `source` to one of `targets` over the query
        graph (`PlanCost`; ties go to graphs in supergraph order), or None when no key connects
        them; `at_source` says which keys `source` can select where the walk is (a `@provides`
        there may give key fields), by default those it resolves."""
        found = self.paths.cheapest(source, type_name, targets, at_source)
        return found[1] if found is not None else None

    def usable_key(self, source: str, type_name: str, target: str) -> Key | None:
        """A resolvable key of `target` whose fields `source` can provide."""
        for key in self.supergraph.type(type_name).resolvable_keys(target):
            if self.can_provide(source, type_name, key.fields.selection_set):
                return key
        return None

    def _can_select(self, source: str, type_name: str, key: Key) -> bool:
        return self.can_provide(source, type_name, key.fields.selection_set)

    def graph_order(self, graph: str) -> int:
        """Position of the graph in the supergraph's graph enum (for stable tie-breaks)."""
        return self._order[graph]

    def possible_in(
        self, condition: GraphQLCompositeType, parent: GraphQLCompositeType, graph: str
    ) -> list[GraphQLObjectType]:
        """Object types of both `condition` and `parent` that `graph` may return, in the
        supergraph's order. What `graph` may return is its own view of `parent`; whether such
        an object matches `condition` is the supergraph's (the graph may not know `condition`,
        or not know that the type implements it)."""
        of_parent = {t.name for t in self.possible_types(parent, graph)}
        matching: Sequence[GraphQLObjectType] = (
            [condition]
            if isinstance(condition, GraphQLObjectType)
            else self.supergraph.schema.get_possible_types(condition)
        )
        return [t for t in matching if t.name in of_parent]

    def possible_types(self, type_: GraphQLCompositeType, graph: str) -> list[GraphQLObjectType]:
        """The object types `graph` knows as `type_`: itself for an object type it defines, the
        members it lists (`@join__unionMember`), the implementations it declares
        (`@join__implements`). Other graphs may know more."""
        if isinstance(type_, GraphQLObjectType):
            return [type_] if self.defines(graph, type_.name) else []
        candidates = self.supergraph.schema.get_possible_types(type_)
        if isinstance(type_, GraphQLUnionType):
            info = self.supergraph.types.get(type_.name)
            members = info.union_members.get(graph, frozenset()) if info else frozenset()
            return [t for t in candidates if t.name in members and self.defines(graph, t.name)]
        return [t for t in candidates if type_.name in self._implements(t.name, graph)]

    def _implements(self, type_name: str, graph: str) -> frozenset[str]:
        info = self.supergraph.types.get(type_name)
        return info.implements.get(graph, frozenset()) if info else frozenset()
