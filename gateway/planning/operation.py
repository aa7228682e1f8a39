"""Pick the operation to run from a document, as the GraphQL spec's `GetOperation` does.

https://spec.graphql.org/October2021/#GetOperation()
"""

from __future__ import annotations

from graphql import DocumentNode, OperationDefinitionNode

from gateway.planning.errors import OperationSelectionError


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation named `operation_name`, or the only one when no name is given."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        if not operations:
            raise OperationSelectionError("The document contains no operation.")
        raise OperationSelectionError(
            "The document contains several operations; say which one to run in `operationName`."
        )
    for operation in operations:
        if operation.name and operation.name.value == operation_name:
            return operation
    raise OperationSelectionError(f"Unknown operation named '{operation_name}'.")
