"""The rate-limit bucket of an operation: names, layout and comments do not make a new one."""

from __future__ import annotations

import pytest
from graphql import parse
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.policy.operation_key import operation_key

QUERY = 'query Orders($n: Int = 5) { orders(pageSize: $n) { items { id note(lang: "en fr") } } }'


def key(query: str, name: str | None = None) -> str:
    return operation_key(parse(query), name)


@pytest.mark.parametrize(
    "variant",
    [
        'query Other($n: Int = 5) { orders(pageSize: $n) { items { id note(lang: "en fr") } } }',
        'query($n:Int=5){orders(pageSize:$n){items{id,note(lang:"en fr")}}}',
        "# a comment\nquery   X ( $n : Int = 5 ) ,{ orders ( pageSize : $n ) "
        '{ items { id , note ( lang : "en fr" ) } } } # trailing',
    ],
)
def test_names_layout_and_comments_share_one_bucket(variant: str) -> None:
    assert key(variant) == key(QUERY, "Orders")


def test_a_shorthand_query_is_a_query() -> None:
    assert key("{ me { id } }") == key("query Me { me { id } }", "Me")
    assert key("{ me { id } }") != key("mutation Me { me { id } }")


@pytest.mark.parametrize(
    "different",
    [
        'query Orders($n: Int = 5) { orders(pageSize: $n) { items { id note(lang: "en") } } }',
        "query Orders($n: Int = 6) { orders(pageSize: $n) { items { id } } }",
        'query Orders($n: Int = 5) { orders(pageSize: $n) { items { x: note(lang: "en fr") } } }',
        "query Orders { orders { items { id note } } }",
    ],
)
def test_other_fields_arguments_or_aliases_are_other_operations(different: str) -> None:
    assert key(different, "Orders") != key(QUERY, "Orders")


def test_strings_are_not_names() -> None:
    assert key('{ a(x: "b") }') != key("{ a(x: b) }")


def test_the_operation_name_chooses_by_position() -> None:
    two = "query A { a } query B { b }"
    assert key(two, "A") != key(two, "B")
    assert key(two, "B") == key("query X { a } query Y { b }", "Y")
    assert key(two, "Nope") == key(two, "A")  # unknown names (refused later) share the first


def test_a_fragment_named_like_a_keyword_keeps_its_name() -> None:
    assert key("{ ...query } fragment query on Q { a }") != key("{ ...f } fragment f on Q { a }")


ignored = st.lists(st.sampled_from([" ", "\t", "\n", ",", "\r\n", "#x\n", "\ufeff"]), max_size=3)
names = st.from_regex(r"\A[_A-Za-z][_0-9A-Za-z]{0,12}\Z")


@settings(max_examples=80, deadline=None)
@given(gaps=st.lists(ignored.map("".join), min_size=40, max_size=40), name=names)
def test_any_whitespace_and_name_variant_shares_the_bucket(gaps: list[str], name: str) -> None:
    tokens = [
        "query", name, "(", "$n", ":", "Int", "=", "5", ")", "{", "orders", "(", "pageSize", ":",
        "$n", ")", "{", "items", "{", "id", "note", "(", "lang", ":", '"en fr"', ")", "}", "}",
        "}",
    ]  # fmt: skip
    text = gaps[0].replace("\ufeff", " ") + "".join(
        token + (gaps[i + 1] or " ") for i, token in enumerate(tokens)
    )
    assert key(text, name) == key(QUERY, "Orders")
