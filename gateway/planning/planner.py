"""The query planner: a normalised operation and the supergraph in, a query plan out. Pure.

Root fields go to a graph that resolves them. Walking a selection in a graph, a field that graph
cannot resolve ends its part: the graph's fetch gets `__typename` and a key, and an entity fetch
to a graph that resolves the field continues at that path (through a third graph when no key
connects them directly). Greedy: the current graph is kept while it can resolve a field.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator

from graphql import (
    DocumentNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_object_type,
)

from gateway.planning.assemble import assemble, splice_sequences
from gateway.planning.errors import PlanningError
from gateway.planning.fetch_group import FetchGroup, SelectionBuilder
from gateway.planning.introspection import introspection_document
from gateway.planning.nodes import Parallel, PlanNode, QueryPlan, Sequence
from gateway.planning.normalize import normalize_operation
from gateway.planning.routing import Hop, Router
from gateway.planning.selections import (
    Field,
    InlineFragment,
    NormalizedOperation,
    Selection,
    from_selection_set,
)
from gateway.supergraph import Supergraph

Path = tuple[str, ...]
#: a root field with the inline fragments (with directives) it sits in
RootEntry = tuple[Field, tuple[InlineFragment, ...]]


def plan_operation(
    supergraph: Supergraph, document: DocumentNode, operation_name: str | None = None
) -> QueryPlan:
    """The query plan of a valid document's operation over the supergraph."""
    operation = normalize_operation(document, operation_name, supergraph.schema)
    return QueryPlanner(supergraph).plan(operation)


