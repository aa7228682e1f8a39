"""An object equal to the last one shaped under its selection set takes that one's result.
The answer is the same as shaping each (`_compile` off: the walk), errors and their paths
included; a custom scalar's values are never taken for one another."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import build_schema, parse

from gateway.execution import shaping
from gateway.execution.shaping import OperationShape
from gateway.planning.normalize import normalize_operation

SCHEMA = build_schema(
    """
    scalar JSON
    type Query { users: [User] }
    type User { id: ID! best: Review reviews: [Review] }
    type Review { id: ID! stars: Int product: Product meta: Meta }
    type Product { upc: String! name: String price: Float }
    type Meta { value: JSON }
    """
)
QUERY = """
{ users { id best { id product { upc name } } reviews { id stars product { upc name price } } } }
"""
META_QUERY = "{ users { id reviews { id meta { value } } } }"

PRODUCT = {"__typename": "Product", "upc": "p1", "name": "Table", "price": 9.5}
REVIEW = {"id": "r1", "stars": 5, "product": PRODUCT}
USER = {"id": "u1", "best": REVIEW, "reviews": [REVIEW, {**REVIEW, "id": "r2"}, REVIEW]}
BROKEN = {**PRODUCT, "upc": None}  # a null in a non-null leaf: the product goes null, with an error

CASES: list[dict[str, Any]] = [
    # the same user three times, its reviews and their product repeated inside each
    {"users": [USER, USER, {**USER, "id": "u2"}, USER]},
    # equal objects each with a null where none may be: each its own error, at its own path
    {
        "users": [
            {"id": "u1", "reviews": [{**REVIEW, "product": BROKEN}] * 3},
            {"id": "u1", "reviews": [{**REVIEW, "product": BROKEN}] * 3},
            USER,
        ]
    },
    # a good object, then an equal one whose product failed (absent), then the good one again
    {"users": [{"id": "u1", "reviews": [REVIEW, {"id": "r1", "stars": 5}, REVIEW]}]},
    # ten distinct reviews (the slot gives up), then equal ones with a fault among them
    {
        "users": [
            {
                "id": "u1",
                "reviews": [{**REVIEW, "id": f"r{n}"} for n in range(10)]
                + [REVIEW, REVIEW, {**REVIEW, "product": BROKEN}, REVIEW],
            }
        ]
    },
]


def shaped(query: str, data: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    operation = normalize_operation(parse(query), None, SCHEMA)
    errors: list[dict[str, Any]] = []
    result = OperationShape(SCHEMA, operation, {}).shape(orjson.loads(orjson.dumps(data)), errors)
    return result, errors


@pytest.mark.parametrize("data", CASES)
def test_equal_objects_shaped_once_answer_as_shaping_each(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    memoized, memoized_errors = shaped(QUERY, data)
    monkeypatch.setattr(shaping, "_compile", lambda typename, entries: None)
    walked, walked_errors = shaped(QUERY, data)

    assert orjson.dumps(memoized) == orjson.dumps(walked)  # key order included
    assert memoized_errors == walked_errors


def test_each_equal_object_with_a_fault_keeps_its_own_error() -> None:
    _, errors = shaped(QUERY, CASES[1])

    assert [error["path"] for error in errors] == [
        ["users", user, "reviews", review, "product", "upc"]
        for user in (0, 1)
        for review in (0, 1, 2)
    ]


def test_an_equal_object_takes_the_result_shaped_before() -> None:
    """What makes it cheap: an object equal to the last one shaped under its selection set is
    that one's result itself, and nothing under it is shaped again."""
    result, errors = shaped(QUERY, CASES[0])

    assert not errors
    users = result["users"]
    assert users[1] is users[0]
    assert users[2] is not users[0]  # another id
    first, second, third = users[2]["reviews"]
    assert second is not first  # another id
    assert second["product"] is first["product"] is third["product"]
    assert users[2]["best"]["product"] is not first["product"]  # another selection set


def test_a_selection_set_where_nothing_repeats_stops_comparing() -> None:
    """After eight objects in a row shaped without a reuse, its objects are each shaped (no
    compare with the last one): equal ones that come later are shaped again."""
    reviews = [{**REVIEW, "id": f"r{n}"} for n in range(8)] + [REVIEW, REVIEW]
    result, _ = shaped(QUERY, {"users": [{"id": "u1", "reviews": reviews}]})

    shaped_reviews = result["users"][0]["reviews"]
    assert shaped_reviews[9] == shaped_reviews[8] and shaped_reviews[9] is not shaped_reviews[8]
    assert shaped_reviews[9]["product"] is shaped_reviews[8]["product"]  # its own slot reuses


def test_a_custom_scalar_is_never_taken_for_an_equal_looking_value() -> None:
    """`1 == True == 1.0` in Python; a JSON scalar's `1`, `true` and `1.0` stay what they are."""
    reviews = [{"id": "r1", "meta": {"value": value}} for value in (1, True, 1.0, 1)]
    result, errors = shaped(META_QUERY, {"users": [{"id": "u1", "reviews": reviews}]})

    assert not errors
    assert orjson.dumps(result) == (
        b'{"users":[{"id":"u1","reviews":[{"id":"r1","meta":{"value":1}},'
        b'{"id":"r1","meta":{"value":true}},{"id":"r1","meta":{"value":1.0}},'
        b'{"id":"r1","meta":{"value":1}}]}]}'
    )
