"""What the executor works out once per plan and keeps: response shapes (one per outcome of the
operation's `@skip`/`@include` variable conditions, and per authorization outcome: the
`Removals` a kind of caller has) and `requires` pickers.

Keyed by the identity of plan parts, each entry holding its key object so that the identity
stays valid; the cache is emptied when it grows past `capacity` (plans are cached upstream, so
this only happens when the plan cache turns over).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from graphql.language import DirectiveNode

from gateway.execution.removals import Removals
from gateway.execution.representations import RequiresPicker
from gateway.execution.shaping import OperationShape, condition_directives
from gateway.planning import NormalizedOperation, Selection, is_included

_Conditions = tuple[tuple[DirectiveNode, ...], ...]


class _Shapes:
    """The shapes of one operation by the outcome of its variable conditions."""

    __slots__ = ("conditions", "operation", "removals", "variants")

    def __init__(self, operation: NormalizedOperation, removals: Removals | None) -> None:
        self.operation = operation
        self.removals = removals
        self.conditions: _Conditions = tuple(condition_directives(operation.selections))
        self.variants: dict[tuple[bool, ...], OperationShape] = {}


class CompiledPlans:
    """Per-plan precomputations of one executor (one supergraph)."""

    def __init__(self, schema: GraphQLSchema, capacity: int = 2048) -> None:
        self.schema = schema
        self.capacity = capacity
        self._shapes: dict[tuple[int, int], _Shapes] = {}
        self._pickers: dict[int, tuple[tuple[Selection, ...], RequiresPicker]] = {}

    def shape(
        self,
        operation: NormalizedOperation,
        variables: Mapping[str, Any],
        removals: Removals | None = None,
    ) -> OperationShape:
        """The shape of `operation` for the condition outcomes `variables` give, answering
        `removals` (what authorization took out) null."""
        key = (id(operation), id(removals))
        shapes = self._shapes.get(key)
        if shapes is None or shapes.operation is not operation or shapes.removals is not removals:
            if len(self._shapes) >= self.capacity:
                self._shapes.clear()
            shapes = self._shapes[key] = _Shapes(operation, removals)
        outcome = tuple(is_included(d, variables) for d in shapes.conditions)
        shape = shapes.variants.get(outcome)
        if shape is None:
            shape = shapes.variants[outcome] = OperationShape(
                self.schema, operation, variables, removals
            )
        return shape

    def picker(self, requires: tuple[Selection, ...]) -> RequiresPicker:
        """The picker of an entity fetch's `requires` selections."""
        entry = self._pickers.get(id(requires))
        if entry is None or entry[0] is not requires:
            if len(self._pickers) >= self.capacity:
                self._pickers.clear()
            entry = self._pickers[id(requires)] = (requires, RequiresPicker(requires, self.schema))
        return entry[1]
