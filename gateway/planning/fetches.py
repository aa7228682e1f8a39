"""Freeze a fetch group into a `Fetch` node: its selections, its subgraph operation text and the
client variables it passes on (with their declared types and defaults)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    ListTypeNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    print_ast,
    strip_ignored_characters,
)

from gateway.planning.nodes import Fetch, KeyRename
from gateway.planning.selections import Field, NormalizedOperation, Selection, to_selection_set

REPRESENTATIONS = "representations"

_REPRESENTATIONS_DEFINITION = VariableDefinitionNode(
    variable=VariableNode(name=NameNode(value=REPRESENTATIONS)),
    type=NonNullTypeNode(
        type=ListTypeNode(type=NonNullTypeNode(type=NamedTypeNode(name=NameNode(value="_Any"))))
    ),
    directives=(),
)


def build_fetch(
    graph: str,
    kind: str,
    selections: tuple[Selection, ...],
    requires: tuple[Selection, ...] | None,
    operation: NormalizedOperation,
    index: int,
    renames: tuple[KeyRename, ...] = (),
) -> Fetch:
    """The `Fetch` node of finished selections (`requires` set for an entity fetch); `index`
    numbers it within the plan; `renames` undo the aliases the selections were given."""
    is_entity = requires is not None
    used = set(variables_used(selections))
    definitions = tuple(d for d in operation.variable_definitions if d.variable.name.value in used)
    if is_entity:
        selection_set = SelectionSetNode(
            selections=(
                FieldNode(
                    name=NameNode(value="_entities"),
                    arguments=(
                        ArgumentNode(
                            name=NameNode(value=REPRESENTATIONS),
                            value=VariableNode(name=NameNode(value=REPRESENTATIONS)),
                        ),
                    ),
                    directives=(),
                    selection_set=to_selection_set(selections),
                ),
            )
        )
        definitions = (_REPRESENTATIONS_DEFINITION, *definitions)
    else:
        selection_set = to_selection_set(selections)
    name = f"{operation.name}__{graph}__{index}" if operation.name else None
    document = DocumentNode(
        definitions=(
            OperationDefinitionNode(
                operation=OperationType(kind),
                name=NameNode(value=name) if name else None,
                variable_definitions=definitions,
                directives=(),
                selection_set=selection_set,
            ),
        )
    )
    return Fetch(
        service=graph,
        operation_text=strip_ignored_characters(print_ast(document)),
        operation_kind=kind,
        operation_name=name,
        selections=selections,
        requires=requires,
        variable_usages=tuple(d.variable.name.value for d in definitions[is_entity:]),
        renames=renames,
    )


def variables_used(selections: Iterable[Selection]) -> Iterator[str]:
    """Names of the variables used in arguments and directives, at any depth."""
    for selection in selections:
        yield from _in_directives(selection.directives)
        if isinstance(selection, Field):
            for argument in selection.arguments:
                yield from _in_value(argument.value)
            yield from variables_used(selection.selections or ())
        else:
            yield from variables_used(selection.selections)


def _in_directives(directives: Iterable[DirectiveNode]) -> Iterator[str]:
    for directive in directives:
        for argument in directive.arguments or ():
            yield from _in_value(argument.value)


def _in_value(value: ValueNode) -> Iterator[str]:
    if isinstance(value, VariableNode):
        yield value.name.value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from _in_value(item)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            yield from _in_value(object_field.value)
