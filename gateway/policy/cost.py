"""Estimated cost: every field costs 1, and a list field multiplies the cost of its subtree by
its list size: its `first`, `pageSize` or `limit` argument (a literal, a variable's value or the
schema default), else the one its parent field was given (a connection: `orders(first: 50) {
items }`), else `GATEWAY_DEFAULT_LIST_SIZE`. Variable-dependent, so computed per request;
fragments are computed once per spread size (linear in the document, whatever it spreads).
Introspection is answered by the gateway and costs nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from graphql.type import GraphQLInterfaceType

from gateway.policy.errors import COST_ESTIMATED_TOO_EXPENSIVE, PolicyError
from gateway.policy.limits import INTROSPECTION_FIELDS

SLICING_ARGUMENTS = ("first", "pageSize", "limit")


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    default_list_size: int,
) -> int:
    """The estimated cost of `operation` with `variables` (a validated operation)."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    memo: dict[tuple[str, str, int | None], int] = {}
    visiting: set[str] = set()

    def list_size(node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value not in SLICING_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                given = variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return max(given, 0)
        return None

    def selection_set(node: SelectionSetNode, parent: GraphQLNamedType, given: int | None) -> int:
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += field(selection, parent, given)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = schema.get_type(condition.name.value) if condition else parent
                total += selection_set(selection.selection_set, inner or parent, given)
            elif isinstance(selection, FragmentSpreadNode):
                total += spread(selection.name.value, given)
        return total

    def field(node: FieldNode, parent: GraphQLNamedType, given: int | None) -> int:
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            return 0
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        if definition is None or node.selection_set is None:
            return 1
        own = list_size(node)
        if own is None:  # the argument's schema default, as the subgraph will apply it
            for name_ in SLICING_ARGUMENTS:
                argument = definition.args.get(name_)
                default = _default_int(argument) if argument is not None else None
                if default is not None:
                    own = max(default, 0)
                    break
        named = get_named_type(definition.type)
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            size = own if own is not None else given if given is not None else default_list_size
            return 1 + size * selection_set(node.selection_set, named, None)
        return 1 + selection_set(node.selection_set, named, own)

    def spread(name: str, given: int | None) -> int:
        fragment = fragments.get(name)
        if fragment is None or name in visiting:
            return 0
        key = (name, fragment.type_condition.name.value, given)
        if key not in memo:
            visiting.add(name)
            condition = schema.get_type(fragment.type_condition.name.value)
            memo[key] = selection_set(fragment.selection_set, condition, given) if condition else 0
            visiting.discard(name)
        return memo[key]

    root = schema.get_root_type(operation.operation)
    return selection_set(operation.selection_set, root, None) if root else 0


def _default_int(argument: GraphQLArgument) -> int | None:
    """An argument's integer default, as a coerced value or an SDL literal."""
    candidates = [argument.default_value]
    default = getattr(argument, "default", None)  # graphql-core 3.3: GraphQLDefaultInput
    if default is not None:
        candidates += [getattr(default, "value", None), getattr(default, "literal", None)]
    for candidate in candidates:
        if isinstance(candidate, IntValueNode):
            return int(candidate.value)
        if isinstance(candidate, int) and not isinstance(candidate, bool):
            return candidate
    return None


def check_cost(cost: int, max_cost: int) -> None:
    """`PolicyError` (400) when `cost` is over `max_cost`."""
    if cost > max_cost:
        raise PolicyError(
            400,
            COST_ESTIMATED_TOO_EXPENSIVE,
            f"The operation's estimated cost is {cost}, more than the {max_cost} allowed;"
            " request fewer items (smaller `first`/`limit`) or fewer nested lists.",
        )
