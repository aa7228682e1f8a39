"""The planner's selection model: fields and inline fragments, fragment spreads gone.

Immutable and typed, unlike the raw AST: every pass after normalisation and the executor's
response shaping work on these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    print_ast,
)


@dataclass(frozen=True)
class Field:
    """A field selection; `selections` is None for a leaf."""

    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    selections: tuple[Selection, ...] | None = None

    @property
    def response_key(self) -> str:
        """The key of this field in the response: its alias, else its name."""
        return self.alias or self.name


@dataclass(frozen=True)
class InlineFragment:
    """An inline fragment; `type_condition` None means the enclosing type."""

    type_condition: str | None
    selections: tuple[Selection, ...]
    directives: tuple[DirectiveNode, ...] = ()


Selection = Field | InlineFragment

TYPENAME = Field("__typename")


@dataclass(frozen=True)
class NormalizedOperation:
    """An operation after normalisation: what the planner plans and the executor shapes to."""

    kind: str
    name: str | None
    root_type: str
    variable_definitions: tuple[VariableDefinitionNode, ...]
    selections: tuple[Selection, ...]
    #: the selections as written (fragment spreads inlined, constant conditions folded), before
    #: flattening and merging: where a fragment's type condition still stands, which is what
    #: authorization reads (a fragment on a type the caller may not see is taken out)
    written: tuple[Selection, ...] = field(default=(), compare=False, repr=False)


def directives_key(directives: Iterable[DirectiveNode]) -> str:
    """A comparable text of directive applications (`@include(if: $x)`)."""
    return " ".join(print_ast(d) for d in directives)


def from_selection_set(node: SelectionSetNode) -> tuple[Selection, ...]:
    """Selections of an AST selection set without fragment spreads (field sets, inlined ASTs)."""
    result: list[Selection] = []
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            result.append(
                Field(
                    name=selection.name.value,
                    alias=selection.alias.value if selection.alias else None,
                    arguments=tuple(selection.arguments or ()),
                    directives=tuple(selection.directives or ()),
                    selections=(
                        from_selection_set(selection.selection_set)
                        if selection.selection_set
                        else None
                    ),
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            result.append(
                InlineFragment(
                    type_condition=(
                        selection.type_condition.name.value if selection.type_condition else None
                    ),
                    selections=from_selection_set(selection.selection_set),
                    directives=tuple(selection.directives or ()),
                )
            )
        else:
            raise TypeError(f"unexpected {selection.kind}: fragment spreads must be inlined first")
    return tuple(result)


def to_selection_set(selections: Iterable[Selection]) -> SelectionSetNode:
    """The AST selection set of planner selections (for printing operations)."""
    nodes: list[FieldNode | InlineFragmentNode] = []
    for selection in selections:
        if isinstance(selection, Field):
            nodes.append(
                FieldNode(
                    alias=NameNode(value=selection.alias) if selection.alias else None,
                    name=NameNode(value=selection.name),
                    arguments=selection.arguments,
                    directives=selection.directives,
                    selection_set=(
                        to_selection_set(selection.selections)
                        if selection.selections is not None
                        else None
                    ),
                )
            )
        else:
            nodes.append(
                InlineFragmentNode(
                    type_condition=(
                        NamedTypeNode(name=NameNode(value=selection.type_condition))
                        if selection.type_condition
                        else None
                    ),
                    directives=selection.directives,
                    selection_set=to_selection_set(selection.selections),
                )
            )
    return SelectionSetNode(selections=tuple(nodes))


def operation_document(operation: NormalizedOperation) -> DocumentNode:
    """The normalised operation as a document of one operation (for logs and tests)."""
    return DocumentNode(
        definitions=(
            OperationDefinitionNode(
                operation=OperationType(operation.kind),
                name=NameNode(value=operation.name) if operation.name else None,
                variable_definitions=operation.variable_definitions,
                directives=(),
                selection_set=to_selection_set(operation.selections),
            ),
        )
    )
