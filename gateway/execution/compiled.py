"""What the executor works out once per plan and keeps: response shapes (one per outcome of the
operation's `@skip`/`@include` variable conditions, and per authorization outcome: the
`Removals` a kind of caller has), `requires` pickers, and the paths of each group of Flatten
nodes sharing an `_entities` call, walked together.

Keyed by the identity of plan parts, each entry holding its key object so that the identity
stays valid; the cache is emptied when it grows past `capacity` (plans are cached upstream, so
this only happens when the plan cache turns over).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from graphql.language import DirectiveNode

from gateway.execution.paths import PathSet
from gateway.execution.removals import Removals
from gateway.execution.representations import RequiresPicker
from gateway.execution.shaping import OperationShape, condition_directives
from gateway.planning import Flatten, NormalizedOperation, Selection, is_included

_Conditions = tuple[tuple[DirectiveNode, ...], ...]


class _Shapes:
    """The shapes of one operation by the outcome of its variable conditions."""

    __slots__ = ("conditions", "operation", "removals", "variants")

    def __init__(self, operation: NormalizedOperation, removals: Removals | None) -> None:
        self.operation = operation
        self.removals = removals
        self.conditions: _Conditions = tuple(condition_directives(operation.selections))
        self.variants: dict[tuple[bool, ...], OperationShape] = {}


class Collection:
    """Where the objects of one `_entities` call are found: the paths of its Flatten node, walked
    together (a shared prefix once), and the picker of the node's `requires`."""

    __slots__ = ("node", "paths", "picker")

    def __init__(self, node: Flatten, plans: CompiledPlans) -> None:
        self.node = node
        assert node.node.requires is not None
        self.picker = plans.picker(node.node.requires)
        self.paths = PathSet(tuple(node.paths))

    def objects(self, data: dict[str, Any]) -> list[list[dict[str, Any]]]:
        """The objects at each path, path by path, in plan order."""
        return self.paths.objects(data)


class CompiledPlans:
    """Per-plan precomputations of one executor (one supergraph)."""

    def __init__(self, schema: GraphQLSchema, capacity: int = 2048) -> None:
        self.schema = schema
        self.capacity = capacity
        self._shapes: dict[tuple[int, int], _Shapes] = {}
        self._pickers: dict[int, tuple[tuple[Selection, ...], RequiresPicker]] = {}
        self._collections: dict[int, Collection] = {}

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

    def collection(self, node: Flatten) -> Collection:
        """Where the objects of `node`'s `_entities` call are found."""
        found = self._collections.get(id(node))
        if found is None or found.node is not node:
            if len(self._collections) >= self.capacity:
                self._collections.clear()
            found = self._collections[id(node)] = Collection(node, self)
        return found