class QueryPlanner:
    """Builds fetch groups by walking the operation, then freezes them into plan nodes."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.router = Router(supergraph)

    def plan(self, operation: NormalizedOperation) -> QueryPlan:
        """Plan one normalised operation."""
        if operation.kind == "subscription":
            raise PlanningError("Subscriptions are not supported by this gateway.")
        root = self.schema.get_type(operation.root_type)
        assert isinstance(root, GraphQLObjectType)
        entries = list(_root_entries(operation.selections, ()))
        data = [e for e in entries if not e[0].name.startswith("__")]
        groups = (
            self._mutation_groups(root, data)
            if operation.kind == "mutation"
            else self._query_groups(root, data)
        )
        counter = itertools.count()
        nodes = [assemble(group, operation, counter) for group in groups]
        node: PlanNode | None
        if not nodes:
            node = None
        elif len(nodes) == 1:
            node = nodes[0]
        elif operation.kind == "mutation":
            node = Sequence(tuple(splice_sequences(nodes)))
        else:
            node = Parallel(tuple(nodes))
        return QueryPlan(operation, node, introspection_document(operation))

    def _query_groups(self, root: GraphQLObjectType, entries: list[RootEntry]) -> list[FetchGroup]:
        groups: dict[str, FetchGroup] = {}
        for field, wrappers in entries:
            graph = self._root_graph(root, field, groups)
            group = groups.setdefault(graph, FetchGroup(graph, (), "query", is_entity=False))
            self._field(group, _wrapped(group.selections, wrappers), root, field, ())
        return list(groups.values())

    def _mutation_groups(
        self, root: GraphQLObjectType, entries: list[RootEntry]
    ) -> list[FetchGroup]:
        # Mutation fields run one after the other in document order (spec: "Normal and Serial
        # Execution"), so only consecutive fields of the same graph may share a fetch.
        groups: list[FetchGroup] = []
        for field, wrappers in entries:
            previous = [groups[-1].graph] if groups else []
            graph = self._root_graph(root, field, previous)
            if not groups or groups[-1].graph != graph:
                groups.append(FetchGroup(graph, (), "mutation", is_entity=False))
            group = groups[-1]
            self._field(group, _wrapped(group.selections, wrappers), root, field, ())
        return groups

    def _root_graph(self, root: GraphQLObjectType, field: Field, preferred: Collection[str]) -> str:
        """The graph for a root field: most of its selection local, then one already used."""
        info = self.supergraph.field(root.name, field.name)
        if info is None or not info.resolved_by:
            raise PlanningError(f"No subgraph resolves {root.name}.{field.name}.")
        return min(
            info.resolved_by,
            key=lambda g: (
                -self._local_score(g, root, (field,)),
                g not in preferred,
                self.router.graph_order(g),
            ),
        )

    def _local_score(
        self, graph: str, parent: GraphQLCompositeType, selections: tuple[Selection, ...]
    ) -> int:
        """How many of the selected fields `graph` resolves without leaving it."""
        score = 0
        for selection in selections:
            if isinstance(selection, InlineFragment):
                inner = self._type(selection.type_condition) if selection.type_condition else parent
                score += self._local_score(graph, inner, selection.selections)
            elif selection.name != "__typename" and self.router.resolves(
                graph, parent.name, selection.name
            ):
                score += 1
                if selection.selections is not None:
                    child = get_named_type(self._field_type(parent, selection.name))
                    score += self._local_score(graph, child, selection.selections)  # type: ignore[arg-type]
        return score

    def _walk(
        self,
        group: FetchGroup,
        target: SelectionBuilder,
        parent: GraphQLCompositeType,
        selections: tuple[Selection, ...],
        path: Path,
    ) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                self._field(group, target, parent, selection, path)
            else:
                self._fragment(group, target, parent, selection, path)

    def _fragment(
        self,
        group: FetchGroup,
        target: SelectionBuilder,
        parent: GraphQLCompositeType,
        fragment: InlineFragment,
        path: Path,
    ) -> None:
        condition = self._type(fragment.type_condition) if fragment.type_condition else parent
        if condition is parent or self.router.defines(group.graph, condition.name):
            sub = target.fragment(fragment.type_condition, fragment.directives)
            self._walk(group, sub, condition, fragment.selections, path)
            return
        if is_object_type(condition):
            return  # a graph never returns objects of a type it does not define
        # An abstract condition this graph does not know: ask for the possible types it knows.
        for possible in self.router.possible_in(condition, parent, group.graph):
            sub = target.fragment(possible.name, fragment.directives)
            self._walk(group, sub, possible, fragment.selections, path)

    def _field(
        self,
        group: FetchGroup,
        target: SelectionBuilder,
        parent: GraphQLCompositeType,
        field: Field,
        path: Path,
    ) -> None:
        if field.name == "__typename":
            target.field(field)
            return
        if self.router.resolves(group.graph, parent.name, field.name):
            self._reject_requires(group.graph, parent.name, field.name)
            sub = target.field(field)
            if field.selections is None or sub is None:
                return
            field_type = self._field_type(parent, field.name)
            child = get_named_type(field_type)
            assert is_composite_type(child)
            if is_abstract_type(child):
                sub.typename()  # the shape of the response depends on the runtime type
            child_path = (*path, field.response_key, *("@",) * _list_depth(field_type))
            self._walk(group, sub, child, field.selections, child_path)
            return
        if is_abstract_type(parent):
            # Resolved per implementation: route each possible type this graph knows.
            for possible in self.router.possible_in(parent, parent, group.graph):
                self._field(group, target.fragment(possible.name), possible, field, path)
            return
        self._jump(group, target, parent, field, path)

    def _jump(
        self,
        group: FetchGroup,
        target: SelectionBuilder,
        parent: GraphQLCompositeType,
        field: Field,
        path: Path,
    ) -> None:
        """Continue `field` in another graph through entity fetches at `path`."""
        info = self.supergraph.field(parent.name, field.name)
        candidates = sorted(info.resolved_by if info else (), key=self.router.graph_order)
        best: tuple[tuple[int, bool, int, int], list[Hop]] | None = None
        for graph in candidates:
            route = self.router.route(group.graph, parent.name, [graph])
            if route is None:
                continue
            rank = (
                len(route),
                (route[0].graph, path) not in group.dependents,
                -self._local_score(graph, parent, (field,)),
                self.router.graph_order(graph),
            )
            if best is None or rank < best[0]:
                best = (rank, route)
        if best is None:
            raise PlanningError(
                f"Cannot plan {parent.name}.{field.name}: no key of {parent.name} lets subgraph "
                f'"{group.graph}" reach {", ".join(candidates) or "a subgraph resolving it"}.'
            )
        current, position = group, target
        for hop in best[1]:
            position.typename()
            required = position.require(from_selection_set(hop.key.fields.selection_set))
            nxt = current.dependent(hop.graph, path)
            requires = nxt.requires.fragment(parent.name)
            requires.typename()
            requires.require(required)
            current, position = nxt, nxt.entity_position(parent.name)
        self._field(current, position, parent, field, path)

    def _reject_requires(self, graph: str, type_name: str, field_name: str) -> None:
        info = self.supergraph.field(type_name, field_name)
        join = info.join_in(graph) if info else None
        if join is not None and join.requires is not None:
            raise PlanningError(
                f'{type_name}.{field_name} uses @requires in subgraph "{graph}", which this '
                "gateway version cannot plan yet."
            )

    def _type(self, name: str) -> GraphQLCompositeType:
        found = self.schema.get_type(name)
        assert is_composite_type(found), name
        return found

    def _field_type(self, parent: GraphQLCompositeType, name: str) -> GraphQLOutputType:
        assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        field_type: GraphQLOutputType = parent.fields[name].type
        return field_type


def _root_entries(
    selections: tuple[Selection, ...], wrappers: tuple[InlineFragment, ...]
) -> Iterator[RootEntry]:
    for selection in selections:
        if isinstance(selection, Field):
            yield selection, wrappers
        else:
            yield from _root_entries(selection.selections, (*wrappers, selection))


def _wrapped(target: SelectionBuilder, wrappers: tuple[InlineFragment, ...]) -> SelectionBuilder:
    for wrapper in wrappers:
        target = target.fragment(wrapper.type_condition, wrapper.directives)
    return target


def _list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            depth += 1
        type_ = type_.of_type
    return depth
