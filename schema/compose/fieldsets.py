"""Parse `FieldSet` strings (`@key`, `@requires`, `@provides`) and resolve them in a subgraph."""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLError, parse
from graphql.language import (
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from .model import INTERFACE, OBJECT, UNION, Field, Subgraph

COMPOSITE = (OBJECT, INTERFACE, UNION)


class FieldSetError(Exception):
    """A field set that does not parse or does not match the schema."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def parse_field_set(text: str) -> SelectionSetNode:
    """Parse `id region { code }` into a selection set."""
    try:
        source = text if text.strip().startswith("{") else "{" + text + "}"
        document = parse(source, no_location=True)
    except GraphQLError as error:
        raise FieldSetError(error.message) from error
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def resolve_field_set(
    subgraph: Subgraph,
    parent: str,
    text: str,
    on_field: Callable[[Field], None] | None = None,
) -> list[Field]:
    """Every field the field set selects, in order; FieldSetError when it does not fit."""
    selection_set = parse_field_set(text)
    targets: list[Field] = []
    _walk(subgraph, parent, selection_set, targets, on_field)
    return targets


def _walk(
    subgraph: Subgraph,
    parent: str,
    selection_set: SelectionSetNode,
    targets: list[Field],
    on_field: Callable[[Field], None] | None,
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else parent
            condition_type = subgraph.type(condition)
            if condition_type is None or condition_type.kind not in COMPOSITE:
                raise FieldSetError(f'Unknown type "{condition}".')
            _walk(subgraph, condition, selection.selection_set, targets, on_field)
            continue
        if not isinstance(selection, FieldNode):
            raise FieldSetError("Fragment spreads are not allowed in field sets.")
        name = selection.name.value
        if name == "__typename":
            continue
        field = subgraph.field(parent, name)
        if field is None:
            raise FieldSetError(f'Cannot query field "{name}" on type "{parent}".')
        if on_field is not None:
            on_field(field)
        targets.append(field)
        base = subgraph.type(field.type.base)
        is_composite = base is not None and base.kind in COMPOSITE
        if selection.selection_set is not None:
            if not is_composite:
                raise FieldSetError(
                    f'Field "{name}" must not have a selection since type "{field.type}" '
                    "has no subfields."
                )
            _walk(subgraph, field.type.base, selection.selection_set, targets, on_field)
        elif is_composite:
            raise FieldSetError(
                f'Field "{name}" of type "{field.type}" must have a selection of subfields. '
                f'Did you mean "{name} {{ ... }}"?'
            )


def leaf_fields(subgraph: Subgraph, parent: str, selection_set: SelectionSetNode) -> list[Field]:
    """Leaf fields of a (valid) field set, not descending below @external fields."""
    result: list[Field] = []
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else parent
            result.extend(leaf_fields(subgraph, condition, selection.selection_set))
            continue
        if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
            continue
        field = subgraph.field(parent, selection.name.value)
        if field is None:
            continue
        if selection.selection_set is None:
            result.append(field)
        elif not field.has("external"):
            result.extend(leaf_fields(subgraph, field.type.base, selection.selection_set))
    return result
