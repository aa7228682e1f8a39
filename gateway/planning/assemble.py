"""Assemble the fetch-group DAG into plan steps: a Sequence of steps, each step's fetches in
Parallel. The groups become a `FetchGraph` (a group runs in the step after its latest parent, so
the plan has as many sequential steps as the longest chain of groups), the optimise passes
(`gateway.planning.passes`) rewrite it, and each of its steps becomes one `Fetch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gateway.planning.aliasing import FieldAliaser
from gateway.planning.conditions import Guard, guards_of
from gateway.planning.fetch_group import FetchGroup
from gateway.planning.fetches import build_fetch
from gateway.planning.nodes import Condition, Flatten, Parallel, PlanNode, Sequence
from gateway.planning.passes import FetchGraph, FetchStep, optimise
from gateway.planning.selections import NormalizedOperation, Selection
from gateway.supergraph import Supergraph


def assemble(
    groups: list[FetchGroup],
    operation: NormalizedOperation,
    counter: Iterator[int],
    supergraph: Supergraph,
) -> PlanNode | None:
    """The plan node of a DAG of groups; `counter` numbers fetches (for operation names);
    fields a subgraph would refuse to merge are aliased by its types in `supergraph`."""
    graph = optimise(FetchGraph.from_groups(groups))
    steps: list[PlanNode] = []
    for level in graph.levels():
        nodes = [_step_node(step, operation, next(counter), supergraph) for step in level]
        steps.append(nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes)))
    if not steps:
        return None
    return steps[0] if len(steps) == 1 else Sequence(tuple(splice_sequences(steps)))


def splice_sequences(nodes: list[PlanNode]) -> Iterator[PlanNode]:
    """The nodes with nested Sequences spliced in (a Sequence in a Sequence adds nothing)."""
    for node in nodes:
        if isinstance(node, Sequence):
            yield from node.nodes
        else:
            yield node


def _step_node(
    step: FetchStep, operation: NormalizedOperation, index: int, supergraph: Supergraph
) -> PlanNode:
    parent = None if step.is_entity else operation.root_type
    selections, renames = FieldAliaser(supergraph, step.graph).alias(
        tuple(step.selections.values()), parent
    )
    fetch = build_fetch(
        step.graph,
        step.kind,
        selections,
        tuple(step.requires.values()) if step.is_entity else None,
        operation,
        index,
        renames,
    )
    node: PlanNode = (
        Flatten(step.paths[0], fetch, tuple(step.paths[1:])) if step.is_entity else fetch
    )
    guards = step.guards if step.is_entity else _shared_guards(step.selections.values())
    for variable, expected in reversed(guards):
        node = Condition(variable, node, None) if expected else Condition(variable, None, node)
    return node


def _shared_guards(selections: Iterable[Selection]) -> tuple[Guard, ...]:
    """Variable conditions on every root selection of a fetch: the whole fetch is skipped."""
    each = [guards_of(s.directives) for s in selections]
    return tuple(g for g in each[0] if all(g in other for other in each)) if each else ()
