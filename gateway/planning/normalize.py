"""Normalise an operation: the chain of passes that runs before planning.

select operation -> inline fragment spreads -> fold constant conditions -> flatten inline
fragments that always apply -> merge fields by response key.

The gateway normalises an operation once per (document text, operation name) and keeps it
(`Gateway.operations`): authorization filters it and the planner takes it as it is. The
operation limits, the introspection switch and the cost estimate run before, on the document
itself: they count fragments where they are spread without expanding them, which is what makes
expanding them here safe (a fragment bomb is refused before it is inlined).
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
    written = NormalizedOperation(
        kind=kind,
        name=operation.name.value if operation.name else None,
        root_type=root.name,
        variable_definitions=tuple(operation.variable_definitions or ()),
        selections=(),
    )
    return with_written_selections(written, from_selection_set(selection_set), schema)


def with_written_selections(
    operation: NormalizedOperation, written: tuple[Selection, ...], schema: GraphQLSchema
) -> NormalizedOperation:
    """`operation` with `written` as its selections as written, flattened and merged again (the
    last two passes): how authorization hands its filtered operation to the planner."""
    root = schema.get_type(operation.root_type)
    assert isinstance(root, GraphQLObjectType)
    return NormalizedOperation(
        kind=operation.kind,
        name=operation.name,
        root_type=operation.root_type,
        variable_definitions=operation.variable_definitions,
        selections=merge_selections(flatten_fragments(written, root, schema)),
        written=written,
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
