"""What of a subgraph's answer may be cached: a `Cache-Control` header computed from cache hints,
as Apollo's `@cacheControl` hints do (the gateway's entity cache reads it: docs/caching.md).

A subgraph gives a hint per object type it serves (`CacheHint(max_age=60)`, `private=True` when
the type's fields depend on the caller), `CacheHint.inherit()` for wrapper types (a page, its
`PageInfo`, an entity stub) that add no limit of their own, and may hint a root field
(`"Query.productCount"`). An answer may be kept as long as its most short-lived type allows,
for its caller only if any type is private; it is `no-store` when any composite type in the
operation (or any root scalar field) has no hint, for a mutation, for introspection and for
every answer with errors. Entities asked for through `_entities` are hinted by their type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    is_abstract_type,
    is_composite_type,
)
from strawberry.extensions import SchemaExtension

NO_STORE = "no-store"


@dataclass(frozen=True)
class CacheHint:
    """How long answers with this type may be kept (None: no limit of its own), and whether for
    the caller only."""

    max_age: int | None = None
    private: bool = False

    @classmethod
    def inherit(cls) -> CacheHint:
        """No limit of its own: the type's parents and children decide."""
        return cls(None, False)


class _Uncacheable(Exception):
    pass


def cache_control_for(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    hints: Mapping[str, CacheHint],
) -> str:
    """The `Cache-Control` value of a successful answer to the operation."""
    operation = get_operation_ast(document, operation_name)
    root = schema.query_type
    if operation is None or operation.operation != OperationType.QUERY or root is None:
        return NO_STORE
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, hints)
    try:
        walk.selection(root, operation.selection_set, is_root=True)
    except _Uncacheable:
        return NO_STORE
    if walk.max_age is None or walk.max_age <= 0:
        return NO_STORE
    return f"max-age={walk.max_age}, {'private' if walk.private else 'public'}"


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        hints: Mapping[str, CacheHint],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.hints = hints
        self.max_age: int | None = None
        self.private = False

    def apply(self, key: str) -> None:
        hint = self.hints.get(key)
        if hint is None:
            raise _Uncacheable(key)
        if hint.max_age is not None:
            self.max_age = hint.max_age if self.max_age is None else min(self.max_age, hint.max_age)
        self.private = self.private or hint.private

    def selection(self, parent: Any, selection_set: SelectionSetNode, *, is_root: bool) -> None:
        for node, on in self._fields(parent, selection_set):
            name = node.name.value
            if name == "__typename":
                continue
            if name.startswith("__"):
                raise _Uncacheable(name)  # introspection
            field = getattr(on, "fields", {}).get(name)
            if field is None:
                raise _Uncacheable(name)
            named = get_named_type(field.type)
            root_hint = f"{on.name}.{name}" if is_root else None
            if root_hint is not None and root_hint in self.hints:
                self.apply(root_hint)
            elif not is_composite_type(named):
                if is_root:
                    raise _Uncacheable(name)  # a root scalar without a hint of its own
                continue
            if not is_composite_type(named) or node.selection_set is None:
                continue
            for concrete in self._types(named, node.selection_set):
                self.apply(concrete.name)
            self.selection(named, node.selection_set, is_root=False)

    def _fields(
        self, parent: Any, selection_set: SelectionSetNode
    ) -> Iterator[tuple[FieldNode, Any]]:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                yield node, parent
            elif isinstance(node, InlineFragmentNode):
                on = self._type(node.type_condition.name.value) if node.type_condition else parent
                yield from self._fields(on, node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is None:
                    raise _Uncacheable(node.name.value)
                yield from self._fields(
                    self._type(fragment.type_condition.name.value), fragment.selection_set
                )

    def _types(self, named: Any, selection_set: SelectionSetNode) -> list[GraphQLObjectType]:
        """The object types the answer to a field may hold: the type itself, or for an abstract
        type those its fragments select (all possible ones when none)."""
        if not is_abstract_type(named):
            return [named]
        chosen = [
            self._type(node.type_condition.name.value)
            for node in selection_set.selections
            if isinstance(node, InlineFragmentNode) and node.type_condition is not None
        ]
        objects = [t for t in chosen if isinstance(t, GraphQLObjectType)]
        return objects or list(self.schema.get_possible_types(named))

    def _type(self, name: str) -> Any:
        found = self.schema.get_type(name)
        if found is None:
            raise _Uncacheable(name)
        return found


def cache_control_extension(hints: Mapping[str, CacheHint]) -> type[SchemaExtension]:
    """A Strawberry extension setting `Cache-Control` on every answer from `hints`."""

    class CacheControl(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            yield
            context = self.execution_context
            response = getattr(context.context, "response", None)
            if response is None:
                return
            value = NO_STORE
            result = context.result
            errors = getattr(result, "errors", None)
            if result is not None and not errors and context.graphql_document is not None:
                value = cache_control_for(
                    context.schema._schema, context.graphql_document, context.operation_name, hints
                )
            response.headers["Cache-Control"] = value

    return CacheControl
