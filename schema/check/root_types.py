"""Changes graphql-core does not list: a root operation type added, removed or replaced."""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLSchema

from .model import Change, Level


def root_type_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """A `query`, `mutation` or `subscription` root that appeared, vanished or changed type."""
    changes: list[Change] = []
    for operation in ("query", "mutation", "subscription"):
        before = _root(old, operation)
        after = _root(new, operation)
        if before == after:
            continue
        if after is None:
            message = f"The schema no longer has a {operation} root type: every {operation} fails."
            changes.append(Change(Level.BREAKING, "ROOT_TYPE_REMOVED", str(before), message))
        elif before is None:
            message = f"{after} was added as the {operation} root type."
            changes.append(Change(Level.SAFE, "ROOT_TYPE_ADDED", after, message))
        else:
            message = (
                f"The {operation} root type changed from {before} to {after}: fragments on"
                f" {before} and `__typename` checks may break."
            )
            changes.append(Change(Level.DANGEROUS, "ROOT_TYPE_CHANGED", after, message))
    return changes


def _root(schema: GraphQLSchema, operation: str) -> str | None:
    root: GraphQLObjectType | None = getattr(schema, f"{operation}_type")
    return root.name if root is not None else None
