"""Issue 12, finding 7: text no field can take answered INTERNAL (a lone surrogate in any
string argument, a `search` of 50,001 characters). Every string argument of the API schema
(derived from it, nested input fields included, so a new one is probed the day it appears) is
sent each such text; every one must be refused with VALIDATION_FAILED naming the field, never
INTERNAL, never a 5xx."""

from __future__ import annotations

import pytest

from tests.security.arguments import (
    StringArgument,
    api_schema,
    errors_of,
    fields_with_arguments_below_the_root,
    first_event,
    post,
    probe,
    string_arguments,
)
from tests.support.stack import RunningStack

SCHEMA = api_schema()
ARGUMENTS = string_arguments(SCHEMA)
SUBSCRIPTION_ARGUMENTS = string_arguments(SCHEMA, ("subscription",))
#: Text no database stores, and text longer than any argument may be (the finding's 50,001).
REFUSED = {
    "half a surrogate pair": "ab\ud800cd",
    "NUL": "ab\x00cd",
    "50,001 characters": "x" * 50_001,
}
#: A row id no test creates, for the other ids of a probe.
NO_ROW = "2147483646"


def test_every_string_argument_is_probed() -> None:
    assert len(ARGUMENTS) > 70
    # Arguments of fields below the root would need a path to reach them: there are none.
    assert fields_with_arguments_below_the_root(SCHEMA) == []


@pytest.mark.parametrize("argument", ARGUMENTS, ids=str)
def test_text_no_field_can_take_is_refused_naming_the_field(
    target: RunningStack, argument: StringArgument
) -> None:
    for kind, text in REFUSED.items():
        document, variables = probe(SCHEMA, argument, [text], ids=NO_ROW)
        answer = post(target, document, variables, target.admin)

        assert answer.status_code == 200, (kind, answer.text[:500])
        errors = list(errors_of(answer.json()))
        assert [e["extensions"]["code"] for e in errors] == ["VALIDATION_FAILED"], (kind, errors)
        assert errors[0]["extensions"]["field"] == argument.field_name, (kind, errors)
        assert text not in answer.text  # the refusal does not echo what was sent


@pytest.mark.parametrize("argument", SUBSCRIPTION_ARGUMENTS, ids=str)
def test_text_no_subscription_argument_can_take_ends_the_stream_with_a_refusal(
    target: RunningStack, argument: StringArgument
) -> None:
    for kind, text in REFUSED.items():
        document, variables = probe(SCHEMA, argument, [text], ids=NO_ROW)
        status, read, event = first_event(target, document, variables, target.admin)

        assert status == 200, (kind, read[:500])
        assert event is not None and event.get("errors"), (kind, read[:500])
        codes = [e["extensions"]["code"] for e in event["errors"]]
        assert set(codes) <= {"VALIDATION_FAILED", "NOT_FOUND"}, (kind, event)
        assert text not in read  # the refusal does not echo what was sent


SEARCHES = [argument for argument in ARGUMENTS if argument.argument == "search"]


@pytest.mark.parametrize("argument", SEARCHES, ids=str)
def test_search_is_bounded_as_the_rest_shims_bound_it(
    target: RunningStack, argument: StringArgument
) -> None:
    longest, too_long = ("x" * 200, "x" * 201)
    document, variables = probe(SCHEMA, argument, [longest])
    assert "errors" not in post(target, document, variables, target.admin).json()

    document, variables = probe(SCHEMA, argument, [too_long])
    (error,) = errors_of(post(target, document, variables, target.admin).json())
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "search"
    assert "at most 200 characters" in error["message"]
