"""Operation limits: depth, aliases, root fields, directives; fragments counted where spread."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from gateway.policy.errors import PolicyError
from gateway.policy.limits import OperationShape, check_limits, operation_shape
from gateway.policy.settings import PolicySettings


def shape(query: str) -> OperationShape:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return operation_shape(document, operation)


def test_depth_counts_fields_and_fragments_where_spread() -> None:
    query = "{ a { ...F } } fragment F on T { b { c { d } } }"
    assert shape(query).depth == 4


def test_aliases_count_each_spread() -> None:
    query = "{ x: a { ...F } y: a { ...F } } fragment F on T { p: b q: b }"
    assert shape(query).aliases == 2 + 2 * 2


def test_root_fields_include_fragments_at_the_root() -> None:
    query = "{ a b ... on Query { c } ...F } fragment F on Query { d e }"
    assert shape(query).root_fields == 5


def test_directives_are_the_most_on_one_field() -> None:
    query = "{ a @skip(if: false) @include(if: true) b @skip(if: false) }"
    assert shape(query).directives == 2


def test_a_fragment_bomb_is_counted_without_expanding_it() -> None:
    fragments = " ".join(
        f"fragment F{i} on T {{ a: x ...F{i + 1} ...F{i + 1} }}" for i in range(60)
    )
    query = "{ t { ...F0 } } " + fragments + " fragment F60 on T { x }"
    assert shape(query).aliases == 2**60 - 1


def test_an_alias_free_fragment_bomb_counts_its_expanded_fields() -> None:
    """Normalisation expands each spread: 2^60 copies of `x` if it were let through."""
    fragments = " ".join(f"fragment F{i} on T {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60))
    query = "{ t { ...F0 } } " + fragments + " fragment F60 on T { x }"
    assert shape(query).aliases == 0
    assert shape(query).fields == 1 + 2**60
    with pytest.raises(PolicyError) as refused:
        check_limits(shape(query), PolicySettings())
    assert refused.value.code == "MAX_FIELDS_LIMIT"
    assert "spread each fragment fewer times" in refused.value.message


def test_fields_count_every_level_once_per_spread() -> None:
    query = "{ a { b c { d } } ...F ...F } fragment F on Query { e { f } }"
    assert shape(query).fields == 4 + 2 * 2


def test_fragment_cycles_do_not_recurse_forever() -> None:
    query = "{ a { ...F } } fragment F on T { b ...G } fragment G on T { c ...F }"
    assert shape(query).depth == 2


def test_introspection_is_left_out_of_depth() -> None:
    assert shape("{ __schema { types { fields { type { ofType { name } } } } } }").depth == 0


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ a { b { c { d } } } }", "MAX_DEPTH_LIMIT"),
        ("{ a: x b: x c: x }", "MAX_ALIASES_LIMIT"),
        ("{ a b c d }", "MAX_ROOT_FIELDS_LIMIT"),
        ("{ a @a @b @c }", "MAX_DIRECTIVES_LIMIT"),
        ("{ a { ...F ...F } } fragment F on T { b c }", "MAX_FIELDS_LIMIT"),
    ],
)
def test_each_limit_refuses(query: str, code: str) -> None:
    settings = PolicySettings(
        max_depth=3, max_aliases=2, max_root_fields=3, max_directives=2, max_fields=4
    )
    with pytest.raises(PolicyError) as refused:
        check_limits(shape(query), settings)
    assert (refused.value.status, refused.value.code) == (400, code)


def test_within_the_limits_passes() -> None:
    check_limits(shape("{ a { b } c: d }"), PolicySettings())


def test_the_same_walk_notes_introspection_in_fragments_counted_once() -> None:
    query = '{ a { ...F ...F } } fragment F on T { b { __type(name: "T") { name } } }'
    assert shape(query).introspects
    assert not shape("{ __typename a { ...F } } fragment F on T { __typename }").introspects
