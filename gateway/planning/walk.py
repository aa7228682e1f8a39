"""Walk a client selection in one graph's fetch group, handing off what the graph cannot resolve.

A field the graph resolves is added to the group's selection; a field it cannot resolve, or
resolves only with `@requires` data, continues in an entity group at the same path
(`gateway.planning.handoff`). `@provides` widens what the graph resolves under a field; variable
`@skip`/`@include` stay on the selection and become guards of the groups that hang off it.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import GraphQLCompositeType, is_abstract_type, is_object_type

from gateway.planning.handoff import Handoff
from gateway.planning.position import (
    At,
    child_path,
    composite,
    field_type,
    provided_under,
    with_guards,
)
from gateway.planning.selections import Field, InlineFragment, Selection, from_selection_set


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
        inner = with_guards(at, fragment)
        if condition is at.parent or self.router.defines(at.group.graph, condition.name):
            sub = at.target.fragment(fragment.type_condition, fragment.directives)
            self.walk(replace(inner, target=sub, parent=condition), fragment.selections)
            return
        if is_object_type(condition):
            return  # a graph never returns objects of a type it does not define
        for possible in self.router.possible_in(condition, at.parent, at.group.graph):
            sub = at.target.fragment(possible.name, fragment.directives)
            self.walk(replace(inner, target=sub, parent=possible), fragment.selections)

    def field(self, at: At, field: Field) -> None:
        """A field: placed here when the graph resolves it, else handed off."""
        if field.name == "__typename":
            at.target.field(field)
            return
        if is_abstract_type(at.parent) and not self.local_everywhere(at, field.name):
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
        if is_abstract_type(child):
            sub.typename()  # the shape of the response depends on the runtime type
        provided = provided_under(at.provided, at.parent, field.name, self.schema)
        own = self.router.provides(at.group.graph, at.parent.name, field.name)
        if own is not None:
            provided = (*(provided or ()), *from_selection_set(own))
        inner = At(at.group, sub, child, child_path(at.path, field, type_), provided, at.guards)
        self.walk(with_guards(inner, field), field.selections)
