"""A request's JSON under the nesting limit: any shape decodes or is a coded 400, never a crash."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.policy.errors import MAX_JSON_DEPTH_LIMIT, PolicyError
from gateway.policy.json_body import decode_json

LIMIT = 8


def nested(depth: int, leaf: str = "1", key: str | None = '"a"') -> str:
    """`depth` levels of objects (with `key`) or arrays around `leaf`."""
    opening, closing = ("{" + key + ":", "}") if key else ("[", "]")
    return opening * depth + leaf + closing * depth


def test_a_value_within_the_limit_decodes() -> None:
    assert decode_json(nested(LIMIT), LIMIT) == json.loads(nested(LIMIT))
    assert decode_json(nested(LIMIT, key=None).encode(), LIMIT) == json.loads(
        nested(LIMIT, key=None)
    )


@pytest.mark.parametrize("depth", [LIMIT + 1, 1024, 1025, 100_000])
@pytest.mark.parametrize("key", ['"a"', None])
def test_deeper_is_a_coded_400_before_and_past_orjsons_own_limit(
    depth: int, key: str | None
) -> None:
    with pytest.raises(PolicyError) as refused:
        decode_json(nested(depth, key=key).encode(), LIMIT)
    assert (refused.value.status, refused.value.code) == (400, MAX_JSON_DEPTH_LIMIT)
    assert f"more than {LIMIT} levels" in refused.value.message


def test_pythons_json_takes_big_integers_under_the_same_limit() -> None:
    big = 2**70
    assert decode_json(f'{{"n": {big}}}', LIMIT) == {"n": big}
    with pytest.raises(PolicyError):
        decode_json(nested(2000, leaf=str(big), key=None), LIMIT)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"query": "{ a { b { c { d { e { f { g { h { i } } } } } } } } }"})
    assert decode_json(text, 2)["query"].startswith("{ a")


def test_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        decode_json(b"{not json", LIMIT)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


@settings(max_examples=60, deadline=None)
@given(value=json_values, wrap=st.integers(min_value=0, max_value=1100))
def test_any_shape_decodes_or_is_refused_by_its_depth(value: Any, wrap: int) -> None:
    text = "[" * wrap + json.dumps(value) + "]" * wrap
    expected = depth_of(value) + wrap
    try:
        decoded = decode_json(text.encode(), LIMIT)
    except PolicyError as exc:
        assert exc.code == MAX_JSON_DEPTH_LIMIT and expected > LIMIT
    else:
        assert expected <= LIMIT and depth_of(decoded) == expected
