"""Fetch groups: the mutable work-in-progress of one fetch while the planner walks the operation.

A group is one future `Fetch` to one graph, at one merge path, with the groups that depend on its
data. Frozen into plan nodes once the walk is done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import DirectiveNode, print_ast

from gateway.planning.conditions import Guard
from gateway.planning.selections import (
    TYPENAME,
    Field,
    InlineFragment,
    Selection,
    directives_key,
)


@dataclass
class _FieldEntry:
    field: Field
    sub: SelectionBuilder | None


@dataclass
class _FragmentEntry:
    fragment: InlineFragment
    sub: SelectionBuilder


class SelectionBuilder:
    """A selection set under construction; adding a selection twice merges it."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str | None, str], _FieldEntry | _FragmentEntry] = {}

    def __bool__(self) -> bool:
        return bool(self._entries)

    def field(self, field: Field) -> SelectionBuilder | None:
        """Add `field` (its sub-selections are not copied); return where its children go."""
        key = ("field", field.response_key, directives_key(field.directives))
        entry = self._entries.get(key)
        if entry is None:
            bare = Field(field.name, field.alias, field.arguments, field.directives)
            sub = SelectionBuilder() if field.selections is not None else None
            entry = self._entries[key] = _FieldEntry(bare, sub)
        assert isinstance(entry, _FieldEntry)
        return entry.sub

    def fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> SelectionBuilder:
        """The inline fragment `... on type_condition @directives`, created on first use."""
        key = ("fragment", type_condition, directives_key(directives))
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _FragmentEntry(
                InlineFragment(type_condition, (), tuple(directives)), SelectionBuilder()
            )
        assert isinstance(entry, _FragmentEntry)
        return entry.sub

    def typename(self) -> None:
        """Add `__typename`, first in the set, where planners conventionally put it."""
        self.field(TYPENAME)
        key = ("field", TYPENAME.response_key, "")
        self._entries = {key: self._entries[key]} | self._entries

    def require(self, selections: Iterable[Selection]) -> tuple[Selection, ...]:
        """Add planner-chosen selections (keys); return them as added, aliased where a client
        field already uses the response key for something else."""
        added: list[Selection] = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                sub = self.fragment(selection.type_condition, selection.directives)
                added.append(
                    InlineFragment(
                        selection.type_condition,
                        sub.require(selection.selections),
                        selection.directives,
                    )
                )
                continue
            chosen = self._unclashing(selection)
            field_sub = self.field(chosen)
            inner = field_sub.require(selection.selections or ()) if field_sub is not None else None
            added.append(Field(chosen.name, chosen.alias, chosen.arguments, (), inner))
        return tuple(added)

    def require_field(self, field: Field) -> tuple[Field, SelectionBuilder | None]:
        """Add a planner-chosen field without its sub-selections; return it as added (aliased
        when the response key is taken) and where its children go."""
        chosen = self._unclashing(Field(field.name, None, field.arguments, (), field.selections))
        return chosen, self.field(chosen)

    def _unclashing(self, field: Field) -> Field:
        """`field`, or the same field under an alias no other field of this set uses."""
        candidate = field
        for attempt in range(1, 100):
            clash = next(
                (
                    e.field
                    for e in self._entries.values()
                    if isinstance(e, _FieldEntry) and e.field.response_key == candidate.response_key
                ),
                None,
            )
            if clash is None or _same_field(clash, candidate):
                return candidate
            candidate = Field(
                field.name, f"_{field.name}{attempt}", field.arguments, (), field.selections
            )
        raise RuntimeError(f"no free alias for {field.name}")

    def build(self) -> tuple[Selection, ...]:
        """The selections as immutable planner selections, in insertion order."""
        result: list[Selection] = []
        for entry in self._entries.values():
            if isinstance(entry, _FieldEntry):
                f = entry.field
                subs = entry.sub.build() if entry.sub is not None else None
                result.append(Field(f.name, f.alias, f.arguments, f.directives, subs))
            else:
                frag = entry.fragment
                result.append(
                    InlineFragment(frag.type_condition, entry.sub.build(), frag.directives)
                )
        return tuple(result)


def _same_field(a: Field, b: Field) -> bool:
    # Directives do not matter: `id @include(if: $x)` and `id` merge into one field.
    return a.name == b.name and [print_ast(x) for x in a.arguments] == [
        print_ast(x) for x in b.arguments
    ]


@dataclass(eq=False)
class FetchGroup:
    """One future fetch: the graph, where its result merges, what it selects and needs."""

    graph: str
    #: response path the result merges at; () for root fetches
    merge_path: tuple[str, ...]
    kind: str
    is_entity: bool
    #: variable conditions of the fields this group hangs off (`Condition` nodes around it)
    guards: tuple[Guard, ...] = ()
    selections: SelectionBuilder = field(default_factory=SelectionBuilder)
    #: entity fetches only: `... on T { __typename <key> <required> }` read at `merge_path`
    requires: SelectionBuilder = field(default_factory=SelectionBuilder)
    #: the groups whose data this group's representations are read from
    parents: list[FetchGroup] = field(default_factory=list)

    def add_parents(self, parents: Iterable[FetchGroup]) -> None:
        """Make this group wait for `parents` too."""
        for parent in parents:
            if parent is not self and parent not in self.parents:
                self.parents.append(parent)

    def depends_on(self, other: FetchGroup) -> bool:
        """Whether this group waits, directly or not, for `other`."""
        return any(p is other or p.depends_on(other) for p in self.parents)

    def level(self) -> int:
        """The plan step this group runs in: 0 for roots, one after its latest parent."""
        return 1 + max(p.level() for p in self.parents) if self.parents else 0

    def entity_position(self, type_name: str) -> SelectionBuilder:
        """Where fields of entity type `type_name` go in this entity group."""
        return self.selections.fragment(type_name)
