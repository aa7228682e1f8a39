"""The query planner: a normalised operation and the supergraph in, a query plan out. Pure.

Root fields go first to the graph that resolves most of their selection; the walk (`walk.py`)
fills that graph's fetch group and hands off to entity groups what it cannot resolve, along the
cheapest key paths of the query graph (`gateway.planning.graph`). Where several subgraphs could
resolve a field, `gateway.planning.choices` re-plans with the alternatives and keeps the plan of
lowest `PlanCost`. The groups form a DAG that `assemble.py` turns into plan steps. See
docs/planner.md.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLObjectType,
    StringValueNode,
    Visitor,
    print_ast,
    visit,
)

from gateway.planning.assemble import assemble, splice_sequences
from gateway.planning.choices import Choices, Decision, cheapest_plan, cost_of
from gateway.planning.conditions import guards_of
from gateway.planning.errors import PlanningError
from gateway.planning.fetch_group import FetchGroup, SelectionBuilder
from gateway.planning.graph.cost import PlanCost
from gateway.planning.groups import GroupSet
from gateway.planning.introspection import introspection_document
from gateway.planning.nodes import PlanNode, QueryPlan, Sequence
from gateway.planning.normalize import normalize_operation
from gateway.planning.position import At
from gateway.planning.routing import Router
from gateway.planning.selections import (
    Field,
    InlineFragment,
    NormalizedOperation,
    Selection,
    operation_document,
)
from gateway.planning.walk import Walker
from gateway.supergraph import Supergraph

logger = logging.getLogger(__name__)

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
    return plan_normalized(supergraph, operation, enabled_override_labels)


def plan_normalized(
    supergraph: Supergraph,
    operation: NormalizedOperation,
    enabled_override_labels: Collection[str] = frozenset(),
) -> QueryPlan:
    """The query plan of an operation normalised already (the gateway keeps one per document
    and operation name, `Gateway.operations`), taken as it is."""
    try:
        return QueryPlanner(supergraph, frozenset(enabled_override_labels)).plan(operation)
    except PlanningError as exc:
        # A valid operation the planner cannot plan is a planner bug: keep what reproduces it
        # (string literals masked: an operation may carry a password or personal data).
        logger.error(
            "query planning failed: %s; operation %r of:\n%s",
            exc.message,
            operation.name,
            print_ast(visit(operation_document(operation), _MaskStrings())),
        )
        raise


class _MaskStrings(Visitor):
    """Every string literal of a document replaced by `"***"` (for logs)."""

    def enter_string_value(self, node: StringValueNode, *_: object) -> StringValueNode:
        return StringValueNode(value="***")


class QueryPlanner:
    """Builds fetch groups by walking the operation, then assembles them into plan nodes."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str] = frozenset()) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.router = Router(supergraph, labels)

    def plan(self, operation: NormalizedOperation) -> QueryPlan:
        """Plan one normalised operation: the cheapest plan over the subgraph choices
        (`gateway.planning.choices`)."""
        return cheapest_plan(lambda choices: self._plan_with(operation, choices))

    def _plan_with(
        self, operation: NormalizedOperation, choices: Choices
    ) -> tuple[QueryPlan, PlanCost]:
        root = self.schema.get_type(operation.root_type)
        assert isinstance(root, GraphQLObjectType)
        entries = list(_root_entries(operation.selections, ()))
        data = [e for e in entries if not e[0].name.startswith("__")]
        counter = itertools.count()
        node: PlanNode | None
        if operation.kind == "mutation":
            sets = self._mutation_groups(root, data, choices)
            assembled = (
                assemble(groups.groups, operation, counter, self.supergraph) for groups in sets
            )
            nodes = [n for n in assembled if n is not None]
            node = Sequence(tuple(splice_sequences(nodes))) if len(nodes) > 1 else _only(nodes)
            costs = [cost_of(groups.groups) for groups in sets]
            cost = PlanCost(sum(c.fetches for c in costs), sum(c.steps for c in costs))
        else:
            # A subscription plans as a query: its root fetch is sent over a WebSocket and the
            # rest runs per event (gateway/app/subscriptions).
            groups = self._query_groups(root, data, choices, operation.kind)
            node = assemble(groups.groups, operation, counter, self.supergraph)
            cost = cost_of(groups.groups)
        return QueryPlan(operation, node, introspection_document(operation)), cost

    def _query_groups(
        self,
        root: GraphQLObjectType,
        entries: list[RootEntry],
        choices: Choices,
        kind: str = "query",
    ) -> GroupSet:
        groups = GroupSet()
        walker = Walker(self.supergraph, self.router, groups, choices)
        for field, wrappers in entries:
            used = {g.graph for g in groups.groups if not g.is_entity}
            graph = self._root_graph(walker, root, field, used)
            walker.place(_at(groups.query_root(graph, kind), root, wrappers), field)
        return groups

    def _mutation_groups(
        self, root: GraphQLObjectType, entries: list[RootEntry], choices: Choices
    ) -> list[GroupSet]:
        # Mutation fields run one after the other in document order (spec: "Normal and Serial
        # Execution"), so only consecutive fields of the same graph may share a fetch.
        result: list[tuple[FetchGroup, GroupSet, Walker]] = []
        for field, wrappers in entries:
            previous = [result[-1][0].graph] if result else []
            groups = GroupSet()
            graph = self._root_graph(
                Walker(self.supergraph, self.router, groups, choices), root, field, previous
            )
            if not result or result[-1][0].graph != graph:
                group = groups.add_root(FetchGroup(graph, (), "mutation", False))
                result.append(
                    (group, groups, Walker(self.supergraph, self.router, groups, choices))
                )
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
        ranked = sorted(
            resolvers,
            key=lambda g: RootRank(
                minus_local_fields=-walker.local_score(g, root, (field,)),
                not_used_yet=g not in preferred,
                graph_order=self.router.graph_order(g),
            ),
        )
        if len(ranked) == 1:
            return ranked[0]
        return walker.choices.choose(Decision((), root.name, field.response_key), ranked)


@dataclass(frozen=True, order=True)
class RootRank:
    """The first guess for a root field's subgraph (the cost search may pick another)."""

    #: minus how many fields of the selection the subgraph resolves itself (more is better)
    minus_local_fields: int
    #: True when no fetch to that subgraph exists yet (reusing one is better)
    not_used_yet: bool
    #: position of the subgraph in the supergraph (stable last resort)
    graph_order: int


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
