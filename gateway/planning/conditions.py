"""Normalisation pass: fold `@skip`/`@include` with constant arguments.

A selection under `@skip(if: true)` or `@include(if: false)` is dropped; `@skip(if: false)` and
`@include(if: true)` are removed. Conditions on variables stay on the selection: they are sent to
the subgraph with the variable, and the executor evaluates them when shaping the response
(https://spec.graphql.org/October2021/#sec--skip).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
)

_CONDITIONS = {"skip": True, "include": False}  # directive -> value of `if` that excludes

#: a variable condition: run only when the boolean variable has this value
Guard = tuple[str, bool]


def fold_constant_conditions(selection_set: SelectionSetNode) -> SelectionSetNode:
    """The selection set without constant-false selections and constant-true conditions."""
    selections: list[SelectionNode] = []
    for selection in selection_set.selections:
        directives = tuple(selection.directives or ())
        if _constantly_excluded(directives):
            continue
        kept = tuple(d for d in directives if not _constant_condition(d))
        if isinstance(selection, FieldNode):
            selections.append(
                FieldNode(
                    alias=selection.alias,
                    name=selection.name,
                    arguments=tuple(selection.arguments or ()),
                    directives=kept,
                    selection_set=(
                        fold_constant_conditions(selection.selection_set)
                        if selection.selection_set
                        else None
                    ),
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            selections.append(
                InlineFragmentNode(
                    type_condition=selection.type_condition,
                    directives=kept,
                    selection_set=fold_constant_conditions(selection.selection_set),
                )
            )
        else:
            selections.append(selection)
    return SelectionSetNode(selections=tuple(selections))


def is_included(directives: Iterable[DirectiveNode], variables: Mapping[str, Any]) -> bool:
    """Whether `@skip`/`@include` let a selection through, given the request's variable values."""
    for directive in directives:
        excluding = _CONDITIONS.get(directive.name.value)
        if excluding is None:
            continue
        value = _if_value(directive, variables)
        if value is excluding:
            return False
    return True


def condition_variables(directives: Iterable[DirectiveNode]) -> tuple[str, ...]:
    """Names of the variables that `@skip`/`@include` conditions depend on."""
    names: list[str] = []
    for directive in directives:
        if directive.name.value in _CONDITIONS:
            for arg in directive.arguments or ():
                if isinstance(arg.value, VariableNode):
                    names.append(arg.value.name.value)
    return tuple(names)


def guards_of(directives: Iterable[DirectiveNode]) -> tuple[Guard, ...]:
    """The variable conditions of `@skip`/`@include` applications (`@skip(if: $x)` -> x false)."""
    guards: list[Guard] = []
    for directive in directives:
        excluding = _CONDITIONS.get(directive.name.value)
        node = _if_node(directive)
        if excluding is not None and isinstance(node, VariableNode):
            guards.append((node.name.value, not excluding))
    return tuple(guards)


def _if_value(directive: DirectiveNode, variables: Mapping[str, Any]) -> Any:
    for arg in directive.arguments or ():
        if arg.name.value == "if":
            if isinstance(arg.value, BooleanValueNode):
                return arg.value.value
            if isinstance(arg.value, VariableNode):
                return variables.get(arg.value.name.value)
    return None


def _constant_condition(directive: DirectiveNode) -> bool:
    return directive.name.value in _CONDITIONS and isinstance(_if_node(directive), BooleanValueNode)


def _constantly_excluded(directives: tuple[DirectiveNode, ...]) -> bool:
    return any(
        _constant_condition(d) and _if_value(d, {}) is _CONDITIONS[d.name.value] for d in directives
    )


def _if_node(directive: DirectiveNode) -> object:
    return next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
