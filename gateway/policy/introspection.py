"""Introspection switch: with `GATEWAY_INTROSPECTION` off (the production default), an operation
selecting `__schema` or `__type` anywhere (fragments included) is refused; `__typename` stays."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.policy.errors import INTROSPECTION_DISABLED, PolicyError
from gateway.policy.limits import INTROSPECTION_FIELDS


def uses_introspection(document: DocumentNode, operation: OperationDefinitionNode) -> bool:
    """True when `operation` selects `__schema` or `__type` (each fragment looked at once)."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    seen: set[str] = set()
    pending: list[SelectionSetNode] = [operation.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_FIELDS:
                    return True
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    pending.append(fragments[name].selection_set)
    return False


def check_introspection(uses: bool, allowed: bool) -> None:
    """`PolicyError` (400) when the operation introspects and introspection is off."""
    if uses and not allowed:
        raise PolicyError(
            400,
            INTROSPECTION_DISABLED,
            "Introspection is disabled on this gateway; use the published schema instead.",
        )
