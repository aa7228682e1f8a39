"""Parsing under a token budget and a nesting guard."""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError

from gateway.policy.errors import PolicyError
from gateway.policy.parsing import bracket_depth, nesting_cap, parse_limited


def nested(levels: int) -> str:
    return "{" + "a {" * levels + "b" + "}" * levels + "}"


def test_bracket_depth_ignores_strings_and_comments() -> None:
    source = '{ a(x: "{{{{", y: """ {{{ \\""" {{ """) # {{{{{{\n { b } }'
    assert bracket_depth(source, 100) == 2


def test_bracket_depth_stops_past_the_cap() -> None:
    assert bracket_depth(nested(10_000), 40) == 41


def test_a_document_within_the_limits_parses() -> None:
    document = parse_limited(nested(10), max_tokens=100, max_depth=15)
    assert len(document.definitions) == 1


@pytest.mark.parametrize("levels", [100, 10_000])
def test_deep_nesting_is_refused_before_parsing(levels: int) -> None:
    with pytest.raises(PolicyError) as refused:
        parse_limited(nested(levels), max_tokens=10**9, max_depth=15)
    assert (refused.value.status, refused.value.code) == (400, "MAX_DEPTH_LIMIT")


def test_deeply_nested_list_values_are_refused() -> None:
    query = "{ a(x: " + "[" * 5000 + "]" * 5000 + ") }"
    with pytest.raises(PolicyError) as refused:
        parse_limited(query, max_tokens=10**9, max_depth=15)
    assert refused.value.code == "MAX_DEPTH_LIMIT"


def test_the_nesting_cap_is_twice_the_depth_within_bounds() -> None:
    assert (nesting_cap(1), nesting_cap(20), nesting_cap(10_000)) == (32, 40, 256)


def test_too_many_tokens_is_refused() -> None:
    with pytest.raises(PolicyError) as refused:
        parse_limited("{ " + "a " * 100 + "}", max_tokens=50, max_depth=15)
    assert (refused.value.status, refused.value.code) == (400, "MAX_TOKENS_LIMIT")


def test_other_syntax_errors_are_left_to_the_caller() -> None:
    with pytest.raises(GraphQLSyntaxError):
        parse_limited("{ a", max_tokens=50, max_depth=15)
