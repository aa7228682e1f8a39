"""Normalisation passes: fragments inlined, constant conditions folded, fields merged."""

from __future__ import annotations

import pytest
from graphql import parse, print_ast

from gateway.planning import (
    NormalizedOperation,
    OperationSelectionError,
    normalize_operation,
    select_operation,
)
from gateway.planning.selections import to_selection_set
from gateway.supergraph import Supergraph


def normalized(supergraph: Supergraph, query: str, name: str | None = None) -> str:
    operation: NormalizedOperation = normalize_operation(parse(query), name, supergraph.schema)
    return print_ast(to_selection_set(operation.selections))


def test_named_fragments_are_inlined_and_spliced_when_they_always_apply(
    users_orders: Supergraph,
) -> None:
    query = """
    { user(id: "1") { ...U ...N @include(if: $x) } }
    fragment U on User { id ... on User { name } }
    fragment N on User { email }
    """
    assert normalized(users_orders, query) == (
        '{\n  user(id: "1") {\n    id\n    name\n    ... on User @include(if: $x) {\n'
        "      email\n    }\n  }\n}"
    )


def test_constant_conditions_are_folded_and_variable_ones_kept(users_orders: Supergraph) -> None:
    query = """
    query($v: Boolean!) { user(id: "1") {
      a: id @skip(if: true)
      b: id @include(if: false)
      c: id @skip(if: false)
      d: id @include(if: true)
      e: id @include(if: $v)
      ... @skip(if: true) { name }
    } }
    """
    assert normalized(users_orders, query) == (
        '{\n  user(id: "1") {\n    c: id\n    d: id\n    e: id @include(if: $v)\n  }\n}'
    )


def test_fields_are_merged_by_response_key_in_first_position(users_orders: Supergraph) -> None:
    query = '{ user(id: "1") { orders { id } name orders { status } } user(id: "1") { email } }'
    assert normalized(users_orders, query) == (
        '{\n  user(id: "1") {\n    orders {\n      id\n      status\n    }\n    name\n'
        "    email\n  }\n}"
    )


def test_fragments_on_an_interface_of_the_object_are_spliced(media: Supergraph) -> None:
    query = '{ search(text: "a") { ... on Book { ... on Media { title } } } }'
    assert normalized(media, query) == (
        '{\n  search(text: "a") {\n    ... on Book {\n      title\n    }\n  }\n}'
    )


def test_select_operation_by_name_or_alone() -> None:
    document = parse("query A { a } query B { b }")
    assert select_operation(document, "B").name.value == "B"  # type: ignore[union-attr]
    with pytest.raises(OperationSelectionError, match="several operations"):
        select_operation(document, None)
    with pytest.raises(OperationSelectionError, match="Unknown operation named 'C'"):
        select_operation(document, "C")
    assert select_operation(parse("{ a }"), None).name is None
