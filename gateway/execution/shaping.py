"""Shape the merged data to the operation, as GraphQL execution would have completed it.

Exactly the fields asked for, in the order asked, under their aliases; fields the planner added
(keys, `__typename`) are dropped; `@skip`/`@include` on variables are applied; and a null in a
non-null position nulls the nearest nullable parent (https://spec.graphql.org/October2021/
#sec-Handling-Field-Errors), up to `data` itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_abstract_type,
    is_leaf_type,
)

from gateway.execution.paths import ResponsePath
from gateway.planning import Field, NormalizedOperation, Selection, is_included

_MISSING = object()  # the field is absent: its fetch failed or its entity was not found
_INVALID = object()  # a non-null field is null: the parent must become null
_NULLED = object()  # a nullable field became null because a non-null child was null

_INTROSPECTION = frozenset({"__schema", "__type"})


class ResponseShaper:
    """Shapes one response; adds the spec's non-null errors to `errors`."""

    def __init__(
        self, schema: GraphQLSchema, variables: Mapping[str, Any], errors: list[dict[str, Any]]
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.errors = errors

    def shape(self, operation: NormalizedOperation, data: dict[str, Any]) -> dict[str, Any] | None:
        """The `data` of the response; None when a non-null root field is null."""
        root = self.schema.get_type(operation.root_type)
        assert isinstance(root, GraphQLObjectType)
        shaped = self._object(data, root, operation.selections, ())
        return None if shaped is _INVALID or shaped is None else shaped

    def _object(
        self,
        obj: dict[str, Any],
        static: GraphQLCompositeType,
        selections: tuple[Selection, ...],
        path: ResponsePath,
    ) -> Any:
        runtime = self._runtime_type(obj, static)
        if runtime is None:
            return None
        result: dict[str, Any] = {}
        for key, fields in self._collect(selections, runtime, {}).items():
            first = fields[0]
            if first.name == "__typename":
                result[key] = runtime.name
                continue
            if first.name in _INTROSPECTION:
                result[key] = obj.get(key)
                continue
            definition = runtime.fields[first.name]
            children = tuple(child for f in fields for child in f.selections or ())
            value = self._value(
                obj.get(key, _MISSING),
                definition.type,
                children,
                (*path, key),
                f"{runtime.name}.{first.name}",
            )
            if value is _INVALID:
                return _INVALID
            result[key] = None if value is _NULLED else value
        return result

    def _value(
        self,
        value: Any,
        type_: GraphQLOutputType,
        selections: tuple[Selection, ...],
        path: ResponsePath,
        coordinate: str,
    ) -> Any:
        """The completed value; `_NULLED` when a nullable position became null because of a
        child, `_INVALID` when this non-null position is null."""
        if isinstance(type_, GraphQLNonNull):
            completed = self._value(value, type_.of_type, selections, path, coordinate)
            if completed is _INVALID or completed is _NULLED:
                return _INVALID
            if completed is None:
                if value is not _MISSING:
                    self._non_null_error(path, coordinate)
                return _INVALID
            return completed
        if value is None or value is _MISSING:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return None
            items: list[Any] = []
            for index, item in enumerate(value):
                completed = self._value(item, type_.of_type, selections, (*path, index), coordinate)
                if completed is _INVALID:
                    return _NULLED
                items.append(None if completed is _NULLED else completed)
            return items
        if is_leaf_type(type_):
            return value
        if not isinstance(value, dict):
            return None
        shaped = self._object(value, type_, selections, path)  # type: ignore[arg-type]
        return _NULLED if shaped is _INVALID else shaped

    def _runtime_type(
        self, obj: dict[str, Any], static: GraphQLCompositeType
    ) -> GraphQLObjectType | GraphQLInterfaceType | None:
        if not is_abstract_type(static):
            assert isinstance(static, GraphQLObjectType)
            return static
        found = self.schema.get_type(str(obj.get("__typename")))
        if isinstance(found, GraphQLObjectType):
            return found
        if isinstance(static, GraphQLInterfaceType) and found in (None, static):
            # From a graph modelling the interface as an object (`@interfaceObject`): the plan
            # asked for the real type only when the selection depends on it.
            return static
        # An object without a type the client can know (absent, or not in the API schema).
        return None

    def _collect(
        self,
        selections: tuple[Selection, ...],
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        into: dict[str, list[Field]],
    ) -> dict[str, list[Field]]:
        """https://spec.graphql.org/October2021/#CollectFields()"""
        for selection in selections:
            if not is_included(selection.directives, self.variables):
                continue
            if isinstance(selection, Field):
                into.setdefault(selection.response_key, []).append(selection)
            elif self._applies(selection.type_condition, runtime):
                self._collect(selection.selections, runtime, into)
        return into

    def _applies(
        self, condition: str | None, runtime: GraphQLObjectType | GraphQLInterfaceType
    ) -> bool:
        if condition is None or condition == runtime.name:
            return True
        condition_type = self.schema.get_type(condition)
        return is_abstract_type(condition_type) and self.schema.is_sub_type(condition_type, runtime)

    def _non_null_error(self, path: ResponsePath, coordinate: str) -> None:
        # A subgraph error at or under this path already explains the null.
        for error in self.errors:
            error_path = error.get("path")
            if isinstance(error_path, list) and tuple(error_path[: len(path)]) == path:
                return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field {coordinate}.",
                "path": list(path),
            }
        )
