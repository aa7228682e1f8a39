"""The root introspection selections (`__schema`, `__type`, `__typename`) as a document of their
own: the gateway answers them from the API schema, without any subgraph."""

from __future__ import annotations

from graphql import DocumentNode, NameNode, OperationDefinitionNode, OperationType

from gateway.planning.fetches import variables_used
from gateway.planning.selections import (
    Field,
    InlineFragment,
    NormalizedOperation,
    Selection,
    to_selection_set,
)


def introspection_document(operation: NormalizedOperation) -> DocumentNode | None:
    """The operation reduced to its root introspection fields; None when it has none."""
    selections = _introspection_only(operation.selections)
    if not selections:
        return None
    used = set(variables_used(selections))
    return DocumentNode(
        definitions=(
            OperationDefinitionNode(
                operation=OperationType(operation.kind),
                name=NameNode(value=operation.name) if operation.name else None,
                variable_definitions=tuple(
                    d for d in operation.variable_definitions if d.variable.name.value in used
                ),
                directives=(),
                selection_set=to_selection_set(selections),
            ),
        )
    )


def _introspection_only(selections: tuple[Selection, ...]) -> tuple[Selection, ...]:
    kept: list[Selection] = []
    for selection in selections:
        if isinstance(selection, Field):
            if selection.name.startswith("__"):
                kept.append(selection)
        else:
            inner = _introspection_only(selection.selections)
            if inner:
                kept.append(InlineFragment(selection.type_condition, inner, selection.directives))
    return tuple(kept)
