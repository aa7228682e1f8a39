"""Normalise an operation: the chain of passes that runs before planning.

select operation -> inline fragment spreads -> fold constant conditions -> flatten inline
fragments that always apply -> merge fields by response key.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.planning.conditions import fold_constant_conditions
from gateway.planning.errors import PlanningError
from gateway.planning.fragments import fragment_definitions, inline_fragment_spreads
from gateway.planning.merge import merge_selections
from gateway.planning.operation import select_operation
from gateway.planning.selections import (
    Field,
    InlineFragment,
    NormalizedOperation,
    Selection,
    from_selection_set,
)


def normalize_operation(
    document: DocumentNode, operation_name: str | None, schema: GraphQLSchema
) -> NormalizedOperation:
    """The selected operation of a valid document, normalised against `schema`."""
    operation = select_operation(document, operation_name)
    kind = operation.operation.value
    root = schema.get_root_type(operation.operation)
    if root is None:
        raise PlanningError(f"The schema has no {kind} type.")
    selection_set = inline_fragment_spreads(operation.selection_set, fragment_definitions(document))
    selection_set = fold_constant_conditions(selection_set)
    selections = flatten_fragments(from_selection_set(selection_set), root, schema)
    return NormalizedOperation(
        kind=kind,
        name=operation.name.value if operation.name else None,
        root_type=root.name,
        variable_definitions=tuple(operation.variable_definitions or ()),
        selections=merge_selections(selections),
    )


def flatten_fragments(
    selections: tuple[Selection, ...], parent: GraphQLCompositeType, schema: GraphQLSchema
) -> tuple[Selection, ...]:
    """Splice in inline fragments without directives that always apply to `parent`."""
    result: list[Selection] = []
    for selection in selections:
        if isinstance(selection, Field):
            result.append(_flatten_field(selection, parent, schema))
            continue
        condition = (
            schema.get_type(selection.type_condition) if selection.type_condition else parent
        )
        assert is_composite_type(condition)  # validation checked the type condition
        inner = flatten_fragments(selection.selections, condition, schema)
        if not selection.directives and _always_applies(condition, parent, schema):
            result.extend(inner)
        else:
            result.append(InlineFragment(selection.type_condition, inner, selection.directives))
    return tuple(result)


def _flatten_field(field: Field, parent: GraphQLCompositeType, schema: GraphQLSchema) -> Field:
    if field.selections is None or field.name.startswith("__"):
        return field
    # Validation allows only `__typename` on a union, so the parent here has fields.
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    definition = parent.fields[field.name]
    child = get_named_type(definition.type)
    assert is_composite_type(child)
    return Field(
        name=field.name,
        alias=field.alias,
        arguments=field.arguments,
        directives=field.directives,
        selections=flatten_fragments(field.selections, child, schema),
    )


def _always_applies(
    condition: GraphQLCompositeType, parent: GraphQLCompositeType, schema: GraphQLSchema
) -> bool:
    """A fragment on the parent type, or on an abstract type that the object parent belongs to."""
    if condition is parent:
        return True
    return (
        isinstance(parent, GraphQLObjectType)
        and is_abstract_type(condition)
        and schema.is_sub_type(condition, parent)
    )
