"""How each graph knows an entity type, worked out once per (graph, type name) and kept."""

from __future__ import annotations

from collections.abc import Callable

from gateway.supergraph import Supergraph

#: the `__typename` a graph knows an entity by, and the top-level field names of each of its keys
EntityType = tuple[str, tuple[frozenset[str], ...]]


class EntityTypes:
    """Entity type facts of one supergraph, per graph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self._known: dict[tuple[str, str], EntityType] = {}

    def in_graph(self, graph: str) -> Callable[[str], EntityType]:
        """`typename -> (sent as, key field names)` for `graph`."""
        known = self._known

        def entity_type(typename: str) -> EntityType:
            found = known.get((graph, typename))
            if found is None:
                sent_as = self._sent_as(graph, typename)
                found = known[graph, typename] = (sent_as, self._key_names(graph, sent_as))
            return found

        return entity_type

    def _key_names(self, graph: str, typename: str) -> tuple[frozenset[str], ...]:
        """Top-level field names of each key of a type in `graph`: a representation holding no
        whole key is not sent (the fetch that should have selected it failed)."""
        info = self.supergraph.types.get(typename)
        member = info.graphs.get(graph) if info else None
        if member is None:
            return ()
        return tuple(frozenset(k.fields.top_level_names) for k in member.keys)

    def _sent_as(self, graph: str, typename: str) -> str:
        """The `__typename` `graph` knows an entity by: an interface it models as an object
        (`@interfaceObject`) for the implementations it does not know, else the type itself."""
        info = self.supergraph.types.get(typename)
        if info is None or info.defined_in(graph):
            return typename
        found = self.supergraph.schema.get_type(typename)
        for interface in getattr(found, "interfaces", ()):
            member = self.supergraph.type(interface.name).graphs.get(graph)
            if member is not None and member.is_interface_object:
                return str(interface.name)
        return typename
