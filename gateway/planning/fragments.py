"""Normalisation pass: replace named fragment spreads by inline fragments.

`...UserFields @include(if: $x)` becomes `... on User @include(if: $x) { <UserFields> }`, so later
passes see fields and inline fragments only. Validation has already ruled out cycles
(https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles).
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
)


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name."""
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def inline_fragment_spreads(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> SelectionSetNode:
    """The selection set with every named fragment spread inlined, at any depth."""
    selections: list[SelectionNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            definition = fragments[selection.name.value]
            selections.append(
                InlineFragmentNode(
                    type_condition=definition.type_condition,
                    directives=tuple(selection.directives or ()),
                    selection_set=inline_fragment_spreads(definition.selection_set, fragments),
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            selections.append(
                InlineFragmentNode(
                    type_condition=selection.type_condition,
                    directives=tuple(selection.directives or ()),
                    selection_set=inline_fragment_spreads(selection.selection_set, fragments),
                )
            )
        elif isinstance(selection, FieldNode) and selection.selection_set is not None:
            selections.append(
                FieldNode(
                    alias=selection.alias,
                    name=selection.name,
                    arguments=tuple(selection.arguments or ()),
                    directives=tuple(selection.directives or ()),
                    selection_set=inline_fragment_spreads(selection.selection_set, fragments),
                )
            )
        else:
            selections.append(selection)
    return SelectionSetNode(selections=tuple(selections))
