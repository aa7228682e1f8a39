"""Composition errors: codes and messages as @apollo/composition reports them."""

from __future__ import annotations

import pytest

from schema.compose import CompositionError, CompositionIssue, compose

from .cases import INVALID, STRICTER, fed, sources


@pytest.mark.parametrize("name", sorted(INVALID))
def test_error_code_and_message(name: str) -> None:
    subgraphs, code, message = INVALID[name]
    with pytest.raises(CompositionError) as caught:
        compose(subgraphs)
    assert caught.value.issues == [CompositionIssue(code, message)]


def test_error_string_lists_every_issue() -> None:
    subgraphs, code, message = INVALID["field_type_mismatch"]
    with pytest.raises(CompositionError) as caught:
        compose(subgraphs)
    assert str(caught.value) == f"{code}: {message}"


def test_several_issues_are_reported_together() -> None:
    with pytest.raises(CompositionError) as caught:
        compose(
            sources(
                ("a", fed() + "type Query { a: Nope }"),
                ("b", fed() + "type Query { b: Int @foo }"),
            )
        )
    assert [i.code for i in caught.value.issues] == ["INVALID_GRAPHQL", "INVALID_GRAPHQL"]


@pytest.mark.parametrize("name", sorted(STRICTER))
def test_stricter_than_apollo_composition(name: str) -> None:
    """Where @apollo/composition only hints (an @override that cannot apply), we fail."""
    subgraphs, code, message = STRICTER[name]
    with pytest.raises(CompositionError) as caught:
        compose(subgraphs)
    assert caught.value.issues == [CompositionIssue(code, message)]


def test_imported_name_used_with_prefix_is_unknown() -> None:
    with pytest.raises(CompositionError) as caught:
        compose(
            sources(
                (
                    "a",
                    fed() + 'type Query { t: T } type T @federation__key(fields: "id") { id: ID! }',
                )
            )
        )
    assert caught.value.issues == [
        CompositionIssue("INVALID_GRAPHQL", '[a] Unknown directive "@federation__key".')
    ]
