"""Walk a client selection in one graph's fetch group, handing off what the graph cannot resolve.

A field the graph resolves is added to the group's selection; a field it cannot resolve, or
resolves only with `@requires` data, continues in an entity group at the same path
(`gateway.planning.handoff`). Under a field with `@provides`, the graph also answers the
fields whose `provided` query-graph edges that field set names (`Handoff.provided`); variable
`@skip`/`@include` stay on the selection and become guards of the groups that hang off it.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import GraphQLCompositeType, GraphQLInterfaceType, is_abstract_type, is_object_type

from gateway.planning.handoff import Handoff
from gateway.planning.position import (
    At,
    child_path,
    composite,
    field_type,
    provided_under,
    with_guards,
)
from gateway.planning.selections import (
    TYPENAME,
    Field,
    InlineFragment,
    Selection,
    from_selection_set,
)


class Walker(Handoff):
    """Fills fetch groups with an operation's selections."""

    def walk(self, at: At, selections: tuple[Selection, ...]) -> None:
        """Add `selections` (on `at.parent`) at `at`, handing off what its graph cannot do."""
        at = replace(at, siblings=selections)
        for selection in selections:
            if isinstance(selection, Field):
                self.field(at, selection)
            else:
                self.fragment(at, selection)

    def fragment(self, at: At, fragment: InlineFragment) -> None:
        """An inline fragment: kept when the graph knows its type, else per possible type."""
        condition = self.type(fragment.type_condition) if fragment.type_condition else at.parent
        graph = at.group.graph
        if condition is not at.parent and self.router.is_interface_object(graph, at.parent.name):
            # The graph does not know the implementations: continue where they are known.
            self.fragment(self.handoff(at, TYPENAME), fragment)
            return
        inner = with_guards(at, fragment)
        possible = self.router.possible_in(condition, at.parent, graph)
        if condition is not at.parent and not possible:
            return  # the graph never returns such objects here (and may not know the type)
        if (
            condition is at.parent
            or is_object_type(condition)
            or self.router.defines(graph, condition.name)
        ):
            sub = at.target.fragment(fragment.type_condition, fragment.directives)
            self.walk(replace(inner, target=sub, parent=condition), fragment.selections)
            return
        for possible_type in possible:
            sub = at.target.fragment(possible_type.name, fragment.directives)
            self.walk(replace(inner, target=sub, parent=possible_type), fragment.selections)

    def field(self, at: At, field: Field) -> None:
        """A field: placed here when the graph resolves it, else handed off."""
        if self.router.is_interface_object(at.group.graph, at.parent.name):
            # `__typename` there would be the interface's name: ask a graph knowing the real type.
            typename = field.name == "__typename"
            if (
                not typename
                and self.local(at, field.name)
                and not self.needs_requires(at, field.name)
            ):
                self.place(at, field)
                return
            self.place(self.handoff(at, field), field)
            return
        if field.name == "__typename":
            at.target.field(field)
            return
        if is_abstract_type(at.parent) and not self.local_everywhere(at, field.name):
            whole = self._whole_interface(at, field)
            if whole is not None:
                self.place(whole, field)
                return
            # Resolved differently per implementation: route each possible type.
            for possible in self.router.possible_in(at.parent, at.parent, at.group.graph):
                self.field(
                    replace(at, target=at.target.fragment(possible.name), parent=possible), field
                )
            return
        if self.local(at, field.name) and not self.needs_requires(at, field.name):
            self.place(at, field)
            return
        self.place(self.handoff(at, field), field)

    def place(self, at: At, field: Field) -> None:
        """Add `field` to `at` and walk its sub-selections there."""
        sub = at.target.field(field)
        if field.selections is None or sub is None:
            return
        type_ = field_type(at.parent, field.name)
        child: GraphQLCompositeType = composite(type_)
        if is_abstract_type(child) and not self.router.is_interface_object(
            at.group.graph, child.name
        ):
            sub.typename()  # the shape of the response depends on the runtime type
        provided = provided_under(at.provided, at.parent, field.name, self.schema)
        own = self.router.provides(at.group.graph, at.parent.name, field.name)
        if own is not None:
            provided = (*(provided or ()), *from_selection_set(own))
        path = child_path(at.path, field, type_)
        inner = At(at.group, sub, child, path, provided, at.guards, origin=at, via=field)
        self.walk(with_guards(inner, field), field.selections)

    def _whole_interface(self, at: At, field: Field) -> At | None:
        """For an interface field no implementation resolves here: an entity fetch on the
        interface, by its key, to a graph resolving it for all (an `@interfaceObject`), or None."""
        if not isinstance(at.parent, GraphQLInterfaceType) or self.local(at, field.name):
            return None
        possible = self.router.possible_in(at.parent, at.parent, at.group.graph)
        if any(self.local(replace(at, parent=p), field.name) for p in possible):
            return None
        return self.try_handoff(at, field)
