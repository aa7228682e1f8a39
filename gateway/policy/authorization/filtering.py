"""Taking out of a normalised operation what a caller may not see.

It reads the selections as written (`NormalizedOperation.written`: fragments inlined, not yet
flattened, so each fragment's type condition is still there to check). An unauthorised field is
replaced by `<its response key>: __typename` (same position, `@skip`/`@include` kept, no
arguments, nothing fetched below it); a fragment on a type the caller may not see keeps only a
hidden `__typename` marker, so the objects it applied to are known. Each is recorded as a
`Removal`, which shaping answers null with its error (gateway/execution/removals.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import (
    GraphQLCompositeType,
    GraphQLField,
    GraphQLNonNull,
    get_named_type,
)

from gateway.execution import Removal
from gateway.planning import Field, InlineFragment, Selection
from gateway.policy.authorization.requirements import TYPENAME, Caller, Requirements
from gateway.supergraph import AccessRequirement

UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE"
#: Apollo Router's message for every field or type taken out of an operation
UNAUTHORIZED_MESSAGE = "Unauthorized field or type"

#: the selections of one object scope: (their parent type, the selections), in order; a field
#: selected several times under one response key has one scope for all its selections
Parts = list[tuple[GraphQLCompositeType, tuple[Selection, ...]]]


@dataclass
class _Occurrence:
    """A field selected in a scope (fragments flattened) and whether the caller may see it."""

    selection: Field
    parent: GraphQLCompositeType
    definition: GraphQLField | None
    visible: bool


@dataclass
class _ScopeState:
    """What rewriting the selections of one scope shares."""

    #: the response keys leading to the scope
    path: tuple[str, ...]
    taken: set[str]
    #: response key -> the key its stand-in gets (where the key also answers a real field)
    aliases: dict[str, str] = field(default_factory=dict)
    #: type condition -> key of its marker
    markers: dict[str, str] = field(default_factory=dict)
    #: response key -> the rewritten selections of its occurrences, in order
    rewritten: dict[str, Iterator[tuple[Selection, ...]]] = field(default_factory=dict)


class OperationFilter:
    """Rewrites the selections of one operation for one caller, recording what it took out."""

    def __init__(self, requirements: Requirements, caller: Caller) -> None:
        self.requirements = requirements
        self.caller = caller
        self.schema = requirements.schema
        #: what was taken out, in the order it was met
        self.removals: list[Removal] = []

    def scope(
        self,
        parts: Parts,
        parent_requirement: AccessRequirement | None = None,
        path: tuple[str, ...] = (),
    ) -> list[tuple[Selection, ...]]:
        """Each part of one object scope rewritten. `parent_requirement`: the root type's
        requirement, which each root field needs; `path`: the response keys leading here."""
        occurrences: list[_Occurrence] = []
        for parent, selections in parts:
            self._collect(parent, selections, occurrences, parent_requirement)
        visible_keys = {o.selection.response_key for o in occurrences if o.visible}
        hidden_keys = {o.selection.response_key for o in occurrences if not o.visible}
        taken = visible_keys | hidden_keys
        state = _ScopeState(path=path, taken=taken)
        for key in sorted(visible_keys & hidden_keys):
            # The key answers a real field for some types: the stand-in needs its own key.
            state.aliases[key] = _fresh(f"{key}_unauthorized", taken)
        children: dict[str, Parts] = {}
        for occurrence in occurrences:
            below = occurrence.selection.selections
            if occurrence.visible and occurrence.definition and below is not None:
                returned = get_named_type(occurrence.definition.type)
                assert isinstance(returned, GraphQLCompositeType)
                children.setdefault(occurrence.selection.response_key, []).append((returned, below))
        for key, child_parts in children.items():
            state.rewritten[key] = iter(self.scope(child_parts, None, (*path, key)))
        return [
            self._rewrite(parent, selections, state, parent_requirement)
            for parent, selections in parts
        ]

    def _visible(
        self,
        parent: GraphQLCompositeType,
        definition: GraphQLField | None,
        selection: Field,
        parent_requirement: AccessRequirement | None,
    ) -> bool:
        return definition is None or (
            self.caller.meets(parent_requirement)
            and self.requirements.field_visible(self.caller, parent, definition, selection)
        )

    def _collect(
        self,
        parent: GraphQLCompositeType,
        selections: tuple[Selection, ...],
        into: list[_Occurrence],
        parent_requirement: AccessRequirement | None,
    ) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                definition = _field_definition(parent, selection.name)
                visible = self._visible(parent, definition, selection, parent_requirement)
                into.append(_Occurrence(selection, parent, definition, visible))
                continue
            condition = self._condition(parent, selection)
            if self.requirements.type_visible(self.caller, condition, selection.selections):
                self._collect(condition, selection.selections, into, parent_requirement)

    def _condition(
        self, parent: GraphQLCompositeType, fragment: InlineFragment
    ) -> GraphQLCompositeType:
        if fragment.type_condition is None:
            return parent
        condition = self.schema.get_type(fragment.type_condition)
        assert isinstance(condition, GraphQLCompositeType)  # validation checked it
        return condition

    def _rewrite(
        self,
        parent: GraphQLCompositeType,
        selections: tuple[Selection, ...],
        state: _ScopeState,
        parent_requirement: AccessRequirement | None,
    ) -> tuple[Selection, ...]:
        rewritten: list[Selection] = []
        for selection in selections:
            if isinstance(selection, Field):
                rewritten.append(self._field(parent, selection, state, parent_requirement))
                continue
            condition = self._condition(parent, selection)
            if self.requirements.type_visible(self.caller, condition, selection.selections):
                body = self._rewrite(condition, selection.selections, state, parent_requirement)
            else:
                marker = state.markers.get(condition.name)
                if marker is None:
                    marker = _fresh(f"{condition.name}_unauthorized", state.taken)
                    state.markers[condition.name] = marker
                    self.removals.append(_removal(state.path, marker, None, non_null=False))
                body = (Field(TYPENAME, alias=marker),)
            rewritten.append(InlineFragment(selection.type_condition, body, selection.directives))
        return tuple(rewritten)

    def _field(
        self,
        parent: GraphQLCompositeType,
        selection: Field,
        state: _ScopeState,
        parent_requirement: AccessRequirement | None,
    ) -> Field:
        definition = _field_definition(parent, selection.name)
        if definition is None:  # __typename and the introspection fields
            return selection
        key = selection.response_key
        if not self._visible(parent, definition, selection, parent_requirement):
            stand_in = state.aliases.get(key, key)
            non_null = isinstance(definition.type, GraphQLNonNull)
            self.removals.append(_removal(state.path, stand_in, key, non_null=non_null))
            return Field(TYPENAME, alias=stand_in, directives=selection.directives)
        if selection.selections is None:
            return selection
        return Field(
            name=selection.name,
            alias=selection.alias,
            arguments=selection.arguments,
            directives=selection.directives,
            selections=next(state.rewritten[key]),
        )


def _removal(path: tuple[str, ...], stand_in: str, key: str | None, *, non_null: bool) -> Removal:
    return Removal(
        parent=path,
        stand_in=stand_in,
        key=key,
        non_null=non_null,
        message=UNAUTHORIZED_MESSAGE,
        code=UNAUTHORIZED_FIELD_OR_TYPE,
    )


def _field_definition(parent: GraphQLCompositeType, name: str) -> GraphQLField | None:
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields is not None and not name.startswith("__") else None


def _fresh(base: str, taken: set[str]) -> str:
    """A response key not used in the scope."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate
