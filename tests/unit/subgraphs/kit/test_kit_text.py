"""The bounded-text rules every domain shares, and what no text field may hold."""

from __future__ import annotations

import pytest

from common.errors import FieldProblem
from subgraphs.kit.text import (
    MAX_ARGUMENT_LENGTH,
    MAX_SEARCH_LENGTH,
    argument_problem,
    clean_search,
    contains_pattern,
    exact_text,
    optional_text,
    required_text,
    unstorable,
)

HALF_PAIR = "\ud800"


@pytest.mark.parametrize("value", ["", "plain", "ünïcödé", "😀 whole pair", "tab\tand\nnewline"])
def test_text_any_database_stores_is_clean(value: str) -> None:
    assert unstorable(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("a\x00b", "NUL"),
        (HALF_PAIR, "surrogate"),
        ("x\udfffy", "surrogate"),
        ("\x00" + HALF_PAIR, "NUL"),
    ],
)
def test_a_nul_or_half_a_surrogate_pair_is_unstorable(value: str, words: str) -> None:
    problem = unstorable(value)
    assert problem is not None and words in problem


def test_an_argument_may_hold_up_to_the_ceiling() -> None:
    assert argument_problem("x" * MAX_ARGUMENT_LENGTH) is None
    assert argument_problem("x" * (MAX_ARGUMENT_LENGTH + 1)) == (
        f"must be at most {MAX_ARGUMENT_LENGTH} characters"
    )
    assert argument_problem(HALF_PAIR) is not None


def test_required_text_is_trimmed_and_bounded() -> None:
    assert required_text("  Ada  ", "name", 5) == "Ada"
    assert required_text("x" * 5, "name", 5) == "xxxxx"
    too_long = FieldProblem("name", "must be 1 to 5 characters (not blank)")
    assert required_text("x" * 6, "name", 5) == too_long
    assert required_text("   ", "name", 5) == too_long
    assert required_text(None, "name", 5) == too_long
    problem = required_text("a\x00", "name", 5)
    assert isinstance(problem, FieldProblem) and problem.field == "name"


def test_optional_text_is_none_when_blank() -> None:
    assert optional_text(None, "notes", 3) is None
    assert optional_text("  ", "notes", 3) is None
    assert optional_text(" ab ", "notes", 3) == "ab"
    too_long = FieldProblem("notes", "must be at most 3 characters")
    assert optional_text("abcd", "notes", 3) == too_long
    assert isinstance(optional_text(HALF_PAIR, "notes", 3), FieldProblem)


def test_exact_text_keeps_what_was_sent() -> None:
    assert exact_text(None, "action", 3) is None
    assert exact_text(" a ", "action", 3) == " a "
    assert exact_text("", "action", 3) == FieldProblem("action", "must be 1 to 3 characters")
    assert exact_text("abcd", "action", 3) == FieldProblem("action", "must be 1 to 3 characters")


def test_search_is_bounded_as_the_rest_shims_bound_it() -> None:
    assert clean_search("  mug ") == "mug"
    assert clean_search("") is None
    assert clean_search("x" * MAX_SEARCH_LENGTH) == "x" * MAX_SEARCH_LENGTH
    assert clean_search("x" * (MAX_SEARCH_LENGTH + 1)) == FieldProblem(
        "search", f"must be at most {MAX_SEARCH_LENGTH} characters"
    )


def test_contains_pattern_matches_the_search_literally_anywhere() -> None:
    assert contains_pattern("Ada") == "%ada%"
    assert contains_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
