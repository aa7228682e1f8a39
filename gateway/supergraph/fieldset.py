"""Field sets (`"id"`, `"id sku"`, `"owner { id }"`): the `join__FieldSet` strings of keys,
`requires` and `provides`, parsed into selection sets."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, GraphQLSyntaxError, OperationDefinitionNode, SelectionSetNode, parse

from gateway.supergraph.errors import SupergraphError


@dataclass(frozen=True)
class FieldSet:
    """A parsed field set; `source` is the text as composed, `selection_set` its AST."""

    source: str
    selection_set: SelectionSetNode

    def __str__(self) -> str:
        return self.source

    @property
    def top_level_names(self) -> tuple[str, ...]:
        """Names of the fields at the top of the set, in order (`"id org { id }"` -> id, org)."""
        return tuple(
            s.name.value for s in self.selection_set.selections if isinstance(s, FieldNode)
        )


def parse_field_set(source: str) -> FieldSet:
    """Parse a field set string; raise `SupergraphError` when it is not a selection set body."""
    try:
        document = parse(f"{{{source}}}", no_location=True)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(f"invalid field set {source!r}: {exc.message}") from None
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)  # `{...}` always parses to a query
    if not operation.selection_set.selections:
        raise SupergraphError(f"empty field set {source!r}")
    return FieldSet(source=source, selection_set=operation.selection_set)
