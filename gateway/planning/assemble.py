"""Assemble the fetch-group DAG into plan steps: a Sequence of steps, each step's fetches in
Parallel. A group runs in the step after its latest parent, so the plan has as many sequential
steps as the longest chain of groups. Entity groups of one step that ask one graph the same
thing about each type (different paths) share one fetch: the executor sends them as one
`_entities` call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graphql import print_ast

from gateway.planning.aliasing import FieldAliaser
from gateway.planning.conditions import Guard, guards_of
from gateway.planning.fetch_group import FetchGroup
from gateway.planning.fetches import build_fetch
from gateway.planning.nodes import Condition, Flatten, Parallel, PlanNode, Sequence
from gateway.planning.selections import (
    InlineFragment,
    NormalizedOperation,
    Selection,
    to_selection_set,
)
from gateway.supergraph import Supergraph


@dataclass
class _Bucket:
    """Groups sent as one fetch: same graph, kind and guards, agreeing on every shared type."""

    graph: str
    kind: str
    is_entity: bool
    guards: tuple[Guard, ...]
    selections: dict[str | None, Selection] = field(default_factory=dict)
    requires: dict[str | None, Selection] = field(default_factory=dict)
    paths: list[tuple[str, ...]] = field(default_factory=list)

    def accepts(
        self,
        group: FetchGroup,
        selections: dict[str | None, Selection],
        requires: dict[str | None, Selection],
    ) -> bool:
        if (group.graph, group.kind, group.is_entity, group.guards) != (
            self.graph,
            self.kind,
            self.is_entity,
            self.guards,
        ) or not self.is_entity:
            return False
        return _agree(self.selections, selections) and _agree(self.requires, requires)


def assemble(
    groups: list[FetchGroup],
    operation: NormalizedOperation,
    counter: Iterator[int],
    supergraph: Supergraph,
) -> PlanNode | None:
    """The plan node of a DAG of groups; `counter` numbers fetches (for operation names);
    fields a subgraph would refuse to merge are aliased by its types in `supergraph`."""
    memo: dict[int, int] = {}
    live = [g for g in groups if g.selections]
    placed = {id(g): _level(g, memo) for g in live}
    _delay_leaves(live, placed)
    levels: dict[int, list[FetchGroup]] = {}
    for group in live:
        levels.setdefault(placed[id(group)], []).append(group)
    steps: list[PlanNode] = []
    for level in sorted(levels):
        nodes = [
            _bucket_node(bucket, operation, next(counter), supergraph)
            for bucket in _buckets(levels[level])
        ]
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


def _level(group: FetchGroup, memo: dict[int, int]) -> int:
    found = memo.get(id(group))
    if found is None:
        found = memo[id(group)] = (
            1 + max(_level(p, memo) for p in group.parents) if group.parents else 0
        )
    return found


def _delay_leaves(groups: list[FetchGroup], placed: dict[int, int]) -> None:
    """Move a group nothing waits for to a later step where the same graph is asked the same
    thing anyway: one request fewer, and no step more."""
    parents = {id(p) for g in groups for p in g.parents}
    for group in groups:
        if not group.is_entity or id(group) in parents:
            continue
        mine = (_by_type(group.selections.build()), _by_type(group.requires.build()))
        for other in sorted(groups, key=lambda g: -placed[id(g)]):
            if placed[id(other)] <= placed[id(group)]:
                break
            bucket = _Bucket(other.graph, other.kind, other.is_entity, other.guards)
            bucket.selections = _by_type(other.selections.build())
            bucket.requires = _by_type(other.requires.build())
            if bucket.accepts(group, *mine):
                placed[id(group)] = placed[id(other)]
                break


def _buckets(groups: list[FetchGroup]) -> list[_Bucket]:
    buckets: list[_Bucket] = []
    for group in groups:
        selections = _by_type(group.selections.build())
        requires = _by_type(group.requires.build())
        bucket = next((b for b in buckets if b.accepts(group, selections, requires)), None)
        if bucket is None:
            bucket = _Bucket(group.graph, group.kind, group.is_entity, group.guards)
            buckets.append(bucket)
        bucket.selections.update(selections)
        bucket.requires.update(requires)
        if group.merge_path not in bucket.paths:
            bucket.paths.append(group.merge_path)
    return buckets


def _bucket_node(
    bucket: _Bucket, operation: NormalizedOperation, index: int, supergraph: Supergraph
) -> PlanNode:
    parent = None if bucket.is_entity else operation.root_type
    selections, renames = FieldAliaser(supergraph, bucket.graph).alias(
        tuple(bucket.selections.values()), parent
    )
    fetch = build_fetch(
        bucket.graph,
        bucket.kind,
        selections,
        tuple(bucket.requires.values()) if bucket.is_entity else None,
        operation,
        index,
        renames,
    )
    node: PlanNode = (
        Flatten(bucket.paths[0], fetch, tuple(bucket.paths[1:])) if bucket.is_entity else fetch
    )
    guards = bucket.guards if bucket.is_entity else _shared_guards(bucket.selections.values())
    for variable, expected in reversed(guards):
        node = Condition(variable, node, None) if expected else Condition(variable, None, node)
    return node


def _shared_guards(selections: Iterable[Selection]) -> tuple[Guard, ...]:
    """Variable conditions on every root selection of a fetch: the whole fetch is skipped."""
    each = [guards_of(s.directives) for s in selections]
    return tuple(g for g in each[0] if all(g in other for other in each)) if each else ()


def _by_type(selections: tuple[Selection, ...]) -> dict[str | None, Selection]:
    """Entity selections are one fragment per type; root selections keep their order."""
    if all(isinstance(s, InlineFragment) and not s.directives for s in selections):
        return {s.type_condition: s for s in selections if isinstance(s, InlineFragment)}
    return {str(i): s for i, s in enumerate(selections)}


def _agree(old: dict[str | None, Selection], new: dict[str | None, Selection]) -> bool:
    return all(_text(old[t]) == _text(s) for t, s in new.items() if t in old)


def _text(selection: Selection) -> str:
    return print_ast(to_selection_set((selection,)))
