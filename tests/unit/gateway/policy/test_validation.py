"""Validation under a budget: a document built to make the overlapping-fields rule quadratic is
refused after a bounded amount of work, and ordinary documents never meet the budget."""

from __future__ import annotations

import pytest
from graphql import build_schema, get_introspection_query, parse

from gateway.policy.errors import VALIDATION_BUDGET_EXCEEDED, PolicyError
from gateway.policy.validation import check_validation_budget, validate_document

SCHEMA = build_schema(
    """
    type Item { id: ID! name: String items: [Item!]! }
    type Query { items(first: Int): [Item!]! item(id: ID!): Item }
    """
)
BUDGET = 20_000


def fragments_side_by_side(count: int) -> str:
    """The issue's document: `count` fragments spread in one selection set."""
    spreads = " ".join(f"...F{i}" for i in range(count))
    return (
        "{"
        + spreads
        + "}"
        + "".join(f"fragment F{i} on Query {{__typename}}" for i in range(count))
    )


@pytest.mark.parametrize(
    "document",
    [
        fragments_side_by_side(300),
        "{" + " items { id items { id } }" * 300 + "}",
        "{" + " a: __typename" * 1500 + "}",
        "{" + " ... on Query { __typename }" * 1000 + "}",
    ],
)
def test_a_quadratic_document_is_refused_with_its_code(document: str) -> None:
    errors = validate_document(SCHEMA, parse(document), BUDGET)
    assert errors[-1].extensions == {"code": VALIDATION_BUDGET_EXCEEDED}
    assert "Validation aborted." not in [error.message for error in errors]
    with pytest.raises(PolicyError) as refused:
        check_validation_budget(errors)
    assert (refused.value.status, refused.value.code) == (400, VALIDATION_BUDGET_EXCEEDED)
    assert f"more than {BUDGET} steps" in refused.value.message


@pytest.mark.parametrize(
    "document",
    [
        get_introspection_query(descriptions=True),
        fragments_side_by_side(40),
        "query($id: ID!) { item(id: $id) { ...A ...B } items(first: 5) { ...A } }"
        " fragment A on Item { id name items { id name } }"
        " fragment B on Item { id items { name } }",
    ],
)
def test_ordinary_documents_stay_within_the_budget(document: str) -> None:
    errors = validate_document(SCHEMA, parse(document), BUDGET)
    assert errors == []
    check_validation_budget(errors)


def test_other_errors_are_kept_and_are_not_a_budget_refusal() -> None:
    errors = validate_document(SCHEMA, parse("{ nope }"), BUDGET)
    assert [error.message for error in errors] == ["Cannot query field 'nope' on type 'Query'."]
    check_validation_budget(errors)
