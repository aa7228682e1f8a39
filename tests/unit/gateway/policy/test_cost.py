"""Estimated cost: 1 per field, list fields multiply their subtree by their list size."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, parse

from gateway.policy.cost import check_cost, estimate_cost
from gateway.policy.errors import PolicyError

SCHEMA = build_schema(
    """
    type Query { users(first: Int): [User!]! orders(pageSize: Int = 20): OrderPage! me: User }
    type User { id: ID! friends(limit: Int): [User!]! name: String }
    type OrderPage { items: [Order!]! }
    type Order { id: ID! }
    """
)


def cost(query: str, variables: dict[str, Any] | None = None, default: int = 10) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return estimate_cost(SCHEMA, document, operation, variables or {}, default)


def test_scalar_and_object_fields_cost_one() -> None:
    assert cost("{ me { id name } }") == 3


def test_a_list_multiplies_its_subtree_by_the_default_size() -> None:
    assert cost("{ users { id name } }") == 1 + 10 * 2


def test_a_literal_slicing_argument_sets_the_size() -> None:
    assert cost("{ users(first: 3) { id friends(limit: 2) { id } } }") == 1 + 3 * (1 + 1 + 2 * 1)


def test_a_variable_slicing_argument_sets_the_size() -> None:
    query = "query($n: Int) { users(first: $n) { id } }"
    assert cost(query, {"n": 100}) == 101
    assert cost(query, {}) == 11


def test_a_connection_passes_its_size_to_its_list() -> None:
    assert cost("{ orders(pageSize: 5) { items { id } } }") == 1 + 1 + 5
    assert cost("{ orders { items { id } } }") == 1 + 1 + 20  # the schema default


def test_fragments_are_counted_where_spread() -> None:
    query = "{ users(first: 2) { ...U } me { ...U } } fragment U on User { id name }"
    assert cost(query) == (1 + 2 * 2) + (1 + 2)


def test_introspection_costs_nothing() -> None:
    assert cost("{ __schema { types { name } } __typename }") == 1


def test_over_the_maximum_is_refused() -> None:
    check_cost(10, 10)
    with pytest.raises(PolicyError) as refused:
        check_cost(cost("{ users(first: 1000) { friends(limit: 1000) { id } } }"), 10_000)
    assert (refused.value.status, refused.value.code) == (400, "COST_ESTIMATED_TOO_EXPENSIVE")
