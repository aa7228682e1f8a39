"""Re-entering the parent entity: the way to a value-type field only another subgraph resolves.

`product { dimensions { weight } }`, where `Dimensions` has no key and only the warehouse
resolves `weight`: no key jump leads from `Dimensions` in the catalog to the warehouse, but one
leads from the parent `Product`. The walk goes back up (`At.origin`) to the nearest entity, takes
the cheapest key path from there to a subgraph resolving every field on the way down and the
field itself, and selects the way down again there (`product` -> `... on Product { dimensions {
weight } }` in an entity fetch merged at the product's path). Under a root field of a query with
no entity on the way, the jump is to another root fetch (a root-type jump).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from graphql import GraphQLCompositeType, is_abstract_type

from gateway.planning.graph.cost import PlanCost
from gateway.planning.position import At, child_path, composite, field_type
from gateway.planning.selections import Field

if TYPE_CHECKING:
    from gateway.planning.handoff import Handoff
    from gateway.planning.routing import Hop

#: (the type the field was selected on, the field), from the entity down
Step = tuple[GraphQLCompositeType, Field]


def reenter_parent(handoff: Handoff, at: At, field: Field) -> At | None:
    """Where `field` (on `at.parent`) continues after re-entering the nearest parent entity in a
    subgraph resolving the way down, or None when no ancestor entity leads to one."""
    router = handoff.router
    steps: list[Step] = []
    current = at
    while current.origin is not None and current.via is not None:
        steps.insert(0, (current.origin.parent, current.via))
        ancestor = current.origin
        current = ancestor
        if _query_root(ancestor):
            return _from_root(handoff, at, field, ancestor, steps)
        info = handoff.supergraph.types.get(ancestor.parent.name)
        if info is None or not info.keys:
            continue
        best: tuple[PlanCost, list[Hop]] | None = None
        for graph in sorted(info.graphs, key=router.graph_order):
            if graph == ancestor.group.graph or not router.resolves(
                graph, at.parent.name, field.name
            ):
                continue
            if not all(router.resolves(graph, t.name, f.name) for t, f in steps):
                continue
            route = router.route(ancestor.group.graph, ancestor.parent.name, [graph])
            if route is None:
                continue
            cost = PlanCost(len(route), len(route))
            if best is None or cost < best[0]:  # equal costs: the first in supergraph order
                best = (cost, route)
        if best is not None:
            return _descend(handoff, at, handoff.follow(ancestor, best[1], steps[0][1]), steps)
    return None


def _query_root(at: At) -> bool:
    group = at.group
    return not group.is_entity and group.kind == "query" and not at.path


def _from_root(handoff: Handoff, at: At, field: Field, root: At, steps: list[Step]) -> At | None:
    """Under a root field of a query: another root fetch, to the first subgraph (in supergraph
    order) resolving the root field, the way down and the field (a root-type jump)."""
    router = handoff.router
    for graph in sorted(handoff.supergraph.graphs, key=router.graph_order):
        if graph == root.group.graph or not router.resolves(graph, at.parent.name, field.name):
            continue
        if all(router.resolves(graph, t.name, f.name) for t, f in steps):
            group = handoff.groups.query_root(graph)
            start = At(group, group.selections, root.parent, (), None, root.guards)
            return _descend(handoff, at, start, steps)
    return None


def _descend(handoff: Handoff, at: At, entity: At, steps: list[Step]) -> At:
    position = entity
    for parent, step in steps:
        target = position.target
        if position.parent is not parent:
            target = target.fragment(parent.name)
        sub = target.field(Field(step.name, step.alias, step.arguments, step.directives, ()))
        assert sub is not None
        type_ = field_type(parent, step.name)
        child = composite(type_)
        if is_abstract_type(child) and not handoff.router.is_interface_object(
            position.group.graph, child.name
        ):
            sub.typename()
        path = child_path(position.path, step, type_)
        position = At(position.group, sub, child, path, None, at.guards, origin=position, via=step)
    if position.parent is not at.parent:
        position = replace(position, target=position.target.fragment(at.parent.name))
        position = replace(position, parent=at.parent)
    return position
