"""Introspection switch: with `GATEWAY_INTROSPECTION` off (the production default), an operation
selecting `__schema` or `__type` anywhere (fragments included) is refused; `__typename` stays."""

from __future__ import annotations

from graphql import DocumentNode, OperationDefinitionNode

from gateway.policy.errors import INTROSPECTION_DISABLED, PolicyError
from gateway.policy.limits import operation_shape


def uses_introspection(document: DocumentNode, operation: OperationDefinitionNode) -> bool:
    """True when `operation` selects `__schema` or `__type` (noted by the limits' walk, which
    the pipeline runs once for both: `OperationShape.introspects`)."""
    return operation_shape(document, operation).introspects


def check_introspection(uses: bool, allowed: bool) -> None:
    """`PolicyError` (400) when the operation introspects and introspection is off."""
    if uses and not allowed:
        raise PolicyError(
            400,
            INTROSPECTION_DISABLED,
            "Introspection is disabled on this gateway; use the published schema instead.",
        )
