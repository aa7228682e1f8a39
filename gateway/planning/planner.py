"""The query planner: a normalised operation and the supergraph in, a query plan out. Pure.

Root fields go to the graph that resolves most of their selection; the walk (`walk.py`) fills
that graph's fetch group and hands off to entity groups what it cannot resolve. The groups form
a DAG that `assemble.py` turns into plan steps.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator

from graphql import DocumentNode, GraphQLObjectType

from gateway.planning.assemble import assemble, splice_sequences
from gateway.planning.conditions import guards_of
from gateway.planning.errors import PlanningError
from gateway.planning.fetch_group import FetchGroup, SelectionBuilder
from gateway.planning.groups import GroupSet
from gateway.planning.introspection import introspection_document
from gateway.planning.nodes import PlanNode, QueryPlan, Sequence
from gateway.planning.normalize import normalize_operation
from gateway.planning.position import At
from gateway.planning.routing import Router
from gateway.planning.selections import Field, InlineFragment, NormalizedOperation, Selection
from gateway.planning.walk import Walker
from gateway.supergraph import Supergraph

#: a root field with the inline fragments (with directives) it sits in
RootEntry = tuple[Field, tuple[InlineFragment, ...]]


def plan_operation(
    supergraph: Supergraph,
    document: DocumentNode,
    operation_name: str | None = None,
    enabled_override_labels: Collection[str] = frozenset(),
) -> QueryPlan:
    """The query plan of a valid document's operation over the supergraph; progressive
    `@override` labels are enabled only when listed (see `gateway.planning.overrides`)."""
    operation = normalize_operation(document, operation_name, supergraph.schema)
    return QueryPlanner(supergraph, frozenset(enabled_override_labels)).plan(operation)


class QueryPlanner:
    """Builds fetch groups by walking the operation, then assembles them into plan nodes."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str] = frozenset()) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.router = Router(supergraph, labels)

    def plan(self, operation: NormalizedOperation) -> QueryPlan:
        """Plan one normalised operation."""
        root = self.schema.get_type(operation.root_type)
        assert isinstance(root, GraphQLObjectType)
        entries = list(_root_entries(operation.selections, ()))
        data = [e for e in entries if not e[0].name.startswith("__")]
        counter = itertools.count()
        node: PlanNode | None
        if operation.kind == "mutation":
            assembled = (
                assemble(groups.groups, operation, counter)
                for groups in self._mutation_groups(root, data)
            )
            nodes = [n for n in assembled if n is not None]
            node = Sequence(tuple(splice_sequences(nodes))) if len(nodes) > 1 else _only(nodes)
        else:
            # A subscription plans as a query: its root fetch is sent over a WebSocket and the
            # rest runs per event (gateway/app/subscriptions).
            groups = self._query_groups(root, data, operation.kind)
            node = assemble(groups.groups, operation, counter)
        return QueryPlan(operation, node, introspection_document(operation))

    def _query_groups(
        self, root: GraphQLObjectType, entries: list[RootEntry], kind: str = "query"
    ) -> GroupSet:
        groups = GroupSet()
        walker = Walker(self.supergraph, self.router, groups)
        roots: dict[str, FetchGroup] = {}
        for field, wrappers in entries:
            graph = self._root_graph(walker, root, field, roots)
            group = roots.get(graph)
            if group is None:
                group = roots[graph] = groups.add_root(FetchGroup(graph, (), kind, False))
            walker.place(_at(group, root, wrappers), field)
        return groups

    def _mutation_groups(self, root: GraphQLObjectType, entries: list[RootEntry]) -> list[GroupSet]:
        # Mutation fields run one after the other in document order (spec: "Normal and Serial
        # Execution"), so only consecutive fields of the same graph may share a fetch.
        result: list[tuple[FetchGroup, GroupSet, Walker]] = []
        for field, wrappers in entries:
            previous = [result[-1][0].graph] if result else []
            groups = GroupSet()
            graph = self._root_graph(
                Walker(self.supergraph, self.router, groups), root, field, previous
            )
            if not result or result[-1][0].graph != graph:
                group = groups.add_root(FetchGroup(graph, (), "mutation", False))
                result.append((group, groups, Walker(self.supergraph, self.router, groups)))
            group, _, walker = result[-1]
            walker.place(_at(group, root, wrappers), field)
        return [groups for _, groups, _ in result]

    def _root_graph(
        self, walker: Walker, root: GraphQLObjectType, field: Field, preferred: Collection[str]
    ) -> str:
        """The graph for a root field: most of its selection local, then one already used."""
        resolvers = self.router.resolvers(root.name, field.name)
        if not resolvers:
            raise PlanningError(f"No subgraph resolves {root.name}.{field.name}.")
        return min(
            resolvers,
            key=lambda g: (
                -walker.local_score(g, root, (field,)),
                g not in preferred,
                self.router.graph_order(g),
            ),
        )


def _at(group: FetchGroup, root: GraphQLObjectType, wrappers: tuple[InlineFragment, ...]) -> At:
    target: SelectionBuilder = group.selections
    for wrapper in wrappers:
        target = target.fragment(wrapper.type_condition, wrapper.directives)
    guards = tuple(g for wrapper in wrappers for g in guards_of(wrapper.directives))
    return At(group, target, root, (), guards=guards)


def _only(nodes: list[PlanNode]) -> PlanNode | None:
    return nodes[0] if nodes else None


def _root_entries(
    selections: tuple[Selection, ...], wrappers: tuple[InlineFragment, ...]
) -> Iterator[RootEntry]:
    for selection in selections:
        if isinstance(selection, Field):
            yield selection, wrappers
        else:
            yield from _root_entries(selection.selections, (*wrappers, selection))
