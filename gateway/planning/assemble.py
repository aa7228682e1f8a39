"""Freeze fetch groups into plan nodes: a group's fetch, then its dependents (in parallel when
there are several), as a Sequence."""

from __future__ import annotations

from collections.abc import Iterator

from gateway.planning.fetch_group import FetchGroup
from gateway.planning.fetches import build_fetch
from gateway.planning.nodes import Flatten, Parallel, PlanNode, Sequence
from gateway.planning.selections import NormalizedOperation


def assemble(group: FetchGroup, operation: NormalizedOperation, counter: Iterator[int]) -> PlanNode:
    """The plan node of a group and everything that depends on it; `counter` numbers fetches."""
    fetch = build_fetch(group, operation, next(counter))
    node: PlanNode = Flatten(group.merge_path, fetch) if group.is_entity else fetch
    children = [assemble(d, operation, counter) for d in group.dependents.values()]
    if not children:
        return node
    tail = children[0] if len(children) == 1 else Parallel(tuple(children))
    return Sequence(tuple(splice_sequences([node, tail])))


def splice_sequences(nodes: list[PlanNode]) -> Iterator[PlanNode]:
    """The nodes with nested Sequences spliced in (a Sequence in a Sequence adds nothing)."""
    for node in nodes:
        if isinstance(node, Sequence):
            yield from node.nodes
        else:
            yield node
