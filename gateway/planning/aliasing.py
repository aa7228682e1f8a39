"""Alias fields a subgraph would refuse to merge, and record how to rename them back.

GraphQL's "OverlappingFieldsCanBeMerged" rule refuses a selection set where one response name is
selected under different type conditions with types of different shapes (`... on Chair { label }`
with `label: String!` and `... on Table { label }` with `label: String`). The supergraph may
agree on one type (`String`) while a subgraph does not, so a fetch is checked against the types
of *its* subgraph (`@join__field(type:)`): the second such field is sent as
`label__alias_0: label`, and the fetch carries a `KeyRename` that the executor applies to the
answer before merging it (as @apollo/gateway does).

Fields sharing a response name under one selection set (after aliasing) share one scope for
their sub-selections, as the validation rule merges them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import GraphQLField, GraphQLNamedType, get_named_type, is_leaf_type

from gateway.planning.nodes import KeyRename
from gateway.planning.selections import Field, InlineFragment, Selection
from gateway.supergraph import Supergraph


@dataclass(frozen=True)
class _Shape:
    """What the merge rule compares: list/non-null wrappers, and the type name of a leaf."""

    wrappers: str
    leaf: str | None

    def mergeable(self, other: _Shape) -> bool:
        return self == other


@dataclass
class _Scope:
    """The response names of one (merged) selection set: per name, the shapes sent and the key
    each is sent under; per key sent, the scope of its sub-selections."""

    sent: dict[str, list[tuple[_Shape, str]]] = field(default_factory=dict)
    children: dict[str, _Scope] = field(default_factory=dict)
    #: every response key the client's selections use here (an alias must not be one of them)
    taken: set[str] = field(default_factory=set)


class FieldAliaser:
    """Aliases the conflicting fields of one fetch's selections in one subgraph."""

    def __init__(self, supergraph: Supergraph, graph: str) -> None:
        self.supergraph = supergraph
        self.graph = graph
        self._counter: Iterator[int] = itertools.count()
        self.renames: list[KeyRename] = []

    def alias(
        self, selections: tuple[Selection, ...], parent: str | None
    ) -> tuple[tuple[Selection, ...], tuple[KeyRename, ...]]:
        """`selections` (under `parent`, None for `_entities`) with conflicting fields
        aliased, and the renames of the answer, deepest first."""
        rewritten = self._rewrite(selections, parent, (), _Scope())
        if not self.renames:
            return selections, ()
        renames = sorted(self.renames, key=lambda r: -len(r.path))
        return rewritten, tuple(renames)

    def _rewrite(
        self,
        selections: tuple[Selection, ...],
        parent: str | None,
        path: tuple[str, ...],
        scope: _Scope,
    ) -> tuple[Selection, ...]:
        scope.taken.update(_response_keys(selections))
        result: list[Selection] = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                inner = selection.type_condition or parent
                fragment_selections = self._rewrite(selection.selections, inner, path, scope)
                result.append(
                    InlineFragment(
                        selection.type_condition, fragment_selections, selection.directives
                    )
                )
            else:
                result.append(self._field(selection, parent, path, scope))
        return tuple(result)

    def _field(
        self, selection: Field, parent: str | None, path: tuple[str, ...], scope: _Scope
    ) -> Field:
        found = self._definition(parent, selection.name)
        if found is None:  # `__typename`, or a field the supergraph does not have
            return selection
        definition, shape = found
        key = selection.response_key
        sent = scope.sent.setdefault(key, [])
        used = next((k for s, k in sent if s.mergeable(shape)), None)
        if used is None:
            used = key
            while sent and (used == key or used in scope.taken):
                used = f"{key}__alias_{next(self._counter)}"
            scope.taken.add(used)
            sent.append((shape, used))
        if used != key:
            self.renames.append(KeyRename(path, used, key))
        if selection.selections is None:
            sub: tuple[Selection, ...] | None = None
        else:
            child = scope.children.setdefault(used, _Scope())
            named: GraphQLNamedType = get_named_type(definition.type)
            sub = self._rewrite(selection.selections, named.name, (*path, used), child)
        if used == key and sub == selection.selections:
            return selection
        return Field(
            selection.name,
            used if used != selection.name else None,
            selection.arguments,
            selection.directives,
            sub,
        )

    def _definition(self, parent: str | None, name: str) -> tuple[GraphQLField, _Shape] | None:
        """The supergraph's field and its shape in this subgraph."""
        if parent is None or name.startswith("__"):
            return None
        parent_type = self.supergraph.schema.get_type(parent)
        fields = getattr(parent_type, "fields", None)
        if not fields or name not in fields:
            return None
        definition: GraphQLField = fields[name]
        text = str(definition.type)
        info = self.supergraph.field(parent, name)
        join = info.join_in(self.graph) if info is not None else None
        if join is not None and join.type is not None:
            text = join.type
        named = get_named_type(definition.type)
        wrappers = "".join(c for c in text if c in "[]!")
        return definition, _Shape(wrappers, named.name if is_leaf_type(named) else None)


def _response_keys(selections: tuple[Selection, ...]) -> Iterator[str]:
    for selection in selections:
        if isinstance(selection, InlineFragment):
            yield from _response_keys(selection.selections)
        else:
            yield selection.response_key
