"""Hand a field off to an entity group of a graph that resolves it, and fetch `@requires` data.

The target graph is reached by keys the current group can select (through a third graph when no
key connects them). When the target resolves the field with `@requires`, the required fields are
fetched first, wherever they resolve, and the target group waits for every group that holds them;
its representations then carry `{__typename, <key>, <required>}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from graphql import (
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLSchema,
    is_abstract_type,
    is_composite_type,
    is_object_type,
)

from gateway.planning.choices import Choices, Decision
from gateway.planning.errors import PlanningError
from gateway.planning.fetch_group import FetchGroup
from gateway.planning.graph.cost import HandoffRank, PlanCost
from gateway.planning.groups import GroupSet
from gateway.planning.position import (
    At,
    child_path,
    composite,
    field_type,
    provided_under,
)
from gateway.planning.reentry import reenter_parent
from gateway.planning.routing import Hop, Router
from gateway.planning.selections import (
    TYPENAME,
    Field,
    InlineFragment,
    Selection,
    from_selection_set,
)
from gateway.supergraph import Key, Supergraph

Used = list[FetchGroup]


class Handoff:
    """Entity hops and `@requires`; the base of the planner's walk."""

    def __init__(
        self,
        supergraph: Supergraph,
        router: Router,
        groups: GroupSet,
        choices: Choices | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.schema: GraphQLSchema = supergraph.schema
        self.router = router
        self.groups = groups
        self.choices = choices if choices is not None else Choices()

    def type(self, name: str) -> GraphQLCompositeType:
        """The named composite type of the supergraph schema."""
        found = self.schema.get_type(name)
        assert is_composite_type(found), name
        return found

    def local(self, at: At, name: str) -> bool:
        """Whether `at`'s graph resolves field `name` of `at.parent` (`@provides` included)."""
        return self.router.resolves(at.group.graph, at.parent.name, name) or (
            self.provided(at, name) is not None
        )

    def provided(self, at: At, name: str) -> tuple[Selection, ...] | None:
        """When `at`'s graph answers field `name` of `at.parent` because of a `@provides`: the
        provided sub-selections (empty for a leaf); else None. The field's `provided` edge of
        the query graph decides, usable here because a `@provides` in scope names the field."""
        if at.provided is None or not self.router.has_provided_edge(
            at.group.graph, at.parent.name, name
        ):
            return None
        return provided_under(at.provided, at.parent, name, self.schema)

    def local_everywhere(self, at: At, name: str) -> bool:
        """For an abstract parent: whether the graph resolves the field for all its types."""
        if not self.local(at, name):
            return False
        return all(
            self.local(replace(at, parent=possible), name)
            for possible in self.router.possible_in(at.parent, at.parent, at.group.graph)
        )

    def needs_requires(self, at: At, name: str) -> bool:
        """Whether the graph needs `@requires` data for the field (unless `@provides` gives it)."""
        if self.provided(at, name) is not None:
            return False
        return self.router.requires(at.group.graph, at.parent.name, name) is not None

    def handoff(self, at: At, field: Field) -> At:
        """Where `field` continues: an entity group, reached by the fewest steps, that resolves
        it (waiting for its `@requires` data)."""
        there = self.try_handoff(at, field)
        if there is None:
            raise PlanningError(
                f"Cannot plan {at.parent.name}.{field.name}: no key of {at.parent.name} lets "
                f'subgraph "{at.group.graph}" reach a subgraph resolving it.'
            )
        return there

    def try_handoff(self, at: At, field: Field) -> At | None:
        """`handoff`, or None when no key leads to a graph resolving the field."""
        type_name = at.parent.name
        if field.name == "__typename":
            # Only asked for elsewhere at an `@interfaceObject`: the real type is known there.
            resolvers = self.router.implementation_graphs(type_name)
        else:
            resolvers = self.router.resolvers(type_name, field.name)
        ranked: list[tuple[HandoffRank, list[Hop], str]] = []
        for graph in sorted(resolvers, key=self._order):
            requires = self.router.requires(graph, type_name, field.name) is not None
            if graph == at.group.graph:
                key = self.router.usable_key(graph, type_name, graph) if requires else None
                route = [Hop(graph, key)] if key is not None else None
            else:
                route = self.router.route(at.group.graph, type_name, [graph], self._keys_here(at))
            if route is None:
                continue
            rank = HandoffRank(
                cost=PlanCost(len(route) + requires, len(route) + requires),
                new_fetch=not self.groups.existing(graph, at.path, at.guards),
                minus_local_fields=-self.local_score(graph, at.parent, at.siblings or (field,)),
                graph_order=self._order(graph),
            )
            ranked.append((rank, route, graph))
        if ranked:
            ranked.sort(key=lambda entry: entry[0])
            chosen = ranked[0]
            if len(ranked) > 1:
                decision = Decision(at.path, type_name, field.name)
                graph = self.choices.choose(decision, [entry[2] for entry in ranked])
                chosen = next(entry for entry in ranked if entry[2] == graph)
            return self.follow(at, chosen[1], field)
        reentered = self.reenter_parent(at, field)
        if reentered is not None:
            return reentered
        return self._via_interface_object(at, field)

    def _keys_here(self, at: At) -> Callable[[Key], bool] | None:
        """Under a `@provides`: which keys of `at.parent` the graph can select here, provided
        key fields included (None elsewhere: the graph's own fields decide)."""
        if at.provided is None:
            return None
        return lambda key: (
            self.router.can_provide(at.group.graph, at.parent.name, key.fields.selection_set)
            or self.selects_here(at, from_selection_set(key.fields.selection_set))
        )

    def selects_here(self, at: At, selections: tuple[Selection, ...]) -> bool:
        """Whether `at`'s graph answers every field of `selections` (on `at.parent`) at `at`,
        `@provides` in scope included."""
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = (
                    self.type(selection.type_condition) if selection.type_condition else at.parent
                )
                if not self.selects_here(replace(at, parent=condition), selection.selections):
                    return False
            elif selection.name == "__typename":
                continue
            elif not self.local(at, selection.name):
                return False
            elif selection.selections is not None:
                type_ = field_type(at.parent, selection.name)
                provided = provided_under(at.provided, at.parent, selection.name, self.schema)
                inner = replace(at, parent=composite(type_), provided=provided)
                if not self.selects_here(inner, selection.selections):
                    return False
        return True

    def reenter_parent(self, at: At, field: Field) -> At | None:
        """A field of a value type no key reaches: re-enter the nearest parent entity in a
        subgraph resolving the whole way down (see `gateway.planning.reentry`)."""
        return reenter_parent(self, at, field)

    def _via_interface_object(self, at: At, field: Field) -> At | None:
        """An object type's field that only an `@interfaceObject` graph of one of its interfaces
        resolves: an entity fetch on the interface there, by one of its keys."""
        for interface, graph in self.router.interface_object_resolvers(at.parent, field.name):
            info = self.supergraph.type(interface)
            for key in info.resolvable_keys(graph):
                if self.router.can_provide(
                    at.group.graph, at.parent.name, key.fields.selection_set
                ):
                    return self.follow(at, [Hop(graph, key)], field, self.type(interface))
        return None

    def follow(
        self,
        at: At,
        route: list[Hop],
        field: Field,
        entity_type: GraphQLCompositeType | None = None,
    ) -> At:
        """Follow `route` from `at`; the last group selects on `entity_type` (an interface that
        graph models as an object), or on `at.parent`."""
        type_name = at.parent.name
        entity = entity_type or at.parent
        current = at
        for index, hop in enumerate(route):
            current.target.typename()
            key = current.target.require(from_selection_set(hop.key.fields.selection_set))
            parents: Used = [current.group]
            required: tuple[Selection, ...] = ()
            requires = self.router.requires(hop.graph, entity.name, field.name)
            if index == len(route) - 1 and requires is not None:
                required, used = self.fetch_required(at, from_selection_set(requires))
                parents += used
            group = self.groups.entity(hop.graph, at.path, at.guards, parents)
            representation = group.requires.fragment(type_name)
            representation.typename()
            representation.require(key)
            representation.require(required)
            position = group.entity_position(entity.name)
            if isinstance(entity, GraphQLInterfaceType) and not self.router.is_interface_object(
                hop.graph, entity.name
            ):
                position.typename()  # the real type, for objects an interface object returned
            current = At(group, position, entity, at.path, None, at.guards)
        return current

    def fetch_required(
        self, at: At, selections: tuple[Selection, ...]
    ) -> tuple[tuple[Selection, ...], Used]:
        """Select `@requires` fields (on `at.parent`) wherever they resolve; return them as
        selected (aliased where a client field took the name) and the groups holding them."""
        added: list[Selection] = []
        used: Used = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = (
                    self.type(selection.type_condition) if selection.type_condition else at.parent
                )
                possible = self.router.possible_in(condition, at.parent, at.group.graph)
                if condition is not at.parent and not possible:
                    continue  # the graph never returns such objects here
                at.target.typename()
                conditions: list[GraphQLCompositeType] = [condition]
                if not is_object_type(condition) and not self.router.defines(
                    at.group.graph, condition.name
                ):
                    conditions = list(possible)  # the graph does not know the condition
                for each in conditions:
                    name = selection.type_condition if each is condition else each.name
                    sub = replace(at, target=at.target.fragment(name), parent=each)
                    inner, inner_used = self.fetch_required(sub, selection.selections)
                    added.append(InlineFragment(name, inner))
                    _extend(used, inner_used)
            elif selection.name == "__typename":
                at.target.typename()
                added.append(TYPENAME)
                _extend(used, [at.group])
            elif self.local(at, selection.name) and not self.needs_requires(at, selection.name):
                field, inner_used = self._required_field(at, selection)
                added.append(field)
                _extend(used, inner_used)
            else:
                there = self.handoff(at, selection)
                field, inner_used = self._required_field(there, selection)
                added.append(field)
                _extend(used, inner_used)
        return tuple(added), used

    def _required_field(self, at: At, selection: Field) -> tuple[Field, Used]:
        chosen, sub = at.target.require_field(selection)
        used: Used = [at.group]
        inner: tuple[Selection, ...] | None = None
        if selection.selections is not None and sub is not None:
            type_ = field_type(at.parent, selection.name)
            child = composite(type_)
            if is_abstract_type(child):
                sub.typename()
            provided = provided_under(at.provided, at.parent, selection.name, self.schema)
            position = At(
                at.group, sub, child, child_path(at.path, chosen, type_), provided, at.guards
            )
            inner, inner_used = self.fetch_required(position, selection.selections)
            if is_abstract_type(child) and TYPENAME not in inner:
                inner = (TYPENAME, *inner)  # the representation says which type it holds
            _extend(used, inner_used)
        return Field(chosen.name, chosen.alias, chosen.arguments, (), inner), used

    def local_score(
        self, graph: str, parent: GraphQLCompositeType, selections: tuple[Selection, ...]
    ) -> int:
        """How many of the selected fields `graph` resolves without leaving it."""
        score = 0
        for selection in selections:
            if isinstance(selection, InlineFragment):
                inner = self.type(selection.type_condition) if selection.type_condition else parent
                score += self.local_score(graph, inner, selection.selections)
            elif selection.name != "__typename" and self.router.resolves(
                graph, parent.name, selection.name
            ):
                score += 1
                if selection.selections is not None:
                    child = composite(field_type(parent, selection.name))
                    score += self.local_score(graph, child, selection.selections)
        return score

    def _order(self, graph: str) -> int:
        return self.router.graph_order(graph)


def _extend(used: Used, more: Used) -> None:
    for group in more:
        if group not in used:
            used.append(group)
